import { documentTableSql, eventStoreMigrations } from '@homeward/eventsourcing';
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

export const migrations = [...eventStoreMigrations, DocumentsReadModels1764000000200];
