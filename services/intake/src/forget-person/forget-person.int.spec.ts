// Personal data in intake, against the real Postgres: encrypted before it enters an event or a
// read model, readable only through the query edge, and gone for good once the person is erased.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import type { intake } from '@homeward/contracts';
import { rebuildInlineProjection } from '@homeward/operations';
import { decryptFor, PersonKeys, masterKeysFromEnv } from '@homeward/personal-data';
import { personFile } from '../person-file/person-file.projection.js';
import { metadata, startIntakeHarness, type IntakeHarness } from '../testing/intake-harness.js';

const fullName = 'Zmitser Inventovich Fictionau';
const alias = 'Zmicier Invented';
const birthDate = '1977-04-19';
const account = 'Kept in a punishment cell for forty invented days.';
const secrets = [fullName, alias, birthDate, account, 'Fictionau'];

let harness: IntakeHarness;
beforeAll(async () => {
  harness = await startIntakeHarness();
}, 60_000);
afterAll(() => harness?.stop());

const register = (): intake.RegisterPersonRequest => ({
  metadata: metadata(),
  personId: '',
  fullName,
  aliases: [alias],
  birthDate,
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'blogger',
  batchId: '',
});

async function registerWithCondition(): Promise<string> {
  const { id } = await harness.client.registerPerson({
    ...register(),
    metadata: metadata({ idempotencyKey: `register-${Math.random()}` }),
  });
  await harness.client.recordImprisonment({
    metadata: metadata(),
    personId: id,
    charges: ['art-342'],
    sentenceMonths: 24,
    sentenceStart: '2024-01-10',
    expectedRelease: '',
    facility: 'IK-1',
  });
  await harness.client.reportDetentionCondition({
    metadata: metadata(),
    personId: id,
    kind: 'punishment-cell',
    periodFrom: '2024-03-01',
    periodTo: '2024-04-10',
    account,
  });
  return id;
}

/** Everything intake stores about the person, as text: events, outbox, read model, idempotency. */
async function storedText(personId: string): Promise<string> {
  const rows = await harness.query(
    `SELECT data::text || metadata::text AS text FROM events WHERE stream_id = $1
     UNION ALL SELECT doc::text FROM person_file WHERE id = $2`,
    [`person-${personId}`, personId],
  );
  return rows.map((row) => String(row.text)).join('\n');
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'no refusal',
    (error: { code: number; metadata: { get(key: string): unknown[] } }) => [error.code, error.metadata.get('homeward-error-code')[0]],
  );

