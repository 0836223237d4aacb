// Personal data through the real system (issue 5): a person's name is encrypted before it enters
// an event, so neither the raw Kafka message nor intake's raw event rows hold it; the file through
// the gateway shows it; after DELETE (crypto-shredding) no route, read model or audit export
// returns it, decrypting the old event fails cleanly, and a rebuild cannot bring it back.
// Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { decodeEventValue, sourceOf } from '@homeward/messaging';
import { decryptFor, newMasterKeyEntry, parseMasterKeys, PersonKeys } from '@homeward/personal-data';
import { eventually, kafkaBrokers, uniqueName } from '@homeward/testing';
import type pg from 'pg';
import { rebuildAll, type Projection } from '../support/operations.js';
import { startSystem, type System } from '../support/system.js';

const fullName = 'Uladzimir Inventovich Skryty';
const alias = 'Vova Invented';
const birthDate = '1983-06-21';
const account = 'Denied a lawyer for a whole invented year.';
const secrets = [fullName, 'Skryty', alias, birthDate, account];

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}

interface RawMessage {
  key: string;
  value: Buffer;
  source: string;
}

/** Every message of the run's intake topic, as bytes, read by a consumer of the test's own. */
async function readIntakeTopic(system: System, until: (messages: RawMessage[]) => boolean): Promise<RawMessage[]> {
  const kafka = new Kafka({ brokers: kafkaBrokers(), clientId: 'e2e-personal-data', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('e2e-personal-data') });
  const messages: RawMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: `${system.prefix}.homeward.intake.events.v1`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push({
          key: message.key?.toString() ?? '',
          value: message.value ?? Buffer.alloc(0),
          source: sourceOf(message.headers ?? {}),
        });
      },
    });
    await eventually(async () => messages, until, { timeoutMs: 60_000, what: 'the intake events on Kafka' });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

const withoutSecrets = (text: string) => secrets.filter((secret) => text.includes(secret));

