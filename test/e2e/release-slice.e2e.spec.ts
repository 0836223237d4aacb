// The first slice through the real parts: gateway -> intake (gRPC) -> Postgres + outbox -> Kafka
// -> legal's consumer -> legal's read model -> gateway. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { startSystem, type System } from '../support/system.js';

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}

const person = (fullName: string) => ({
  fullName,
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'journalist',
  birthDate: '1979-03-02',
});
const imprisonment = { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', facility: 'Penal colony 17' };
const release = {
  releasedAt: '2025-09-11T08:00:00.000Z',
  mechanism: 'brokered',
  batchId: 'batch-2025-09-11',
  daysOfSentenceRemaining: 120,
};
const deportation = {
  deportedAt: '2025-09-11T14:00:00.000Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Benyakoni',
  consented: false,
};

describe('release slice through the gateway', () => {
  let system: System;

  beforeAll(async () => {
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway']);
  });

  afterAll(async () => {
    await system?.stop();
  });

  /** Registers a person and records the imprisonment a release needs (stream version 2). */
  const register = async (fullName: string) => {
    const response = await system.http<CommandResult>('POST', '/v1/people', { body: person(fullName), token: system.token('intake') });
    expect(response.status).toBe(201);
    const imprisoned = await system.http('POST', `/v1/people/${response.body.id}/imprisonment`, {
      body: imprisonment,
      token: system.token('intake'),
    });
    expect(imprisoned.status).toBe(201);
    return response.body.id;
  };

  const eventCount = async (personId: string) => {
    const db = await system.database('intake');
    try {
      return Number((await db.query(`SELECT count(*) FROM events WHERE stream_id = $1`, [`person-${personId}`])).rows[0].count);
    } finally {
      await db.end();
    }
  };

  it('registers, releases and deports a person, and legal sees the deportation', async () => {
    const token = system.token('intake');
    const created = await system.http<CommandResult>('POST', '/v1/people', { body: person('Ales Invented'), token });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ streamVersion: 1, eventIds: [expect.any(String)] });
    const personId = created.body.id;
    expect(created.headers.get('location')).toBe(`/v1/people/${personId}`);
    const imprisoned = await system.http<CommandResult>('POST', `/v1/people/${personId}/imprisonment`, { body: imprisonment, token });
    expect(imprisoned).toMatchObject({ status: 201, body: { id: personId, streamVersion: 2 } });

    const released = await system.http<CommandResult>('POST', `/v1/people/${personId}/release`, { body: release, token });
    expect(released).toMatchObject({ status: 201, body: { id: personId, streamVersion: 3 } });
    const deported = await system.http<CommandResult>('POST', `/v1/people/${personId}/deportation`, { body: deportation, token });
    expect(deported).toMatchObject({ status: 201, body: { id: personId, streamVersion: 4 } });

    const file = await system.http('GET', `/v1/people/${personId}`, { token: system.token('legal') });
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      personId,
      status: 'in-exile',
      streamVersion: 4,
      fullName: 'Ales Invented',
      deportation: { toCountry: 'LT', consented: false },
    });

    const cases = await eventually(
      () =>
        system.http<{ items: Array<Record<string, unknown>> }>('GET', `/v1/legal/cases?personId=${personId}`, {
          token: system.token('legal'),
        }),
      // The case opens on the first event a rule fires on (here the imprisonment, opensCase); the
      // deportation reaches it with a later one.
      (response) => response.status === 200 && response.body.items.length === 1 && response.body.items[0]!.deportation != null,
      { what: 'legal to see the deportation' },
    );
    expect(cases.body.items[0]).toMatchObject({
      personId,
      deportation: { fromCountry: 'BY', toCountry: 'LT', consented: false, sourceEventId: deported.body.eventIds[0] },
    });

    const composed = await system.http<{ legal: { cases: unknown[] } }>('GET', `/v1/people/${personId}`, { token: system.token('legal') });
    expect(composed.body.legal.cases).toHaveLength(1);
  });

  it('enforces intake rules with 422 problems and writes nothing', async () => {
    const personId = await register('Maryna Invented');
    const early = await system.http('POST', `/v1/people/${personId}/deportation`, { body: deportation, token: system.token('intake') });
    expect(early.status).toBe(422);
    expect(early.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(early.body).toMatchObject({ type: expect.stringMatching(/rule-violated$/), code: 'person.not-released', status: 422 });

    await system.http('POST', `/v1/people/${personId}/release`, { body: release, token: system.token('intake') });
    const twice = await system.http('POST', `/v1/people/${personId}/release`, { body: release, token: system.token('intake') });
    expect(twice).toMatchObject({ status: 422, body: { code: 'person.already-released' } });
    const unknown = await system.http('POST', `/v1/people/0190a000-0000-7000-8000-000000000999/release`, {
      body: release,
      token: system.token('intake'),
    });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'person.not-registered' } });
    expect(await eventCount(personId)).toBe(3);
  });

  it('answers a repeated Idempotency-Key with the first result, and refuses the key for another body', async () => {
    const headers = { 'idempotency-key': `register-${Date.now()}` };
    const first = await system.http<CommandResult>('POST', '/v1/people', {
      body: person('Pavel Invented'),
      headers,
      token: system.token('intake'),
    });
    const again = await system.http<CommandResult>('POST', '/v1/people', {
      body: person('Pavel Invented'),
      headers,
      token: system.token('intake'),
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await eventCount(first.body.id)).toBe(1);

    const other = await system.http('POST', '/v1/people', {
      body: person('Someone Else Invented'),
      headers,
      token: system.token('intake'),
    });
    expect(other).toMatchObject({ status: 422, body: { type: expect.stringMatching(/idempotency-key-reused$/) } });
  });

  it('applies If-Match: a stale version gets 409 and nothing is written', async () => {
    const personId = await register('Iryna Invented');
    const stale = await system.http('POST', `/v1/people/${personId}/release`, {
      body: release,
      headers: { 'if-match': '0' },
      token: system.token('intake'),
    });
    expect(stale).toMatchObject({ status: 409, body: { type: expect.stringMatching(/version-conflict$/) } });
    expect(await eventCount(personId)).toBe(2);
    const current = await system.http('POST', `/v1/people/${personId}/release`, {
      body: release,
      headers: { 'if-match': '"2"' },
      token: system.token('intake'),
    });
    expect(current).toMatchObject({ status: 201, body: { streamVersion: 3 } });
  });

  it('rejects bad input and bad credentials with problem+json and writes nothing', async () => {
    const personId = await register('Tanya Invented');
    const cases: Array<[string, Parameters<System['http']>[2], number, string]> = [
      ['malformed JSON', { raw: '{"releasedAt": ', token: system.token('intake') }, 400, 'validation-failed'],
      ['unknown field', { body: { ...release, secretNote: 'leaky-value-4711' }, token: system.token('intake') }, 400, 'validation-failed'],
      ['bad enum', { body: { ...release, mechanism: 'escape' }, token: system.token('intake') }, 400, 'validation-failed'],
      ['missing token', { body: release, token: null }, 401, 'unauthenticated'],
      ['garbage token', { body: release, token: 'not.a.jwt' }, 401, 'unauthenticated'],
      ['wrong role', { body: release, token: system.token('auditor') }, 403, 'forbidden'],
      ['stale If-Match', { body: release, headers: { 'if-match': '7' }, token: system.token('intake') }, 409, 'version-conflict'],
      ['non-numeric If-Match', { body: release, headers: { 'if-match': 'abc' }, token: system.token('intake') }, 400, 'validation-failed'],
    ];
    for (const [name, options, status, kind] of cases) {
      const response = await system.http('POST', `/v1/people/${personId}/release`, options);
      expect({ name, status: response.status, type: response.body.type }).toEqual({
        name,
        status,
        type: expect.stringMatching(new RegExp(`${kind}$`)),
      });
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(response.body)).not.toMatch(/Tanya|leaky-value-4711|stack/);
    }
    expect(await eventCount(personId)).toBe(2);
    const notFound = await system.http('GET', `/v1/people/0190a000-0000-7000-8000-000000000998`, { token: system.token('intake') });
    expect(notFound).toMatchObject({ status: 404, body: { type: expect.stringMatching(/not-found$/) } });
  });

  it('loses and duplicates nothing when legal is killed mid-stream and restarted', async () => {
    const token = system.token('intake');
    const people: string[] = [];
    for (let i = 0; i < 12; i += 1) people.push(await register(`Invented Person ${i}`));
    for (const personId of people.slice(0, 6)) {
      await system.http('POST', `/v1/people/${personId}/release`, { body: release, token });
      await system.http('POST', `/v1/people/${personId}/deportation`, { body: deportation, token });
    }
    await system.kill('legal', 'SIGKILL');
    for (const personId of people.slice(6)) {
      await system.http('POST', `/v1/people/${personId}/release`, { body: release, token });
      expect((await system.http('POST', `/v1/people/${personId}/deportation`, { body: deportation, token })).status).toBe(201);
    }
    await system.restart('legal');

    const legal = await system.database('legal');
    try {
      const rows = await eventually(
        async () =>
          (await legal.query(`SELECT doc->>'personId' AS person FROM legal_cases WHERE doc->>'personId' = ANY($1)`, [people])).rows,
        (found) => found.length === people.length,
        { timeoutMs: 60_000, what: 'every deportation in legal after the restart' },
      );
      const inbox = Number((await legal.query(`SELECT count(*) FROM inbox`)).rows[0].count);
      const distinct = new Set(rows.map((row) => row.person)).size;
      process.stdout.write(`legal restart: people ${people.length}, cases ${rows.length}, distinct ${distinct}, inbox entries ${inbox}\n`);
      expect(distinct).toBe(people.length);
    } finally {
      await legal.end();
    }
  });
});