describe('personal data in intake', () => {
  let personId: string;

  beforeAll(async () => {
    personId = await registerWithCondition();
  });

  const sealed = 'only in the enc:v2 format (bound to the person and the field)';
  it(`given a registered person, then no personal value is stored in clear, ${sealed}`, async () => {
    const text = await storedText(personId);
    for (const secret of secrets) expect(text).not.toContain(secret);
    const [registered] = await harness.query<{ data: intake.PersonFile }>(
      `SELECT data FROM events WHERE stream_id = $1 AND type = 'PersonRegistered'`,
      [`person-${personId}`],
    );
    expect(registered!.data.fullName).toMatch(/^enc:v2:[A-Za-z0-9_-]+$/);
    expect(registered!.data.birthDate).toMatch(/^enc:v2:/);
  });

  it('given a registered person, then the query edge decrypts the file and the list', async () => {
    const file = await harness.client.getPerson({ personId });
    expect(file).toMatchObject({ fullName, aliases: [alias], birthDate, forgotten: false });
    expect(file.detentionConditions[0]!.account).toBe(account);
    expect(file.episodes[0]!.detentionConditions[0]!.account).toBe(account);
    const { items } = await harness.client.listPeople({ status: '', batchId: '', limit: 200, cursor: '' });
    expect(items.find((item) => item.personId === personId)).toMatchObject({ fullName, forgotten: false });
  });

  describe('when the person is erased', () => {
    let oldFullName: string;

    beforeAll(async () => {
      const [registered] = await harness.query<{ data: { fullName: string } }>(
        `SELECT data FROM events WHERE stream_id = $1 AND type = 'PersonRegistered'`,
        [`person-${personId}`],
      );
      oldFullName = registered!.data.fullName;
      const result = await harness.client.forgetPerson({ metadata: metadata(), personId });
      expect(result.eventIds).toHaveLength(1);
    });

    it('then the key is destroyed and the old ciphertext fails cleanly: forgotten, not an exception', async () => {
      const [key] = await harness.query(`SELECT wrapped_key, destroyed_at FROM person_keys WHERE person_id = $1`, [personId]);
      expect(key).toMatchObject({ wrapped_key: null });
      expect(key!.destroyed_at).not.toBeNull();
      const keys = new PersonKeys(masterKeysFromEnv());
      expect(decryptFor(await keys.find(harness.service.runtime.dataSource.manager, personId), 'fullName', oldFullName)).toEqual({
        readable: false,
        reason: 'forgotten',
      });
    });

    it('then the file keeps the story without a personal field, and the list has no name', async () => {
      const file = await harness.client.getPerson({ personId });
      // Identifying facts (occupation, charges, facility, places) go with the personal fields; the story's shape stays.
      expect(file).toMatchObject({ fullName: '', aliases: [], birthDate: '', occupation: '', forgotten: true, status: 'imprisoned' });
      expect(file.detentionConditions[0]).toMatchObject({ kind: 'punishment-cell', account: '' });
      expect(file.episodes[0]!.detentionConditions[0]).toMatchObject({ kind: 'punishment-cell', account: '' });
      expect(file.timeline.map((entry) => entry.type)).toContain('PersonForgotten');
      const { items } = await harness.client.listPeople({ status: '', batchId: '', limit: 200, cursor: '' });
      expect(items.find((item) => item.personId === personId)).toMatchObject({ fullName: '', forgotten: true });
      const [row] = await harness.query<{ doc: intake.PersonFile }>(`SELECT doc FROM person_file WHERE id = $1`, [personId]);
      expect(row!.doc).toMatchObject({ fullName: '', aliases: [], birthDate: '', forgotten: true });
    });

    it('then no fingerprint of an earlier request is left to check a guessed name against', async () => {
      const rows = await harness.query<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE result->>'id' = $1`, [
        personId,
      ]);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.request_hash === 'forgotten')).toBe(true);
    });

    it('then the events stay, and no command is taken for the person any more', async () => {
      const [{ n }] = (await harness.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [`person-${personId}`])) as [
        { n: number },
      ];
      expect(n).toBe(4);
      expect(await refusal(harness.client.forgetPerson({ metadata: metadata(), personId }))).toEqual([
        status.FAILED_PRECONDITION,
        'person.forgotten',
      ]);
      expect(
        await refusal(
          harness.client.reportDetentionCondition({
            metadata: metadata(),
            personId,
            kind: 'lawyer-denied',
            periodFrom: '',
            periodTo: '',
            account,
          }),
        ),
      ).toEqual([status.FAILED_PRECONDITION, 'person.forgotten']);
      expect(
        await refusal(
          harness.client.recordRelease({
            metadata: metadata(),
            personId,
            releasedAt: '2025-09-11T08:00:00.000Z',
            mechanism: 'brokered',
            batchId: '',
            daysOfSentenceRemaining: 0,
          }),
        ),
      ).toEqual([status.FAILED_PRECONDITION, 'person.forgotten']);
      expect(
        await refusal(harness.client.forgetPerson({ metadata: metadata(), personId: '0190a000-0000-7000-8000-00000000ffff' })),
      ).toEqual([status.FAILED_PRECONDITION, 'person.not-registered']);
    });

    it('then rebuilding the person file from the events brings no personal value back', async () => {
      await rebuildInlineProjection({ dataSource: harness.service.runtime.dataSource, projection: personFile });
      const file = await harness.client.getPerson({ personId });
      expect(file).toMatchObject({ fullName: '', aliases: [], birthDate: '', forgotten: true });
      const text = await storedText(personId);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  });

  it('given an erased person among others, then the others stay readable', async () => {
    const other = await registerWithCondition();
    expect((await harness.client.getPerson({ personId: other })).fullName).toBe(fullName);
  });
});
