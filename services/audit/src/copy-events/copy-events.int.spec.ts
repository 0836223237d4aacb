// Audit copies every producer's events off Kafka, against the real PostgreSQL and Kafka: verbatim,
// once, append-only, and a break in a stream's chain is recorded as it arrives. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { topicOf } from '@homeward/messaging';
import { auditHarnessWith } from '../testing/audit-harness.js';
import { chain, contactLost, newPersonId, registered, twoPeople } from '../testing/events.js';

describe('copying events', () => {
  const people = twoPeople();
  const { personA, storyA } = people;
  const audit = auditHarnessWith('audit_copy', people);

  it('copies each event verbatim with its Kafka position, once even when it is republished', async () => {
    await audit.publish('intake', storyA[0]!, storyA[1]!);
    const marker = chain('intake', `person-${newPersonId()}`, newPersonId(), [{ type: 'PersonRegistered', data: registered(personA) }]);
    await audit.publish('intake', ...marker);
    await audit.copied(marker.map((event) => event.eventId));

    const rows = await audit.sql<{ event_id: string; n: string }>(
      `SELECT event_id, count(*) AS n FROM audit_events WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
      [storyA.map((event) => event.eventId)],
    );
    expect(rows.map((row) => Number(row.n))).toEqual([1, 1, 1]);
    // Once by the copy's own key: no inbox row repeats it.
    expect(await audit.sql<{ n: string }>(`SELECT count(*) AS n FROM inbox`)).toEqual([{ n: '0' }]);
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
    await expect(audit.sql(`UPDATE audit_events SET actor = 'someone-else' WHERE event_id = $1`, [storyA[0]!.eventId])).rejects.toThrow(
      /append-only/,
    );
    await expect(audit.sql(`DELETE FROM audit_events WHERE event_id = $1`, [storyA[0]!.eventId])).rejects.toThrow(/append-only/);
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
    await expect(audit.sql(`DELETE FROM access_log WHERE actor = 'auditor-0'`)).rejects.toThrow(/append-only/);
    await expect(audit.sql(`TRUNCATE chain_breaks`)).rejects.toThrow(/append-only/);
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
    await audit.publish('intake', good[0]!, gap!, forged!);
    await audit.copied([good[0]!.eventId, gap!.eventId, forged!.eventId]);
    const breaks = await audit.sql<{ event_id: string; stream_version: number; reason: string }>(
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
});
