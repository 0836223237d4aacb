import { eventStoreMigrations, type AppendOnlyTables } from '@homeward/eventsourcing';
import { operationsMigrations } from '@homeward/operations';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { AuditCopyInByteOrder1764000000800 } from './copied-streams/copied-streams.migration.js';
import { auditEventColumns, type AuditEventRow } from './audit-events.js';
import { accessLogColumns, accessRowLeaf, eventRowLeaf, type AccessLogRow } from './transparency-log/leaves.js';
import { appendToLog } from './transparency-log/log-store.js';

/** The append-only triggers: UPDATE, DELETE and TRUNCATE of these tables raise audit_append_only's refusal. */
async function refuseChanges(runner: QueryRunner, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    await runner.query(
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
    );
    await runner.query(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
    );
  }
}

/**
 * The audit service keeps no event store of its own: what it holds is a copy of the others'
 * events and the access log, both append-only tables. It still runs the event-store schema
 * because ConsumerRunner keeps its checkpoints, inbox and dead letters there (events, streams and
 * outbox stay empty).
 *
 * Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE on audit_events, chain_breaks and
 * access_log, and the service's runtime role may only read and insert there (appendOnly below):
 * it holds no UPDATE, DELETE, TRUNCATE or TRIGGER privilege, and only the owner, which migrates,
 * may drop or disable the triggers. The owner or a superuser still can; that is why every stored
 * event keeps its hash and VerifyStream recomputes the chain from the rows, so an altered row is
 * named anyway.
 * stream_heads is the consumer's working state (the last version and hash seen per stream), not
 * evidence, and is updated in place.
 */
