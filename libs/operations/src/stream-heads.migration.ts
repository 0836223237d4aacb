import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stream ids compare byte by byte (COLLATE "C") on both sides and in the gateway's merge, whatever
 * collation a database was created with (en_US orders "person-a" after "persona"); the index
 * makes a page a keyset scan. It costs one entry per new stream: stream_id never changes, so the
 * update of a stream's head at every append leaves it alone.
 */
export class StreamsInByteOrder1764000000080 implements MigrationInterface {
  name = 'StreamsInByteOrder1764000000080';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS streams_stream_id_bytes_idx ON streams (stream_id COLLATE "C")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS streams_stream_id_bytes_idx`);
  }
}
