// The undocumented list, over gRPC against the real PostgreSQL and Kafka: paged by cursor, read
// through the partial index that leaves documented people out. Invented people only.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { identityDocuments } from '@homeward/contracts';
import { v7 as uuidv7 } from 'uuid';
import { documentsHarness } from '../testing/documents-harness.js';

describe('the undocumented list', () => {
  const harness = documentsHarness();

  beforeAll(async () => {
    // Someone at risk of statelessness, beside the undocumented people the test records.
    const atRisk = uuidv7();
    await harness.confiscate(atRisk);
    await harness.certify(atRisk);
  });

  it('pages by cursor in id order, with nothing repeated or left out', async () => {
    for (let i = 0; i < 5; i += 1) await harness.confiscate(uuidv7());
    const everything = await harness.listAll('');
    expect(everything.length).toBeGreaterThanOrEqual(5);
    const pages: identityDocuments.UndocumentedPerson[][] = [];
    let cursor = '';
    do {
      const page = await harness.client.listUndocumented({ status: '', limit: 2, cursor });
      pages.push(page.items ?? []);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat()).toEqual(everything);
    const ids = everything.map((item) => item.personId);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(everything.map((item) => item.status))).toEqual(new Set(['undocumented', 'at-risk-of-statelessness']));
  });

  it('reads through the partial status index that leaves documented people out', async () => {
    const plan = await harness.service.runtime.dataSource.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off'); // a table this small would be scanned anyway
      const rows: Array<{ 'QUERY PLAN': string }> = await tx.query(
        `EXPLAIN SELECT id, doc->>'status' AS status FROM undocumented_people
       WHERE doc->>'status' <> 'documented' AND doc->>'status' = ANY($1::text[]) AND id > $2 ORDER BY id LIMIT $3`,
        [['undocumented'], '', 3],
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('undocumented_people_status_idx');
  });
});
