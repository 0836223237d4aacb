// The one statelessness rule (shared with legal), across the commands and the undocumented list,
// against the real PostgreSQL and Kafka: a visa replaces no passport, and statuses stored under the
// old rule are derived again when migrating. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { DocumentsStatusOneRule1764000000300 } from './migrations.js';
import { documentsHarness, metadata } from './testing/documents-harness.js';

describe('the one statelessness rule (shared with legal)', () => {
  const harness = documentsHarness();
  const visaHolder = uuidv7();

  it('keeps a person with an issued humanitarian visa on the undocumented list: a visa replaces no passport', async () => {
    await harness.confiscate(visaHolder);
    const applied = await harness.apply(visaHolder, { documentType: 'humanitarian-visa' });
    await harness.client.decideTravelDocumentApplication({
      metadata: metadata(),
      personId: visaHolder,
      applicationId: applied.applicationId,
      decision: 'issued',
      decidedAt: '2025-10-20T10:00:00.000Z',
      validUntil: '2030-10-19',
      reason: '',
    });
    expect(await harness.documentsOf(visaHolder)).toMatchObject({
      status: 'undocumented',
      applications: [{ documentType: 'humanitarian-visa', decision: 'issued' }],
    });
    expect(await harness.listAll('undocumented')).toContainEqual({ personId: visaHolder, status: 'undocumented' });
    await harness.certify(visaHolder);
    expect(await harness.listAll('at-risk-of-statelessness')).toContainEqual({ personId: visaHolder, status: 'at-risk-of-statelessness' });
  });

  it('derives the statuses stored under the old rule again when migrating', async () => {
    const sql = (text: string, parameters: unknown[] = []) => harness.service.runtime.dataSource.query(text, parameters);
    // As the old rule left them: documented by the visa.
    for (const table of ['undocumented_people', 'person_documents']) {
      await sql(`UPDATE ${table} SET doc = jsonb_set(doc, '{status}', '"documented"') WHERE id = $1`, [visaHolder]);
    }
    expect((await harness.listAll('')).map((item) => item.personId)).not.toContain(visaHolder);
    const runner = harness.service.runtime.dataSource.createQueryRunner();
    try {
      await new DocumentsStatusOneRule1764000000300().up(runner);
    } finally {
      await runner.release();
    }
    expect(await harness.listAll('at-risk-of-statelessness')).toContainEqual({ personId: visaHolder, status: 'at-risk-of-statelessness' });
    expect(await harness.documentsOf(visaHolder)).toMatchObject({ status: 'at-risk-of-statelessness' });
  });
});
