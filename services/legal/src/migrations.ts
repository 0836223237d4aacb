import { documentTableSql, eventStoreMigrations } from '@homeward/eventsourcing';
import { operationsMigrations } from '@homeward/operations';
import { PersonKeysTable1764000000300 } from '@homeward/personal-data';
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

/**
 * Legal records its own events. legal_cases becomes their projection: the documents the first
 * slice built straight from intake's topic are dropped, and the rules consumer (a new group,
 * `legal.rules`, reading from the start) rebuilds them through legal's event store.
 */
export class LegalOwnEvents1764000000200 implements MigrationInterface {
  name = 'LegalOwnEvents1764000000200';
  async up(runner: QueryRunner) {
    await runner.query('TRUNCATE legal_cases');
    await runner.query(`DELETE FROM checkpoints WHERE group_id = 'legal.intake-facts'`);
    await runner.query(`DELETE FROM inbox WHERE group_id = 'legal.intake-facts'`);
    await runner.query(`CREATE INDEX legal_cases_provisions_idx ON legal_cases USING gin ((doc->'provisions'))`);
    await runner.query(documentTableSql('person_facts'));
    await runner.query(documentTableSql('batch_practices'));
    await runner.query(documentTableSql('patterns'));
    await runner.query(`CREATE INDEX patterns_batch_idx ON patterns ((doc->>'batchId'))`);
    await runner.query(`CREATE INDEX patterns_practice_idx ON patterns ((doc->>'practice'))`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE patterns');
    await runner.query('DROP TABLE batch_practices');
    await runner.query('DROP TABLE person_facts');
    await runner.query('DROP INDEX legal_cases_provisions_idx');
  }
}

/** person_keys: the people's data keys, destroyed when intake's PersonForgotten arrives. */
export const legalMigrations = [
  ...eventStoreMigrations,
  ...operationsMigrations,
  LegalCases1764000000100,
  LegalOwnEvents1764000000200,
  PersonKeysTable1764000000300,
];
