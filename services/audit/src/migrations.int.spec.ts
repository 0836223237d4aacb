// The audit service as it runs in production: migrated by the owner role (DATABASE_MIGRATION_URL),
// serving as its runtime role (DATABASE_URL). It copies and serves events as usual, while its own
// role can neither change nor remove an audit row, nor drop or disable the append-only triggers,
// nor alter any table. Invented people only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { alterableBy } from '@homeward/eventsourcing';
import { createKafkaBroker, toMessages, topicOf, type Broker, type Publisher } from '@homeward/messaging';
import { createTestDatabase, eventually, kafkaBrokers, uniqueName, type TestDatabase } from '@homeward/testing';
import { startAudit, type AuditService } from './service.js';
import { auditClient, freePort, type AuditTestClient } from './testing/audit-client.js';
import { intakeStory, newPersonId } from './testing/events.js';

// Each append-only table, with a column an UPDATE can name.
const appendOnly = ['audit_events', 'access_log', 'chain_breaks', 'tlog_leaves', 'tlog_nodes', 'tlog_checkpoints', 'tlog_cosignatures'];
const columnOf: Record<string, string> = {
  tlog_leaves: 'kind',
  tlog_nodes: 'hash',
  tlog_checkpoints: 'note',
  tlog_cosignatures: 'signature_line',
};

describe('audit service under its runtime database role', () => {
  let database: TestDatabase;
  let broker: Broker;
  let publisher: Publisher;
  let service: AuditService;
  let client: AuditTestClient;
  const saved = { prefix: process.env.KAFKA_TOPIC_PREFIX, url: process.env.DATABASE_URL, migrationUrl: process.env.DATABASE_MIGRATION_URL };
  const personId = newPersonId();
  const story = intakeStory(personId);
  const sql = <T>(text: string, parameters: unknown[] = []) => service.runtime.dataSource.query(text, parameters) as Promise<T[]>;
  const refused = { code: '42501' };

  const restore = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };

  beforeAll(async () => {
    process.env.KAFKA_TOPIC_PREFIX = `${uniqueName('audit_roles')}.`;
    database = await createTestDatabase();
    broker = createKafkaBroker({ brokers: kafkaBrokers(), clientId: 'audit-roles-test' });
    await broker.ensureTopics(['intake', 'identity-documents', 'legal', 'notifications'].map((context) => topicOf(context)));
    publisher = await broker.publisher();
    const grpcUrl = `127.0.0.1:${await freePort()}`;
    // The two settings a deployment gives the service; the admin URL is back before the drop.
    process.env.DATABASE_URL = database.runtimeUrl;
    process.env.DATABASE_MIGRATION_URL = database.url;
    try {
      service = await startAudit({ grpcUrl, consumerGroup: uniqueName('audit-roles') });
    } finally {
      restore('DATABASE_URL', saved.url);
      restore('DATABASE_MIGRATION_URL', saved.migrationUrl);
    }
    client = auditClient(grpcUrl);
    await publisher.publish(topicOf('intake'), toMessages(story));
    await eventually(
      () =>
        sql<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE event_id = ANY($1::uuid[])`, [
          story.map((event) => event.eventId),
        ]),
      ([row]) => Number(row!.n) === story.length,
      { what: 'events copied' },
    );
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await publisher?.close();
    await broker?.disconnect();
    await database?.drop();
    restore('KAFKA_TOPIC_PREFIX', saved.prefix);
  });

  it('runs as the runtime role, which owns nothing, and copies and serves events as usual', async () => {
    expect(await sql(`SELECT current_user AS role`)).toEqual([{ role: database.roles.runtime }]);
    expect(await alterableBy(service.runtime.dataSource)).toBeNull();
    const filter = { personId, streamId: `person-${personId}`, type: '', actor: '', from: '', to: '' } as Parameters<
      AuditTestClient['searchEvents']
    >[0]['filter'];
    const page = await client.searchEvents({ filter, limit: 10, cursor: '' });
    expect(page.items.map((item) => item.envelope?.eventId)).toEqual(story.map((event) => event.eventId));
    expect(await client.verifyStream({ streamId: `person-${personId}` })).toMatchObject({ eventsChecked: story.length, valid: true });
    await sql(
      `INSERT INTO access_log (access_id, actor, roles, person_id, fields, at, correlation_id, route)
       VALUES (gen_random_uuid(), 'auditor-roles', '{auditor}', $1, '{person}', now(), '', 'GET /v1/people/:personId')`,
      [personId],
    );
  });

  it.each(appendOnly)('refuses the runtime role UPDATE, DELETE and TRUNCATE on %s with a permission error', async (table) => {
    const column = columnOf[table] ?? 'id';
    await expect(sql(`UPDATE ${table} SET ${column} = ${column}`)).rejects.toMatchObject(refused);
    await expect(sql(`DELETE FROM ${table}`)).rejects.toMatchObject(refused);
    await expect(sql(`TRUNCATE ${table}`)).rejects.toMatchObject(refused);
  });

  it.each(appendOnly)('refuses the runtime role dropping or disabling the triggers of %s, or altering it', async (table) => {
    await expect(sql(`DROP TRIGGER ${table}_append_only ON ${table}`)).rejects.toMatchObject(refused);
    await expect(sql(`DROP TRIGGER ${table}_no_truncate ON ${table}`)).rejects.toMatchObject(refused);
    await expect(sql(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`)).rejects.toMatchObject(refused);
    await expect(sql(`ALTER TABLE ${table} DISABLE TRIGGER ALL`)).rejects.toMatchObject(refused);
    await expect(sql(`ALTER TABLE ${table} ADD COLUMN intruder text`)).rejects.toMatchObject(refused);
    await expect(sql(`DROP TABLE ${table}`)).rejects.toMatchObject(refused);
  });

  it('refuses the runtime role the trigger function, new tables and changes to the others', async () => {
    await expect(sql(`DROP FUNCTION audit_append_only() CASCADE`)).rejects.toMatchObject(refused);
    await expect(
      sql(`CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`),
    ).rejects.toMatchObject(refused);
    await expect(sql(`CREATE TABLE intruder (id int)`)).rejects.toMatchObject(refused);
    await expect(sql(`ALTER TABLE stream_heads ADD COLUMN intruder text`)).rejects.toMatchObject(refused);
    await expect(sql(`ALTER TABLE checkpoints ADD COLUMN intruder text`)).rejects.toMatchObject(refused);
    // Still in place, as the owner sees them, and the rows are all there.
    const owner = service.runtime.ownerDataSource;
    const triggers: Array<{ n: string }> = await owner.query(
      `SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = ANY($1::regclass[]) AND tgenabled = 'O' AND NOT tgisinternal`,
      [appendOnly],
    );
    expect(Number(triggers[0]!.n)).toBe(appendOnly.length * 2);
    expect(await client.verifyStream({ streamId: `person-${personId}` })).toMatchObject({ eventsChecked: story.length, valid: true });
  });
});
