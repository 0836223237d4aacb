// Audit searches the events it copied, over gRPC, against the real PostgreSQL and Kafka.
// Invented people only.
import { describe, expect, it } from '@jest/globals';
import { auditHarnessWith } from '../testing/audit-harness.js';
import { twoPeople } from '../testing/events.js';

describe('searching events', () => {
  const people = twoPeople();
  const { personA, storyA, legalStream } = people;
  const audit = auditHarnessWith('audit_search', people);

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
});
