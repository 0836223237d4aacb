import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reconciliation walks the copied streams of one context in stream id byte order (COLLATE "C",
 * as the contexts page their stores, whatever collation the database has), then sums and pages
 * each stream's rows in (version, copy) order: one index serves the three as range scans. Only an
 * index, so the append-only trigger is not involved.
 */
export class AuditCopyInByteOrder1764000000800 implements MigrationInterface {
  name = 'AuditCopyInByteOrder1764000000800';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS audit_events_source_stream_bytes_idx ON audit_events (source, stream_id COLLATE "C", stream_version, id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS audit_events_source_stream_bytes_idx`);
  }
}
