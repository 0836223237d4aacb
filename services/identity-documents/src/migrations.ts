import { documentTableSql, eventStoreMigrations } from '@homeward/eventsourcing';
import { operationsMigrations } from '@homeward/operations';
import { documentsStatus, type Standing } from '@homeward/identity-documents-domain';
import { PersonKeysTable1764000000300 } from '@homeward/personal-data';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DocumentsReadModels1764000000200 implements MigrationInterface {
  name = 'DocumentsReadModels1764000000200';
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('person_documents'));
    await runner.query(documentTableSql('undocumented_people'));
    // The list reads only people without valid papers, by status and then id (the cursor).
    await runner.query(
      `CREATE INDEX undocumented_people_status_idx ON undocumented_people ((doc->>'status'), id) WHERE doc->>'status' <> 'documented'`,
    );
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE undocumented_people');
    await runner.query('DROP TABLE person_documents');
  }
}

/**
 * The status rule changed (issue 15): an issued humanitarian visa or residence permit replaces no
 * passport, and only refused applications for a passport-replacing document put a person at risk.
 * Both read models keep what the status rests on, so the stored statuses are derived again with
 * the rule as it now is; nothing else in the documents changes. Statuses are derived, never
 * chosen, so there is nothing to restore on the way down.
 */
export class DocumentsStatusOneRule1764000000300 implements MigrationInterface {
  name = 'DocumentsStatusOneRule1764000000300';
  async up(runner: QueryRunner) {
    const undocumented: Array<{ id: string; standing: Standing; status: string }> = await runner.query(
      `SELECT id, doc->'standing' AS standing, doc->>'status' AS status FROM undocumented_people WHERE jsonb_typeof(doc) = 'object'`,
    );
    for (const row of undocumented) await restate(runner, 'undocumented_people', row.id, row.status, documentsStatus(row.standing));
    const papers: Array<{
      id: string;
      doc: {
        status: string;
        passport: { state: Standing['passport'] };
        certificates: Standing['certificates'];
        applications: Standing['applications'];
      };
    }> = await runner.query(`SELECT id, doc FROM person_documents WHERE jsonb_typeof(doc) = 'object'`);
    for (const { id, doc } of papers) {
      await restate(
        runner,
        'person_documents',
        id,
        doc.status,
        documentsStatus({ passport: doc.passport.state, certificates: doc.certificates, applications: doc.applications }),
      );
    }
  }
  async down() {}
}

async function restate(runner: QueryRunner, table: string, id: string, was: string, status: string): Promise<void> {
  if (was !== status)
    await runner.query(`UPDATE ${table} SET doc = jsonb_set(doc, '{status}', to_jsonb($2::text)) WHERE id = $1`, [id, status]);
}

export const migrations = [
  ...eventStoreMigrations,
  ...operationsMigrations,
  DocumentsReadModels1764000000200,
  DocumentsStatusOneRule1764000000300,
  PersonKeysTable1764000000300,
];
