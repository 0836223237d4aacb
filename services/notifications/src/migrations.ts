import { documentTableSql, eventStoreMigrations } from '@homeward/eventsourcing';
import { operationsMigrations } from '@homeward/operations';
import { PersonKeysTable1764000000300 } from '@homeward/personal-data';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models: rebuildable from the events, and never a reason to send anything. */
export class NotificationReadModels1764000000400 implements MigrationInterface {
  name = 'NotificationReadModels1764000000400';
  async up(runner: QueryRunner) {
    await runner.query(documentTableSql('recipients'));
    // Who follows a person: `doc->'follows' @> '["<personId>"]'`.
    await runner.query(`CREATE INDEX recipients_follows_idx ON recipients USING gin ((doc->'follows') jsonb_path_ops)`);
    await runner.query(documentTableSql('notification_deliveries'));
    await runner.query(
      `CREATE INDEX notification_deliveries_person_idx ON notification_deliveries ((doc->>'personId'), (doc->>'queuedAt'), id)`,
    );
    await runner.query(documentTableSql('welfare_checks'));
    await runner.query(`CREATE INDEX welfare_checks_status_idx ON welfare_checks ((doc->>'status'), (doc->>'dueAt'), id)`);
    await runner.query(`CREATE INDEX welfare_checks_person_idx ON welfare_checks ((doc->>'personId'))`);
  }
  async down(runner: QueryRunner) {
    for (const table of ['welfare_checks', 'notification_deliveries', 'recipients']) await runner.query(`DROP TABLE ${table}`);
  }
}

/**
 * Work queues of the live service, not read models: a row is written in the same transaction as
 * the event that calls for the side effect (NotificationQueued, WelfareCheckScheduled), and only
 * the delivery worker and the welfare-check scheduler act on them. Rebuilding a read model from
 * events never touches these tables, so it never sends anything.
 */
export class NotificationWorkQueues1764000000401 implements MigrationInterface {
  name = 'NotificationWorkQueues1764000000401';
  async up(runner: QueryRunner) {
    await runner.query(`
      CREATE TABLE deliveries (
        notification_id uuid        PRIMARY KEY,
        recipient_id    uuid        NOT NULL,
        person_id       text        NOT NULL,
        cause_event_id  uuid        NOT NULL,
        channel         text        NOT NULL,
        kind            text        NOT NULL,
        urgent          boolean     NOT NULL,
        occurred_at     timestamptz NOT NULL,
        status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        integer     NOT NULL DEFAULT 0,
        due_at          timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX deliveries_due_idx ON deliveries (due_at) WHERE status = 'pending'`);
    await runner.query(`
      CREATE TABLE welfare_check_timers (
        check_id   uuid        PRIMARY KEY,
        person_id  text        NOT NULL,
        due_at     timestamptz NOT NULL,
        status     text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'overdue', 'cleared')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX welfare_check_timers_due_idx ON welfare_check_timers (due_at) WHERE status = 'pending'`);
    await runner.query(`CREATE INDEX welfare_check_timers_person_idx ON welfare_check_timers (person_id) WHERE status <> 'cleared'`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE welfare_check_timers');
    await runner.query('DROP TABLE deliveries');
  }
}

/**
 * A timer row remembers the WelfareCheckOverdue it led to, so that the delivery worker finds the
 * check of an overdue notification that failed for good (escalation). Rows made overdue before
 * this migration take it from their event.
 */
export class WelfareCheckTimerOverdueEvent1764000000402 implements MigrationInterface {
  name = 'WelfareCheckTimerOverdueEvent1764000000402';
  async up(runner: QueryRunner) {
    await runner.query(`ALTER TABLE welfare_check_timers ADD COLUMN overdue_event_id uuid`);
    await runner.query(`
      UPDATE welfare_check_timers t SET overdue_event_id = e.event_id::uuid
      FROM events e WHERE e.type = 'WelfareCheckOverdue' AND e.stream_id = 'welfare-check-' || t.check_id::text`);
    await runner.query(
      `CREATE UNIQUE INDEX welfare_check_timers_overdue_event_idx ON welfare_check_timers (overdue_event_id) WHERE overdue_event_id IS NOT NULL`,
    );
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP INDEX welfare_check_timers_overdue_event_idx');
    await runner.query('ALTER TABLE welfare_check_timers DROP COLUMN overdue_event_id');
  }
}

/**
 * Erasure: a delivery or a welfare check can be cancelled (its recipient or its person was
 * erased), and the pending deliveries of one recipient or about one person are found by index.
 */
export class NotificationErasure1764000000403 implements MigrationInterface {
  name = 'NotificationErasure1764000000403';
  async up(runner: QueryRunner) {
    await runner.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`);
    await runner.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled'))`,
    );
    await runner.query(`ALTER TABLE welfare_check_timers DROP CONSTRAINT welfare_check_timers_status_check`);
    await runner.query(
      `ALTER TABLE welfare_check_timers ADD CONSTRAINT welfare_check_timers_status_check CHECK (status IN ('pending', 'overdue', 'cleared', 'cancelled'))`,
    );
    await runner.query(`CREATE INDEX deliveries_recipient_pending_idx ON deliveries (recipient_id) WHERE status = 'pending'`);
    await runner.query(`CREATE INDEX deliveries_person_pending_idx ON deliveries (person_id) WHERE status = 'pending'`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP INDEX deliveries_person_pending_idx');
    await runner.query('DROP INDEX deliveries_recipient_pending_idx');
    await runner.query(`UPDATE welfare_check_timers SET status = 'cleared' WHERE status = 'cancelled'`);
    await runner.query(`ALTER TABLE welfare_check_timers DROP CONSTRAINT welfare_check_timers_status_check`);
    await runner.query(
      `ALTER TABLE welfare_check_timers ADD CONSTRAINT welfare_check_timers_status_check CHECK (status IN ('pending', 'overdue', 'cleared'))`,
    );
    await runner.query(`UPDATE deliveries SET status = 'failed' WHERE status = 'cancelled'`);
    await runner.query(`ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check`);
    await runner.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'delivered', 'failed'))`,
    );
  }
}

export const notificationsMigrations = [
  ...eventStoreMigrations,
  ...operationsMigrations,
  NotificationReadModels1764000000400,
  NotificationWorkQueues1764000000401,
  PersonKeysTable1764000000300,
  WelfareCheckTimerOverdueEvent1764000000402,
  NotificationErasure1764000000403,
];
