import { documentTableSql, eventStoreMigrations } from '@homeward/eventsourcing';
import { operationsMigrations } from '@homeward/operations';
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

/**
 * Custody episodes: a person file lists each imprisonment and what followed it, and the batches
 * the person counts in. Files written before hold one episode at most; they are brought to the
 * new shape here, as the projection would have written them.
 */
export class CustodyEpisodes1764000000400 implements MigrationInterface {
  name = 'CustodyEpisodes1764000000400';
  async up(runner: QueryRunner) {
    // As the upcaster reads a version 1 release: days it carries were stated.
    await runner.query(`
      UPDATE person_file SET doc = jsonb_set(doc, '{release,sentenceRemainingSource}',
        to_jsonb(CASE WHEN coalesce((doc->'release'->>'daysOfSentenceRemaining')::int, 0) > 0 THEN 'stated' ELSE '' END))
      WHERE doc->'release' IS NOT NULL AND NOT doc->'release' ? 'sentenceRemainingSource'`);
    await runner.query(`
      UPDATE person_file SET doc = doc || jsonb_build_object(
        'registeredBatchId', CASE WHEN doc->'release' IS NULL OR coalesce(doc->'release'->>'batchId', '') = '' THEN coalesce(doc->>'batchId', '') ELSE '' END,
        'batchIds', CASE WHEN coalesce(doc->>'batchId', '') = '' THEN '[]'::jsonb ELSE jsonb_build_array(doc->>'batchId') END,
        'episodes', CASE WHEN doc->'imprisonment' IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
          'number', 1,
          'imprisonment', doc->'imprisonment',
          'detentionConditions', coalesce(doc->'detentionConditions', '[]'::jsonb),
          'release', doc->'release',
          'deportation', doc->'deportation',
          'returnAttempts', coalesce(doc->'returnAttempts', '[]'::jsonb),
          'rearrest', doc->'rearrest'))) END)
      WHERE NOT doc ? 'episodes'`);
    await runner.query(`DROP INDEX person_file_batch_idx`);
    await runner.query(`CREATE INDEX person_file_batches_idx ON person_file USING gin ((doc->'batchIds'))`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP INDEX person_file_batches_idx');
    await runner.query(`CREATE INDEX person_file_batch_idx ON person_file ((doc->>'batchId'), id)`);
  }
}

export const intakeMigrations = [
  ...eventStoreMigrations,
  ...operationsMigrations,
  PersonFile1764000000100,
  ReleaseBatches1764000000200,
  PersonKeysTable1764000000300,
  CustodyEpisodes1764000000400,
];
