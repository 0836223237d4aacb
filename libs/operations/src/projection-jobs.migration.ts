import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Rebuild and replay jobs of the operator surface, with their progress. */
export class ProjectionJobs1764000000050 implements MigrationInterface {
  name = 'ProjectionJobs1764000000050';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE projection_jobs (
        id           uuid        PRIMARY KEY,
        service      text        NOT NULL,
        kind         text        NOT NULL,
        projection   text        NOT NULL,
        state        text        NOT NULL,
        events_done  bigint      NOT NULL DEFAULT 0,
        events_total bigint      NOT NULL DEFAULT 0,
        rate         double precision NOT NULL DEFAULT 0,
        eta_seconds  double precision NOT NULL DEFAULT 0,
        started_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        error_code   text
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE projection_jobs');
  }
}
