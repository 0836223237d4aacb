import { documentTableSql, eventStoreMigrations } from '@homeward/eventsourcing';
import { PersonKeysTable1764000000300 } from '@homeward/personal-data';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PersonFile1764000000100 implements MigrationInterface {
  name = 'PersonFile1764000000100';
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('person_file'));
    await runner.query(`CREATE INDEX person_file_status_idx ON person_file ((doc->>'status'))`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE person_file');
  }
}

/** The people list and the batch counts filter person files by batch. */
export class ReleaseBatches1764000000200 implements MigrationInterface {
  name = 'ReleaseBatches1764000000200';
  async up(runner: QueryRunner) {
    await runner.query(`CREATE INDEX person_file_batch_idx ON person_file ((doc->>'batchId'), id)`);
    await runner.query(documentTableSql('release_batch_announcements'));
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE release_batch_announcements');
    await runner.query('DROP INDEX person_file_batch_idx');
  }
}

export const intakeMigrations = [...eventStoreMigrations, PersonFile1764000000100, ReleaseBatches1764000000200, PersonKeysTable1764000000300];
