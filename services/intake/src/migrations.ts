import { documentTableSql, EventStoreSchema1764000000000 } from '@homeward/eventsourcing';
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

export const intakeMigrations = [EventStoreSchema1764000000000, PersonFile1764000000100];
