// The audit service booted in-process against the real PostgreSQL and Kafka: valid chained events
// (hashEvent + the messaging codec) go onto topics of this test run (KAFKA_TOPIC_PREFIX), and what
// the service copied, verified and serves over gRPC is checked. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { topicOf, type EventEnvelope } from '@homeward/messaging';
import { eventually } from '@homeward/testing';
import { v7 as uuidv7 } from 'uuid';
import { startAuditHarness, type AuditHarness } from './testing/audit-harness.js';
import { chain, contactLost, intakeStory, newPersonId, registered } from './testing/events.js';

describe('audit service', () => {
  let audit: AuditHarness;
  const publish = (context: string, ...events: EventEnvelope[]) => audit.publish(context, ...events);
  const sql = <T>(text: string, parameters: unknown[] = []) => audit.sql<T>(text, parameters);
  const copied = (eventIds: string[]) => audit.copied(eventIds);

  const personA = newPersonId();
  const personB = newPersonId();
  const storyA = intakeStory(personA);
  const storyB = intakeStory(personB);
  const caseId = uuidv7();
  const legalStream = chain('legal', `case-${caseId}`, personA, [
    {
      type: 'LegalCaseOpened',
      data: { caseId, personId: personA, openedAt: '2025-09-12T00:00:00Z', firstEventId: storyA[2]!.eventId },
      actor: 'rule:deportation',
    },
  ]);

  beforeAll(async () => {
    audit = await startAuditHarness('audit_int');
    await publish('intake', ...storyA, ...storyB);
    await publish('legal', ...legalStream);
    await copied([...storyA, ...storyB, ...legalStream].map((event) => event.eventId));
  }, 90_000);

  afterAll(() => audit?.stop());

  it('copies each event verbatim with its Kafka position, once even when it is republished', async () => {
    await publish('intake', storyA[0]!, storyA[1]!);
    const marker = chain('intake', `person-${newPersonId()}`, newPersonId(), [{ type: 'PersonRegistered', data: registered(personA) }]);
    await publish('intake', ...marker);
    await copied(marker.map((event) => event.eventId));

    const rows = await sql<{ event_id: string; n: string }>(
      `SELECT event_id, count(*) AS n FROM audit_events WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
      [storyA.map((event) => event.eventId)],
    );
    expect(rows.map((row) => Number(row.n))).toEqual([1, 1, 1]);
    // Once by the copy's own key: no inbox row repeats it.
    expect(await sql<{ n: string }>(`SELECT count(*) AS n FROM inbox`)).toEqual([{ n: '0' }]);
    const page = await audit.client.searchEvents({
      filter: { personId: personA, streamId: `person-${personA}`, type: '', actor: '', from: '', to: '', through: '' },
      limit: 10,
      cursor: '',
    });
    expect(page.total).toBe(3);
    const first = page.items[0]!;
    expect(first.envelope).toEqual(
      expect.objectContaining({ eventId: storyA[0]!.eventId, hash: storyA[0]!.hash, prevHash: '', streamVersion: 1, source: 'intake' }),
    );
    expect(JSON.parse(first.dataJson)).toEqual(storyA[0]!.data);
    expect(first.topic).toBe(topicOf('intake'));
    expect(Number(first.offset)).toBeGreaterThanOrEqual(0);
  });

  it('refuses UPDATE and DELETE on the audit tables', async () => {
    await expect(sql(`UPDATE audit_events SET actor = 'someone-else' WHERE event_id = $1`, [storyA[0]!.eventId])).rejects.toThrow(
      /append-only/,
    );
    await expect(sql(`DELETE FROM audit_events WHERE event_id = $1`, [storyA[0]!.eventId])).rejects.toThrow(/append-only/);
    const access = {
      actor: 'auditor-0',
      roles: ['auditor'],
      personId: personA,
      personIds: [],
      fields: ['person'],
      at: '2025-09-30T10:00:00Z',
      correlationId: '',
      route: 'GET /v1/people/:personId',
    };
    await audit.client.recordAccess(access);
    await expect(sql(`DELETE FROM access_log WHERE actor = 'auditor-0'`)).rejects.toThrow(/append-only/);
    await expect(sql(`TRUNCATE chain_breaks`)).rejects.toThrow(/append-only/);
  });

  it('verifies a clean stream, and a whole context', async () => {
    expect(await audit.client.verifyStream({ streamId: `person-${personA}` })).toEqual({
      streamId: `person-${personA}`,
      eventsChecked: 3,
      valid: true,
    });
    const legal = await audit.client.verifySource({ source: 'legal' });
    expect(legal).toEqual({ source: 'legal', streamsChecked: 1, eventsChecked: 1, broken: [] });
    await expect(audit.client.verifyStream({ streamId: 'person-nobody' })).rejects.toMatchObject({ code: 5 });
  });

  it('stores an event that does not follow its stream and records the break as it arrives', async () => {
    const personC = newPersonId();
    const good = chain('intake', `person-${personC}`, personC, [{ type: 'PersonRegistered', data: registered(personC) }]);
    const [gap] = chain('intake', `person-${personC}`, personC, [
      { type: 'ContactLost', data: contactLost(personC), streamVersion: 3, prevHash: good[0]!.hash },
    ]);
    const [forged] = chain('intake', `person-${personC}`, personC, [
      { type: 'ContactLost', data: contactLost(personC), streamVersion: 4, prevHash: 'f'.repeat(64) },
    ]);
    await publish('intake', good[0]!, gap!, forged!);
    await copied([good[0]!.eventId, gap!.eventId, forged!.eventId]);
    const breaks = await sql<{ event_id: string; stream_version: number; reason: string }>(
      `SELECT event_id, stream_version, reason FROM chain_breaks WHERE stream_id = $1 ORDER BY id`,
      [`person-${personC}`],
    );
    expect(breaks).toEqual([
      { event_id: gap!.eventId, stream_version: 3, reason: 'version-gap' },
      { event_id: forged!.eventId, stream_version: 4, reason: 'broken-link' },
    ]);
    expect(await audit.client.verifyStream({ streamId: `person-${personC}` })).toMatchObject({
      valid: false,
      firstBroken: { eventId: gap!.eventId, streamVersion: 3, reason: 'version-gap' },
    });
  });

  it('names exactly the row altered behind the trigger as the first break', async () => {
    const target = storyB[1]!;
    await sql(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    try {
      await sql(`UPDATE audit_events SET data = jsonb_set(data, '{daysOfSentenceRemaining}', '0') WHERE event_id = $1`, [target.eventId]);
    } finally {
      await sql(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    }
    expect(await audit.client.verifyStream({ streamId: `person-${personB}` })).toEqual({
      streamId: `person-${personB}`,
      eventsChecked: 2,
      valid: false,
      firstBroken: { eventId: target.eventId, streamVersion: 2, reason: 'hash-mismatch' },
    });
    const intake = await audit.client.verifySource({ source: 'intake' });
    expect(intake.broken.map((stream) => stream.streamId)).toContain(`person-${personB}`);
    expect(intake.broken.map((stream) => stream.streamId)).not.toContain(`person-${personA}`);
  });

  it('searches by person, stream, type, actor and time, and pages by cursor', async () => {
    const filter = { personId: '', streamId: '', type: '', actor: '', from: '', to: '', through: '' };
    const byPerson = await audit.client.searchEvents({ filter: { ...filter, personId: personA }, limit: 50, cursor: '' });
    expect(byPerson.total).toBe(4); // three intake events and the legal case
    const byType = await audit.client.searchEvents({
      filter: { ...filter, personId: personA, type: 'PrisonerReleased' },
      limit: 50,
      cursor: '',
    });
    expect(byType.items.map((item) => item.envelope!.eventId)).toEqual([storyA[1]!.eventId]);
    const byActor = await audit.client.searchEvents({ filter: { ...filter, actor: 'rule:deportation' }, limit: 50, cursor: '' });
    expect(byActor.items.map((item) => item.envelope!.eventId)).toEqual([legalStream[0]!.eventId]);
    const byTime = await audit.client.searchEvents({
      filter: { ...filter, personId: personA, from: '2025-09-11T06:01:00Z', to: '2025-09-11T06:02:00Z' },
      limit: 50,
      cursor: '',
    });
    expect(byTime.items.map((item) => item.envelope!.eventId)).toEqual([storyA[1]!.eventId]);

    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await audit.client.searchEvents({ filter: { ...filter, personId: personA }, limit: 3, cursor });
      seen.push(...page.items.map((item) => item.envelope!.eventId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(4);
    expect(seen).toEqual(byPerson.items.map((item) => item.envelope!.eventId));
    await expect(audit.client.searchEvents({ filter, limit: 3, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 3 });
  });

  it('exports as many events as the search counts, in the same order', async () => {
    const filter = { personId: '', streamId: '', type: '', actor: '', from: '', to: '', through: '' };
    const all = await audit.client.searchEvents({ filter, limit: 1, cursor: '' });
    const exported = await audit.client.exportEvents(filter);
    expect(exported).toHaveLength(all.total);
    expect(all.total).toBeGreaterThanOrEqual(7);
    // The person's events, in the order search pages them (arrival order across topics may vary).
    const mine = await audit.client.exportEvents({ ...filter, personId: personA });
    const searched = await audit.client.searchEvents({ filter: { ...filter, personId: personA }, limit: 100, cursor: '' });
    expect(mine.map((item) => item.envelope!.eventId)).toEqual(searched.items.map((item) => item.envelope!.eventId));
    expect(new Set(mine.map((item) => item.envelope!.eventId))).toEqual(new Set([...storyA, ...legalStream].map((event) => event.eventId)));
  });

  it('records reads of a person file and lists them by person and actor', async () => {
    const base = {
      roles: ['legal'],
      personIds: [],
      fields: ['person', 'documents', 'legal'],
      correlationId: uuidv7(),
      route: 'GET /v1/people/:personId',
    };
    await audit.client.recordAccess({ ...base, actor: 'advisor-1', personId: personA, at: '2025-10-01T10:00:00Z' });
    await audit.client.recordAccess({ ...base, actor: 'advisor-2', personId: personA, at: '2025-10-01T11:00:00Z' });
    await audit.client.recordAccess({ ...base, actor: 'advisor-1', personId: personB, at: '2025-10-01T12:00:00Z' });
    const forA = await audit.client.listAccessLog({
      personId: personA,
      actor: '',
      from: '2025-10-01T00:00:00Z',
      to: '',
      limit: 1,
      cursor: '',
    });
    expect(forA.items).toEqual([
      expect.objectContaining({
        actor: 'advisor-1',
        personId: personA,
        roles: ['legal'],
        fields: ['person', 'documents', 'legal'],
        at: '2025-10-01T10:00:00.000Z',
      }),
    ]);
    const next = await audit.client.listAccessLog({
      personId: personA,
      actor: '',
      from: '2025-10-01T00:00:00Z',
      to: '',
      limit: 1,
      cursor: forA.nextCursor,
    });
    expect(next.items.map((item) => item.actor)).toEqual(['advisor-2']);
    const byActor = await audit.client.listAccessLog({
      personId: '',
      actor: 'advisor-1',
      from: '2025-10-01T11:30:00Z',
      to: '',
      limit: 10,
      cursor: '',
    });
    expect(byActor.items.map((item) => item.personId)).toEqual([personB]);
    expect(byActor.items.map((item) => item.personIds)).toEqual([[personB]]);
    await expect(audit.client.recordAccess({ ...base, actor: '', personId: personA, at: '2025-10-01T10:00:00Z' })).rejects.toMatchObject({
      code: 3,
    });
  });

  it('records a list read naming everyone on the page, and finds it by any of them', async () => {
    const personC = newPersonId();
    const base = {
      roles: ['documents'],
      personId: '',
      fields: ['items.personId', 'items.status'],
      correlationId: uuidv7(),
      route: 'GET /v1/documents/undocumented',
    };
    await audit.client.recordAccess({ ...base, actor: 'clerk-list', personIds: [personB, personC, personB], at: '2025-10-02T10:00:00Z' });
    await audit.client.recordAccess({ ...base, actor: 'clerk-list', personIds: [], at: '2025-10-02T11:00:00Z' });
    const forC = await audit.client.listAccessLog({ personId: personC, actor: '', from: '', to: '', limit: 10, cursor: '' });
    expect(forC.items).toEqual([
      expect.objectContaining({
        actor: 'clerk-list',
        personIds: [personB, personC],
        personId: '',
        fields: ['items.personId', 'items.status'],
      }),
    ]);
    // Older entries (one person_id) and list entries are found alike by a person.
    const forB = await audit.client.listAccessLog({
      personId: personB,
      actor: '',
      from: '2025-10-01T00:00:00Z',
      to: '',
      limit: 10,
      cursor: '',
    });
    expect(forB.items.map((item) => item.actor)).toEqual(['advisor-1', 'clerk-list']);
    const byActor = await audit.client.listAccessLog({ personId: '', actor: 'clerk-list', from: '', to: '', limit: 10, cursor: '' });
    expect(byActor.items.map((item) => item.personIds)).toEqual([[personB, personC], []]);
    await expect(
      audit.client.recordAccess({ ...base, actor: 'clerk-list', personIds: [''], at: '2025-10-02T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 3 });
  });

  it('names the subjects an export will hold, and bounds the export by that position', async () => {
    const filter = { personId: '', streamId: '', type: '', actor: '', from: '', to: '', through: '' };
    const subjects = await audit.client.subjectsOf({ ...filter, type: 'PersonRegistered' });
    expect(subjects.subjects).toEqual(expect.arrayContaining([personA, personB].sort()));
    expect(subjects.through).toMatch(/^\d+$/);
    const mine = await audit.client.subjectsOf({ ...filter, personId: personA });
    expect(mine.subjects).toEqual([personA]);
    const later = newPersonId();
    await publish('intake', ...intakeStory(later));
    await eventually(
      () => audit.client.searchEvents({ filter: { ...filter, personId: later }, limit: 10, cursor: '' }),
      (page) => page.total === 3,
      { what: 'the later events copied' },
    );
    const bounded = await audit.client.exportEvents({ ...filter, through: subjects.through });
    expect(bounded.some((event) => event.envelope!.subject === later)).toBe(false);
    expect((await audit.client.exportEvents(filter)).some((event) => event.envelope!.subject === later)).toBe(true);
    await expect(audit.client.subjectsOf({ ...filter, through: 'x' })).rejects.toMatchObject({ code: 3 });
  });
});
