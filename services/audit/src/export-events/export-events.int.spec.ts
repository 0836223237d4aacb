// Audit exports the events it copied, over gRPC, against the real PostgreSQL and Kafka: as the
// search counts and orders them, and bounded by a position. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { auditHarnessWith } from '../testing/audit-harness.js';
import { intakeStory, newPersonId, twoPeople } from '../testing/events.js';

describe('exporting events', () => {
  const people = twoPeople();
  const { personA, personB, storyA, legalStream } = people;
  const audit = auditHarnessWith('audit_export', people);

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

  it('names the subjects an export will hold, and bounds the export by that position', async () => {
    const filter = { personId: '', streamId: '', type: '', actor: '', from: '', to: '', through: '' };
    const subjects = await audit.client.subjectsOf({ ...filter, type: 'PersonRegistered' });
    expect(subjects.subjects).toEqual(expect.arrayContaining([personA, personB].sort()));
    expect(subjects.through).toMatch(/^\d+$/);
    const mine = await audit.client.subjectsOf({ ...filter, personId: personA });
    expect(mine.subjects).toEqual([personA]);
    const later = newPersonId();
    await audit.publish('intake', ...intakeStory(later));
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
