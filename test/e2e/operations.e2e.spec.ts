// The operator surface through the real, built system: after a small scenario (people registered,
// released, deported, a passport confiscated, a recipient told by email), every read model of
// every service (legal's consumer-fed ones from the topics) is rebuilt beside the live one and
// swapped in while reads keep being served; the tables end identical and no notification is sent
// again. A poison message on intake's topic lands in dead letters while the consumers carry on,
// and a retry after the fix applies it once.
// Invented people and addresses only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createKafkaBroker, topicOf, type Broker, type Publisher } from '@homeward/messaging';
import { eventually, kafkaBrokers } from '@homeward/testing';
import { kindOf, startMailSink, type MailSink } from '../support/receivers.js';
import { checksums as checksumsOf, listProjections, type Job, type Projection } from '../support/operations.js';
import { intakeFact as factOf } from '../support/intake-facts.js';
import { startSystem, type System } from '../support/system.js';

interface DeadLetter {
  deadLetterId: string;
  service: string;
  group: string;
  topic: string;
  eventType: string | null;
  retriedAt: string | null;
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
const confiscation = { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: 'Invented pre-trial detention centre' };
const names = ['Ales Invented', 'Maryna Invented', 'Ihar Invented'];
const address = 'operations.invented@example.org';

const intakeFact = (type: string, data: { personId: string } & Record<string, unknown>) =>
  factOf(type, data, { actor: 'e2e-operations', streamVersion: 90 });

describe('operations through the gateway', () => {
  let system: System;
  let mail: MailSink;
  let broker: Broker;
  let publisher: Publisher;
  const people: string[] = [];

  beforeAll(async () => {
    mail = await startMailSink();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: { SMTP_URL: mail.url, NOTIFY_FROM: 'notify@homeward.test', DELIVERY_POLL_MS: '100' },
    });
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'operations-e2e' });
    publisher = await broker.publisher();
  });

  afterAll(async () => {
    await publisher?.close();
    await broker?.disconnect();
    await system?.stop();
    await mail?.close();
  });

  const operator = () => system.token('operator');
  const projections = () => listProjections(system);
  const checksums = (items: Projection[]) => checksumsOf(system, items);

  it('plays a small scenario', async () => {
    const intake = system.token('intake');
    for (const name of names) {
      const created = await system.http<{ id: string }>('POST', '/v1/people', { body: person(name), token: intake });
      expect(created.status).toBe(201);
      people.push(created.body.id);
      expect((await system.http('POST', `/v1/people/${created.body.id}/imprisonment`, { body: imprisonment, token: intake })).status).toBe(
        201,
      );
    }
    const recipient = await system.http('POST', '/v1/notifications/recipients', {
      body: { role: 'family', channel: 'email', address, consent: true, follows: people },
      token: system.token('notifications'),
    });
    expect(recipient.status).toBe(201);
    for (const personId of people)
      expect((await system.http('POST', `/v1/people/${personId}/release`, { body: release, token: intake })).status).toBe(201);
    expect((await system.http('POST', `/v1/people/${people[0]}/deportation`, { body: deportation, token: intake })).status).toBe(201);
    const confiscated = await system.http('POST', `/v1/people/${people[1]}/documents/passport-confiscations`, {
      body: confiscation,
      token: system.token('documents'),
    });
    expect(confiscated.status).toBe(201);

    await eventually(
      async () => mail.mailsTo(address).length,
      (n) => n === 4,
      { timeoutMs: 60_000, what: 'three releases and one deportation mailed' },
    );
    // Settled: every read model the same twice in a row, a second apart.
    let previous = '';
    await eventually(
      async () => {
        const now = JSON.stringify(await checksums(await projections()));
        const settled = now === previous;
        previous = now;
        return settled;
      },
      (settled) => settled,
      { timeoutMs: 60_000, intervalMs: 1_000, what: 'the read models to settle' },
    );
  });

  it('rebuilds every read model of every service beside the live one: same tables, reads served, nothing sent again', async () => {
    const before = await projections();
    expect([...new Set(before.map((item) => item.service))]).toEqual(
      expect.arrayContaining(['intake', 'legal', 'identity-documents', 'notifications']),
    );
    const inline = before.filter((item) => item.kind === 'inline');
    const consumerFed = before.filter((item) => item.kind === 'consumer');
    expect(
      consumerFed.every(
        (item) => typeof item.lag === 'number' && item.checkpoints.every((checkpoint) => typeof checkpoint.lag === 'number'),
      ),
    ).toBe(true);
    expect(inline.length).toBeGreaterThanOrEqual(8);
    const sumsBefore = await checksums(before);
    const mailsBefore = mail.mails.length;

    let reading = true;
    const statuses: number[] = [];
    const reader = (async () => {
      while (reading) {
        for (const personId of people)
          statuses.push((await system.http('GET', `/v1/people/${personId}`, { token: system.token('intake') })).status);
      }
    })();

    const jobs: string[] = [];
    for (const item of [...inline, ...consumerFed]) {
      const started = await system.http<Job>('POST', `/v1/admin/projections/${item.service}/${item.name}/rebuild`, { token: operator() });
      expect({ item: item.name, status: started.status }).toEqual({ item: item.name, status: 202 });
      expect(started.body.jobId.startsWith(`${item.service}:`)).toBe(true);
      jobs.push(started.body.jobId);
    }
    // The tables one consumer keeps together are rebuilt by one job.
    expect(new Set(jobs).size).toBe(inline.length + consumerFed.length - 1);
    for (const jobId of jobs) {
      const done = await eventually(
        async () => (await system.http<Job>('GET', `/v1/admin/jobs/${jobId}`, { token: operator() })).body,
        (job) => job.state === 'done' || job.state === 'failed',
        { timeoutMs: 60_000, what: `job ${jobId}` },
      );
      expect(done).toMatchObject({ state: 'done', errorCode: null });
      expect(done.eventsDone).toBe(done.eventsTotal);
    }
    reading = false;
    await reader;

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(await checksums(before)).toEqual(sumsBefore);
    expect(mail.mails.length).toBe(mailsBefore);
    const after = await projections();
    expect(after.every((item) => item.state === 'live')).toBe(true);
    // Operators see names, counts and positions: no personal field.
    expect(JSON.stringify(after)).not.toMatch(/Invented|example\.org/);
    process.stdout.write(
      `operations: rebuilt ${inline.length} inline and ${consumerFed.length} consumer-fed read models, ` +
        `${statuses.length} reads during the rebuilds\n`,
    );
  });

  it('dead-letters a poison message, carries on, and applies it once when retried after the fix', async () => {
    const topic = `${system.prefix}.${topicOf('intake')}`;
    const followed = people[2]!;
    const fixed = intakeFact('PrisonerDeported', {
      personId: followed,
      deportedAt: new Date().toISOString(),
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: 'Benyakoni',
      consented: false,
    });
    const after = intakeFact('ContactLost', { personId: followed, lastContactAt: new Date().toISOString(), reportedBy: 'family' });
    const garbage = { key: followed, value: Buffer.from('not protobuf at all'), headers: { ...fixed.headers, ce_id: randomUUID() } };

    // The bug, as the operator finds it: notifications cannot take this one event (a trigger
    // rejects its id in the inbox), everything else flows.
    const notificationsDb = await system.database('notifications');
    try {
      await notificationsDb.query(`
        CREATE FUNCTION e2e_reject_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.event_id = '${fixed.event.eventId}' THEN RAISE EXCEPTION 'e2e: rejected'; END IF; RETURN NEW; END $$`);
      await notificationsDb.query(`CREATE TRIGGER e2e_reject BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION e2e_reject_event()`);

      // One key: one partition, in this order, in one batch.
      const { event: _f, ...fixedMessage } = fixed;
      const { event: _a, ...afterMessage } = after;
      await publisher.publish(topic, [garbage, fixedMessage, afterMessage]);

      const operatorToken = operator();
      const letters = await eventually(
        async () => (await system.http<{ items: DeadLetter[] }>('GET', '/v1/admin/dead-letters', { token: operatorToken })).body.items,
        (items) => items.filter((item) => item.service === 'notifications').length === 2 && items.some((item) => item.service === 'legal'),
        { timeoutMs: 60_000, what: 'the poison messages in dead letters' },
      );
      expect(JSON.stringify(letters)).not.toContain(followed);
      // The consumer carried on: the contact lost after the poison was applied and mailed.
      await eventually(
        async () => mail.mailsTo(address).filter((sent) => kindOf(sent) === 'contact-lost').length,
        (n) => n === 1,
        {
          timeoutMs: 30_000,
          what: 'the event after the poison',
        },
      );
      const undecodable = letters.find((item) => item.service === 'notifications' && item.eventType === null)!;
      const rejected = letters.find((item) => item.service === 'notifications' && item.eventType === 'PrisonerDeported')!;
      expect(undecodable).toBeDefined();
      expect(rejected).toBeDefined();

      expect(await system.http('POST', `/v1/admin/dead-letters/${rejected.deadLetterId}/retry`, { token: operatorToken })).toMatchObject({
        status: 422,
        body: { code: 'dead-letter.still-failing' },
      });
      expect(await system.http('POST', `/v1/admin/dead-letters/${undecodable.deadLetterId}/retry`, { token: operatorToken })).toMatchObject(
        { status: 422 },
      );

      await notificationsDb.query(`DROP TRIGGER e2e_reject ON inbox`); // the fix
      const deportedMails = () => mail.mailsTo(address).filter((sent) => kindOf(sent) === 'prisoner-deported').length;
      const mailedBefore = deportedMails();
      expect(await system.http('POST', `/v1/admin/dead-letters/${rejected.deadLetterId}/retry`, { token: operatorToken })).toMatchObject({
        status: 200,
        body: { deadLetterId: rejected.deadLetterId, outcome: 'applied' },
      });
      expect(await system.http('POST', `/v1/admin/dead-letters/${rejected.deadLetterId}/retry`, { token: operatorToken })).toMatchObject({
        status: 200,
        body: { outcome: 'already-retried' },
      });
      await eventually(
        async () => deportedMails(),
        (n) => n === mailedBefore + 1,
        { timeoutMs: 30_000, what: 'the retried deportation mailed' },
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(deportedMails()).toBe(mailedBefore + 1);
      const { rows } = await notificationsDb.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [fixed.event.eventId]);
      expect(rows[0].n).toBe(1);
    } finally {
      await notificationsDb.query(`DROP TRIGGER IF EXISTS e2e_reject ON inbox`).catch(() => undefined);
      await notificationsDb.end();
    }
  });

  it('verifies a stream for an auditor and names an altered event; replays a stream; serves /metrics', async () => {
    const personId = people[0]!;
    const route = `/v1/admin/streams/intake/person-${personId}/verify`;
    const valid = await system.http('GET', route, { token: system.token('auditor') });
    expect(valid).toMatchObject({ status: 200, body: { valid: true, eventsChecked: 4, firstBroken: null } });
    expect((await system.http('GET', route, { token: system.token('intake') })).status).toBe(403);

    const replay = await system.http<Job>('POST', '/v1/admin/replays', {
      body: { service: 'intake', streamId: `person-${personId}` },
      token: operator(),
    });
    expect(replay).toMatchObject({ status: 202, body: { state: 'done', eventsDone: 4 } });

    // For operators, with their token (a Prometheus scrape passes it as bearer_token_file).
    const scrape = () => fetch(`${system.gatewayUrl}/metrics`, { headers: { authorization: `Bearer ${operator()}` } });
    expect((await fetch(`${system.gatewayUrl}/metrics`)).status).toBe(401);
    const metrics = await scrape();
    const text = await metrics.text();
    expect(metrics.status).toBe(200);
    expect(text).toMatch(/homeward_events_appended_total\{service="intake"\} \d+/);
    expect(text).toContain('homeward_consumer_checkpoint{service="legal"');
    // Lag per group and partition: it goes back to 0 once the consumers have applied the replay.
    const lagsOf = (body: string) =>
      [...body.matchAll(/^homeward_consumer_lag\{[^}]*service="(legal|notifications|audit)"[^}]*\} (\d+)$/gm)].map((match) =>
        Number(match[2]),
      );
    expect(lagsOf(text).length).toBeGreaterThan(0);
    await eventually(
      async () => lagsOf(await (await scrape()).text()),
      (lags) => lags.length > 0 && lags.every((lag) => lag === 0),
      {
        timeoutMs: 30_000,
        what: 'every consumer lag back to 0',
      },
    );
    expect(text).not.toMatch(/Invented|example\.org/);

    const intakeDb = await system.database('intake');
    try {
      const { rows } = await intakeDb.query(`SELECT event_id FROM events WHERE stream_id = $1 AND stream_version = 3`, [
        `person-${personId}`,
      ]);
      await intakeDb.query(`UPDATE events SET data = jsonb_set(data, '{daysOfSentenceRemaining}', '1') WHERE event_id = $1`, [
        rows[0].event_id,
      ]);
      const broken = await system.http('GET', route, { token: system.token('auditor') });
      expect(broken).toMatchObject({
        status: 200,
        body: { valid: false, firstBroken: { eventId: rows[0].event_id, streamVersion: 3, reason: 'hash-mismatch' } },
      });
    } finally {
      await intakeDb.end();
    }
  });
});
