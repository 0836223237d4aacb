import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store of one service database: events, streams (head version and hash, the row every
 * writer of a stream locks), the transactional outbox, command idempotency, and the consumer
 * side (checkpoints, inbox, dead letters). Every service lists this migration first.
 */
export class EventStoreSchema1764000000000 implements MigrationInterface {
  name = 'EventStoreSchema1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        stream_id       text        NOT NULL,
        stream_version  integer     NOT NULL CHECK (stream_version > 0),
        event_id        uuid        NOT NULL UNIQUE,
        type            text        NOT NULL,
        schema_version  integer     NOT NULL,
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL,
        prev_hash       text        NOT NULL,
        hash            text        NOT NULL,
        recorded_at     timestamptz NOT NULL,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        UNIQUE (stream_id, stream_version)
      )`);
    await runner.query(`CREATE INDEX events_type_idx ON events (type, global_position)`);
    await runner.query(`
      CREATE TABLE streams (
        stream_id  text        PRIMARY KEY,
        version    integer     NOT NULL,
        last_hash  text        NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE outbox (
        position   bigserial   PRIMARY KEY,
        event_id   uuid        NOT NULL REFERENCES events (event_id),
        topic      text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE idempotency_keys (
        key          text        PRIMARY KEY,
        request_hash text        NOT NULL,
        result       jsonb,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE checkpoints (
        group_id   text        NOT NULL,
        topic      text        NOT NULL,
        partition  integer     NOT NULL,
        "offset"   bigint      NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition)
      )`);
    await runner.query(`
      CREATE TABLE inbox (
        group_id     text        NOT NULL,
        event_id     uuid        NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, event_id)
      )`);
    await runner.query(`
      CREATE TABLE dead_letters (
        id          bigserial   PRIMARY KEY,
        group_id    text        NOT NULL,
        topic       text        NOT NULL,
        partition   integer     NOT NULL,
        "offset"    bigint      NOT NULL,
        event_id    text,
        event_type  text,
        error       text        NOT NULL,
        attempts    integer     NOT NULL,
        key         text,
        value       bytea       NOT NULL,
        headers     jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        retried_at  timestamptz,
        UNIQUE (group_id, topic, partition, "offset")
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['dead_letters', 'inbox', 'checkpoints', 'idempotency_keys', 'outbox', 'streams', 'events']) {
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

/**
 * A rebuild asks, page after page, for the events committed late (a transaction id at least the
 * previous snapshot's xmin): without this index each page scanned the whole table (527 ms a page
 * at a million events, 0.17 ms with it).
 */
export class EventsByTransaction1764000000060 implements MigrationInterface {
  name = 'EventsByTransaction1764000000060';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS events_transaction_id_idx ON events (transaction_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS events_transaction_id_idx`);
  }
}

/**
 * One outbox row per append instead of one per event: the stream and the versions the append
 * wrote (the relay reads the events through their unique (stream_id, stream_version) index). An
 * append of 50 events inserted 50 outbox rows, each with its index entry and its foreign-key
 * check (a key-share lock record on the new event row); it now inserts one. Rows queued before
 * this migration become ranges of one version.
 */
export class OutboxByAppend1764000000070 implements MigrationInterface {
  name = 'OutboxByAppend1764000000070';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox ADD COLUMN stream_id text, ADD COLUMN from_version integer, ADD COLUMN to_version integer`);
    await runner.query(`
      UPDATE outbox o
      SET stream_id = e.stream_id, from_version = e.stream_version, to_version = e.stream_version
      FROM events e
      WHERE e.event_id = o.event_id`);
    await runner.query(`
      ALTER TABLE outbox
        ALTER COLUMN stream_id SET NOT NULL,
        ALTER COLUMN from_version SET NOT NULL,
        ALTER COLUMN to_version SET NOT NULL,
        ADD CONSTRAINT outbox_versions_check CHECK (from_version BETWEEN 1 AND to_version),
        DROP COLUMN event_id`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE outbox ADD COLUMN event_id uuid`);
    await runner.query(`
      INSERT INTO outbox (event_id, topic, stream_id, from_version, to_version, created_at)
      SELECT e.event_id, o.topic, o.stream_id, e.stream_version, e.stream_version, o.created_at
      FROM outbox o JOIN events e ON e.stream_id = o.stream_id AND e.stream_version BETWEEN o.from_version AND o.to_version
      WHERE o.event_id IS NULL ORDER BY o.position, e.stream_version`);
    await runner.query(`DELETE FROM outbox WHERE event_id IS NULL`);
    await runner.query(`
      ALTER TABLE outbox
        DROP CONSTRAINT outbox_versions_check,
        DROP COLUMN stream_id, DROP COLUMN from_version, DROP COLUMN to_version,
        ALTER COLUMN event_id SET NOT NULL,
        ADD CONSTRAINT outbox_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (event_id)`);
  }
}

/**
 * What every service database starts with: the event store. The operator surface's tables come
 * from @homeward/operations (operationsMigrations); TypeORM runs the lists' migrations in the
 * order of their timestamps, whatever the order they are listed in.
 */
export const eventStoreMigrations = [EventStoreSchema1764000000000, EventsByTransaction1764000000060, OutboxByAppend1764000000070];