export class AuditTables1764000000500 implements MigrationInterface, AppendOnlyTables {
  name = 'AuditTables1764000000500';
  readonly appendOnly = ['audit_events', 'chain_breaks', 'access_log'];
  async up(runner: QueryRunner) {
    await runner.query(`
      CREATE TABLE audit_events (
        id             bigserial   PRIMARY KEY,
        event_id       uuid        NOT NULL UNIQUE,
        stream_id      text        NOT NULL,
        stream_version integer     NOT NULL,
        type           text        NOT NULL,
        schema_version integer     NOT NULL,
        data           jsonb       NOT NULL,
        occurred_at    text        NOT NULL,
        recorded_at    text        NOT NULL,
        recorded_ts    timestamptz NOT NULL,
        actor          text        NOT NULL,
        correlation_id text        NOT NULL,
        causation_id   text        NOT NULL,
        subject        text        NOT NULL,
        source         text        NOT NULL,
        prev_hash      text        NOT NULL,
        hash           text        NOT NULL,
        topic          text        NOT NULL,
        partition      integer     NOT NULL,
        kafka_offset   bigint      NOT NULL,
        copied_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX audit_events_stream_idx ON audit_events (stream_id, stream_version)`);
    await runner.query(`CREATE INDEX audit_events_subject_idx ON audit_events (subject, id)`);
    await runner.query(`CREATE INDEX audit_events_type_idx ON audit_events (type, id)`);
    await runner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor, id)`);
    await runner.query(`CREATE INDEX audit_events_recorded_idx ON audit_events (recorded_ts, id)`);
    await runner.query(`CREATE INDEX audit_events_source_idx ON audit_events (source, stream_id)`);
    await runner.query(`
      CREATE TABLE chain_breaks (
        id             bigserial   PRIMARY KEY,
        stream_id      text        NOT NULL,
        event_id       uuid        NOT NULL,
        stream_version integer     NOT NULL,
        reason         text        NOT NULL,
        detected_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX chain_breaks_stream_idx ON chain_breaks (stream_id)`);
    await runner.query(`
      CREATE TABLE stream_heads (
        stream_id    text    PRIMARY KEY,
        last_version integer NOT NULL,
        last_hash    text    NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE access_log (
        id             bigserial   PRIMARY KEY,
        access_id      uuid        NOT NULL UNIQUE,
        actor          text        NOT NULL,
        roles          text[]      NOT NULL,
        person_id      text        NOT NULL,
        fields         text[]      NOT NULL,
        at             timestamptz NOT NULL,
        correlation_id text        NOT NULL,
        route          text        NOT NULL,
        recorded_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX access_log_person_idx ON access_log (person_id, id)`);
    await runner.query(`CREATE INDEX access_log_actor_idx ON access_log (actor, id)`);
    await runner.query(`
      CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit table % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await refuseChanges(runner, this.appendOnly);
  }
  async down(runner: QueryRunner) {
    for (const table of ['access_log', 'stream_heads', 'chain_breaks', 'audit_events']) await runner.query(`DROP TABLE ${table}`);
    await runner.query('DROP FUNCTION audit_append_only()');
  }
}

/**
 * A read of a list names everyone on the page: one access entry holds every person id. person_id
 * stays for entries written before (and for a read of exactly one person); adding a column with a
 * default rewrites no row, so the append-only trigger is not involved.
 */
export class AccessLogPersonIds1764000000600 implements MigrationInterface {
  name = 'AccessLogPersonIds1764000000600';
  async up(runner: QueryRunner) {
    await runner.query(`ALTER TABLE access_log ADD COLUMN person_ids text[] NOT NULL DEFAULT '{}'`);
    await runner.query(`CREATE INDEX access_log_person_ids_idx ON access_log USING gin (person_ids)`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP INDEX access_log_person_ids_idx');
    await runner.query('ALTER TABLE access_log DROP COLUMN person_ids');
  }
}

/**
 * The transparency log (issue 18): every copied event and every access entry a leaf, in the order
 * audit stored them. tlog_head is the one row appends lock (the log's size); the leaves, the
 * subtree hashes, the checkpoints and their cosignatures are append-only like the rest of the
 * evidence. What was stored before the log existed is appended here, in the order it was stored.
 */
export class TransparencyLog1764000000700 implements MigrationInterface, AppendOnlyTables {
  name = 'TransparencyLog1764000000700';
  readonly appendOnly = ['tlog_leaves', 'tlog_nodes', 'tlog_checkpoints', 'tlog_cosignatures'];
  async up(runner: QueryRunner) {
    await runner.query(`CREATE TABLE tlog_head (one boolean PRIMARY KEY DEFAULT true CHECK (one), size bigint NOT NULL)`);
    await runner.query(`INSERT INTO tlog_head (size) VALUES (0)`);
    await runner.query(`
      CREATE TABLE tlog_leaves (
        leaf_index bigint      PRIMARY KEY,
        kind       text        NOT NULL CHECK (kind IN ('event', 'access')),
        entry_id   uuid        NOT NULL UNIQUE,
        logged_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE TABLE tlog_nodes (level smallint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx))`,
    );
    await runner.query(`
      CREATE TABLE tlog_checkpoints (
        tree_size bigint      PRIMARY KEY,
        root_hash bytea       NOT NULL,
        note      text        NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE tlog_cosignatures (
        tree_size      bigint      NOT NULL REFERENCES tlog_checkpoints,
        key_name       text        NOT NULL,
        key_id         text        NOT NULL,
        signature_line text        NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tree_size, key_name, key_id)
      )`);
    await refuseChanges(runner, this.appendOnly);
    await appendStoredRows(runner);
  }
  async down(runner: QueryRunner) {
    for (const table of ['tlog_cosignatures', 'tlog_checkpoints', 'tlog_nodes', 'tlog_leaves', 'tlog_head'])
      await runner.query(`DROP TABLE ${table}`);
  }
}

/** Appends the rows stored before the log existed, in the order they were stored, a page at a time. */
async function appendStoredRows(runner: QueryRunner, page = 1000): Promise<void> {
  const order: Array<{ kind: 'event' | 'access'; id: string }> = await runner.query(
    `SELECT 'event' AS kind, id, copied_at AS stored_at FROM audit_events UNION ALL SELECT 'access', id, recorded_at FROM access_log ORDER BY stored_at, kind, id`,
  );
  for (let start = 0; start < order.length; start += page) {
    const slice = order.slice(start, start + page);
    const ids = (kind: string) => slice.filter((row) => row.kind === kind).map((row) => row.id);
    const events: AuditEventRow[] = await runner.query(`SELECT ${auditEventColumns} FROM audit_events WHERE id = ANY($1::bigint[])`, [
      ids('event'),
    ]);
    const accesses: AccessLogRow[] = await runner.query(`SELECT ${accessLogColumns} FROM access_log WHERE id = ANY($1::bigint[])`, [
      ids('access'),
    ]);
    const byKey = new Map([
      ...events.map((row) => [`event:${row.id}`, eventRowLeaf(row)] as const),
      ...accesses.map((row) => [`access:${row.id}`, accessRowLeaf(row)] as const),
    ]);
    await appendToLog(
      runner.manager,
      slice.map((row) => byKey.get(`${row.kind}:${row.id}`)!),
    );
  }
}

export const auditMigrations = [
  ...eventStoreMigrations,
  ...operationsMigrations,
  AuditTables1764000000500,
  AccessLogPersonIds1764000000600,
  AuditCopyInByteOrder1764000000800,
  TransparencyLog1764000000700,
];