describe('personal data, encrypted and erasable', () => {
  let system: System;
  let intakeDb: pg.Client;
  let personId: string;
  let registeredOnKafka: RawMessage;
  // The run's own master key, given to intake and notifications as in production.
  const masterKeys = newMasterKeyEntry('e2e-1');
  const keysOf = () => {
    const keys = new PersonKeys(parseMasterKeys(masterKeys));
    return {
      find: async (id: string) =>
        keys.find({ query: async (sql: string, params?: unknown[]) => (await intakeDb.query(sql, params)).rows }, id),
    };
  };

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: { HOMEWARD_MASTER_KEYS: masterKeys },
    });
    intakeDb = await system.database('intake');
    const token = system.token('intake');
    const created = await system.http<CommandResult>('POST', '/v1/people', {
      body: { fullName, aliases: [alias], birthDate, citizenships: ['BY'], foreignNational: false, occupation: 'journalist' },
      token,
    });
    expect(created.status).toBe(201);
    personId = created.body.id;
    const imprisoned = await system.http('POST', `/v1/people/${personId}/imprisonment`, {
      body: { charges: ['art-342'], sentenceMonths: 30, sentenceStart: '2023-05-01' },
      token,
    });
    expect(imprisoned.status).toBe(201);
    const condition = await system.http('POST', `/v1/people/${personId}/detention-conditions`, {
      body: { kind: 'lawyer-denied', account },
      token,
    });
    expect(condition.status).toBe(201);
    const messages = await readIntakeTopic(system, (found) => found.filter((message) => message.key === personId).length >= 3);
    registeredOnKafka = messages.find(
      (message) => message.key === personId && decodeEventValue(message.source, message.value).type === 'PersonRegistered',
    )!;
  }, 240_000);

  afterAll(async () => {
    await intakeDb?.end();
    await system?.stop();
  });

  it('given a registered person, then the raw Kafka messages and the raw event rows hold no personal value', async () => {
    const onKafka = await readIntakeTopic(system, (found) => found.filter((message) => message.key === personId).length >= 3);
    for (const message of onKafka.filter((candidate) => candidate.key === personId)) {
      expect(withoutSecrets(message.value.toString('latin1'))).toEqual([]);
      expect(withoutSecrets(message.value.toString('utf8'))).toEqual([]);
    }
    const { rows } = await intakeDb.query(
      `SELECT type, data::text AS data, metadata::text AS metadata FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [`person-${personId}`],
    );
    expect(rows.map((row) => row.type)).toEqual(['PersonRegistered', 'ImprisonmentRecorded', 'DetentionConditionReported']);
    for (const row of rows) expect(withoutSecrets(`${row.data}${row.metadata}`)).toEqual([]);
    const { rows: readModel } = await intakeDb.query(`SELECT doc::text AS doc FROM person_file WHERE id = $1`, [personId]);
    expect(withoutSecrets(readModel[0].doc)).toEqual([]);
  });

  it('given a registered person, then the ciphertext on Kafka opens with the person key only', async () => {
    const event = decodeEventValue(registeredOnKafka.source, registeredOnKafka.value);
    const cipherName = (event.data as { fullName: string }).fullName;
    expect(cipherName).toMatch(/^enc:v2:/);
    expect(decryptFor(await keysOf().find(personId), 'fullName', cipherName)).toEqual({ readable: true, value: fullName });
  });

  it('given a registered person, then the file and the list through the gateway show the name', async () => {
    const file = await system.http('GET', `/v1/people/${personId}`, { token: system.token('intake') });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      fullName,
      aliases: [alias],
      birthDate,
      forgotten: false,
      detentionConditions: [{ kind: 'lawyer-denied', account }],
    });
    const list = await system.http<{ items: Array<{ personId: string; fullName: string }> }>('GET', '/v1/people', {
      token: system.token('intake'),
    });
    expect(list.body.items.find((item) => item.personId === personId)?.fullName).toBe(fullName);
  });

  it('refuses erasure to anyone but an admin', async () => {
    for (const role of ['intake', 'operator', 'auditor']) {
      expect((await system.http('DELETE', `/v1/people/${personId}`, { token: system.token(role) })).status).toBe(403);
    }
    expect((await system.http('DELETE', `/v1/people/${personId}`, { token: null })).status).toBe(401);
  });

  describe('when an admin erases the person', () => {
    beforeAll(async () => {
      const erased = await system.http<CommandResult>('DELETE', `/v1/people/${personId}`, { token: system.token('admin') });
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({ id: personId, streamVersion: 4 });
      // Wait for the audit copy, so its export is checked after the erasure reached it.
      await eventually(
        () =>
          system.http<{ items: Array<{ type: string }> }>('GET', `/v1/audit/events?personId=${personId}&type=PersonForgotten`, {
            token: system.token('auditor'),
          }),
        (response) => response.status === 200 && response.body.items.length === 1,
        { what: 'PersonForgotten in the audit copy', timeoutMs: 60_000 },
      );
    }, 90_000);

    it('then decrypting the old event fails cleanly: a typed forgotten result', async () => {
      const event = decodeEventValue(registeredOnKafka.source, registeredOnKafka.value);
      expect(decryptFor(await keysOf().find(personId), 'fullName', (event.data as { fullName: string }).fullName)).toEqual({
        readable: false,
        reason: 'forgotten',
      });
      const { rows } = await intakeDb.query(`SELECT wrapped_key FROM person_keys WHERE person_id = $1`, [personId]);
      expect(rows).toEqual([{ wrapped_key: null }]);
    });

    it('then neither the file nor the list returns a personal value, and the rest of the story stays', async () => {
      const file = await system.http<Record<string, unknown>>('GET', `/v1/people/${personId}`, { token: system.token('intake') });
      expect(file.status).toBe(200);
      expect(file.body).toMatchObject({
        fullName: '',
        aliases: [],
        birthDate: null,
        occupation: null,
        forgotten: true,
        status: 'imprisoned',
      });
      expect(withoutSecrets(JSON.stringify(file.body))).toEqual([]);
      const list = await system.http('GET', '/v1/people', { token: system.token('admin') });
      expect(withoutSecrets(JSON.stringify(list.body))).toEqual([]);
    });

    it('then no read model row in intake holds a personal value, nor its ciphertext', async () => {
      const { rows } = await intakeDb.query(`SELECT doc FROM person_file WHERE id = $1`, [personId]);
      expect(rows[0].doc).toMatchObject({ fullName: '', aliases: [], birthDate: '', forgotten: true });
      expect(JSON.stringify(rows[0].doc)).not.toContain('enc:v1:');
    });

    it('then the audit search and export hold no personal value: the copy was ciphertext all along', async () => {
      const auditor = system.token('auditor');
      const response = await fetch(`${system.gatewayUrl}/v1/audit/events/export?personId=${personId}`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      expect(response.status).toBe(200);
      const lines = (await response.text()).trimEnd().split('\n');
      const types = lines.map((line) => (JSON.parse(line) as { type: string }).type);
      expect(types).toEqual(
        expect.arrayContaining(['PersonRegistered', 'ImprisonmentRecorded', 'DetentionConditionReported', 'PersonForgotten']),
      );
      expect(withoutSecrets(lines.join('\n'))).toEqual([]);
      const search = await system.http('GET', `/v1/audit/events?personId=${personId}`, { token: auditor });
      expect(withoutSecrets(JSON.stringify(search.body))).toEqual([]);
    });

    it('then rebuilding intake read models brings no name back', async () => {
      const projections = await system.http<{ items: Projection[] }>('GET', '/v1/admin/projections', { token: system.token('operator') });
      const jobs = await rebuildAll(
        system,
        projections.body.items.filter((item) => item.service === 'intake'),
      );
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.every((job) => job.state === 'done')).toBe(true);
      const file = await system.http('GET', `/v1/people/${personId}`, { token: system.token('intake') });
      expect(file.body).toMatchObject({ fullName: '', forgotten: true });
      const { rows } = await intakeDb.query(`SELECT doc::text AS doc FROM person_file WHERE id = $1`, [personId]);
      expect(withoutSecrets(rows[0].doc)).toEqual([]);
    });

    it('then nothing more is recorded for the person, a second erasure included', async () => {
      const again = await system.http<{ code: string }>('DELETE', `/v1/people/${personId}`, { token: system.token('admin') });
      expect(again.status).toBe(422);
      expect(again.body.code).toBe('person.forgotten');
      const condition = await system.http<{ code: string }>('POST', `/v1/people/${personId}/detention-conditions`, {
        body: { kind: 'lawyer-denied', account },
        token: system.token('intake'),
      });
      expect(condition.status).toBe(422);
      expect(condition.body.code).toBe('person.forgotten');
    });
  });
});
