// The copy's side of a reconciliation, with the audit service in-process against the real
// PostgreSQL and Kafka: what it copied from the topics, summed per stream exactly as a context sums
// its store (streamDigest), one source at a time, in byte order; a version a context published
// twice, changed, is counted twice; one stream's rows paged. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { streamDigest } from '@homeward/operations';
import type { EventEnvelope } from '@homeward/messaging';
import { startAuditHarness, type AuditHarness } from '../testing/audit-harness.js';
import { chain, contactLost, intakeStory, newPersonId, registered } from '../testing/events.js';
import { copiedStreamHeadsSql } from './copied-streams.controller.js';

const refs = (events: EventEnvelope[]) =>
  events.map((event) => ({ version: event.streamVersion, eventId: event.eventId, hash: event.hash }));

describe('copied streams for a reconciliation', () => {
  let audit: AuditHarness;

  const people = Array.from({ length: 5 }, () => newPersonId());
  const stories = people.map((personId) => intakeStory(personId));
  // A stream whose second version was published again, changed, under another event id.
  const twicePerson = newPersonId();
  const [first, second] = chain('intake', `person-${twicePerson}`, twicePerson, [
    { type: 'PersonRegistered', data: registered(twicePerson) },
    { type: 'ContactLost', data: contactLost(twicePerson) },
  ]);
  const [rewritten] = chain('intake', `person-${twicePerson}`, twicePerson, [
    { type: 'ContactLost', data: { ...contactLost(twicePerson), reportedBy: 'neighbour' }, streamVersion: 2, prevHash: first!.hash },
  ]);
  const legalStream = chain('legal', `person-${people[0]}`, people[0]!, [
    { type: 'LegalCaseOpened', data: { caseId: newPersonId(), personId: people[0], openedAt: '2025-09-12T00:00:00Z', firstEventId: '' } },
  ]);

  beforeAll(async () => {
    audit = await startAuditHarness('audit_copied');
    await audit.publish('intake', ...stories.flat(), first!, second!);
    await audit.publish('intake', rewritten!);
    await audit.publish('legal', ...legalStream);
    await audit.copied([...stories.flat(), first!, second!, rewritten!, ...legalStream].map((event) => event.eventId));
  }, 90_000);

  afterAll(() => audit?.stop());

  it("pages one source's copied streams in byte order, each summed as its context sums its store", async () => {
    const heads = [];
    let after = '';
    let pages = 0;
    do {
      const page = await audit.client.copiedStreamHeads({ source: 'intake', after, limit: 2 });
      heads.push(...page.items);
      after = page.nextCursor;
      pages += 1;
    } while (after !== '');
    expect(pages).toBe(4);
    const expected = [
      ...stories.map((story) => ({ streamId: story[0]!.streamId, events: story })),
      { streamId: `person-${twicePerson}`, events: [first!, second!, rewritten!] },
    ].sort((a, b) => Buffer.compare(Buffer.from(a.streamId), Buffer.from(b.streamId)));
    expect(heads).toEqual(
      expected.map(({ streamId, events }) => ({
        streamId,
        version: events.at(-1)!.streamVersion,
        hash: events.at(-1)!.hash,
        events: events.length,
        digest: streamDigest(refs(events)),
      })),
    );
  });

  it('keeps each source to its own copy, a stream id shared by two contexts included', async () => {
    const legal = await audit.client.copiedStreamHeads({ source: 'legal', after: '', limit: 10 });
    expect(legal).toEqual({
      items: [
        { streamId: `person-${people[0]}`, version: 1, hash: legalStream[0]!.hash, events: 1, digest: streamDigest(refs(legalStream)) },
      ],
      nextCursor: '',
    });
    expect(await audit.client.copiedStreamHeads({ source: 'notifications', after: '', limit: 10 })).toEqual({ items: [], nextCursor: '' });
  });

  it("pages one stream's rows in (version, copy) order, a version copied twice coming twice", async () => {
    const streamId = `person-${twicePerson}`;
    const page1 = await audit.client.copiedStreamEvents({ source: 'intake', streamId, cursor: '', limit: 2 });
    expect(page1.items).toEqual(refs([first!, second!]));
    expect(page1.nextCursor).toMatch(/^2\.\d+$/);
    const page2 = await audit.client.copiedStreamEvents({ source: 'intake', streamId, cursor: page1.nextCursor, limit: 2 });
    expect(page2).toEqual({ items: refs([rewritten!]), nextCursor: '' });
    expect(await audit.client.copiedStreamEvents({ source: 'legal', streamId, cursor: '', limit: 2 })).toEqual({
      items: [],
      nextCursor: '',
    });
  });

  it('refuses a source that is no context name and a cursor it did not give', async () => {
    await expect(audit.client.copiedStreamHeads({ source: 'intake; drop', after: '', limit: 1 })).rejects.toMatchObject({ code: 3 });
    await expect(audit.client.copiedStreamEvents({ source: 'intake', streamId: 'person-x', cursor: '2', limit: 1 })).rejects.toMatchObject({
      code: 3,
    });
    await expect(audit.client.copiedStreamEvents({ source: 'intake', streamId: '', cursor: '', limit: 1 })).rejects.toMatchObject({
      code: 3,
    });
  });

  it('walks the stream ids through the byte-order index, one probe each, and sums each stream over its own range of it', async () => {
    const runner = audit.service.runtime.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query('SET LOCAL enable_seqscan = off');
      const [{ 'QUERY PLAN': plan }] = (await runner.query(`EXPLAIN (FORMAT JSON) ${copiedStreamHeadsSql}`, ['intake', '', 5])) as Array<{
        'QUERY PLAN': unknown;
      }>;
      const text = JSON.stringify(plan);
      // The first id, then each stream's sums, each an index condition on (source, stream_id): no scan of the whole source.
      expect(text).toContain(`"Index Cond":"((source = 'intake'::text) AND (stream_id > ''::text))"`);
      expect(text).toMatch(
        new RegExp(
          String.raw`"Index Name":"audit_events_source_stream_bytes_idx","Relation Name":"audit_events","Alias":"a",[^}]*` +
            String.raw`"Index Cond":"\(\(source = 'intake'::text\) AND \(\(stream_id\)::text = \(ids\.stream_id\)::text\)\)"`,
        ),
      );
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });
});
