import { documentTableSql, EventStoreSchema1764000000000 } from '@homeward/eventsourcing';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LegalCases1764000000100 implements MigrationInterface {
  name = 'LegalCases1764000000100';
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('legal_cases'));
    await runner.query(`CREATE INDEX legal_cases_person_idx ON legal_cases ((doc->>'personId'))`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE legal_cases');
  }
}

export const legalMigrations = [EventStoreSchema1764000000000, LegalCases1764000000100];
