// The per-person data keys of one service's database, wrapped by the current master key.
// Erasing a person destroys the key (crypto-shredding): every value encrypted with it, in events,
// on Kafka or in a copy, can no longer be read. Callers pass their transaction, so a key is
// destroyed in the same transaction that appends PersonForgotten.
import { randomBytes } from 'node:crypto';
import { prepared, runPrepared } from '@homeward/eventsourcing';
import { ruleViolated } from '@homeward/decider';
import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { bindingOf, decryptValue, encryptValue, unwrapKey, wrapKey, type Decrypted } from './field-cipher.js';
import type { MasterKeys } from './master-keys.js';

/** A transaction, a DataSource or a plain pg client adapted to it: anything that runs a query and answers rows. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Run on every command that seals personal fields: prepared, since planning it cost more than running it. */
const ensureKeyStatement = prepared(
  'person_key_ensure',
  `WITH made AS (
     INSERT INTO person_keys (person_id, wrapped_key, master_key_id) VALUES ($1, $2, $3) ON CONFLICT (person_id) DO NOTHING
     RETURNING person_id, wrapped_key, master_key_id, destroyed_at
   )
   SELECT person_id, wrapped_key, master_key_id, destroyed_at FROM made
   UNION ALL
   SELECT person_id, wrapped_key, master_key_id, destroyed_at FROM person_keys WHERE person_id = $1 AND NOT EXISTS (SELECT 1 FROM made)`,
);

/** What a service knows about one person's key. */
export type PersonKey =
  { state: 'active'; ownerId: string; key: Buffer } | { state: 'forgotten'; ownerId: string } | { state: 'none'; ownerId: string };

interface KeyRow {
  person_id: string;
  wrapped_key: Buffer | null;
  master_key_id: string;
  destroyed_at: Date | null;
}

/** `person_id` is whoever the values are about: a person in intake, a recipient in notifications. */
export class PersonKeysTable1764000000300 implements MigrationInterface {
  name = 'PersonKeysTable1764000000300';
  async up(runner: QueryRunner) {
    await runner.query(`
      CREATE TABLE person_keys (
        person_id     text PRIMARY KEY,
        wrapped_key   bytea,
        master_key_id text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        destroyed_at  timestamptz,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
    await runner.query(`CREATE INDEX person_keys_master_key_idx ON person_keys (master_key_id) WHERE destroyed_at IS NULL`);
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE person_keys');
  }
}

const ownerLock = (ownerId: string) => `homeward.person-key:${ownerId}`;

export class PersonKeys {
  constructor(private readonly masterKeys: MasterKeys) {}

  /**
   * The person's key, made on first use; a forgotten person stays forgotten. One round trip: the
   * statement answers the row it made or the one already there. Only when another transaction
   * made it after this statement's snapshot (the insert waited for it, then stood back) does a
   * second read find it.
   */
  async ensure(db: EntityManager | DataSource, ownerId: string): Promise<PersonKey> {
    const { current } = this.masterKeys;
    const rows = await runPrepared<KeyRow>(db, ensureKeyStatement, [ownerId, wrapKey(current.key, ownerId, randomBytes(32)), current.id]);
    return rows[0] ? this.open(rows[0]) : this.find(db, ownerId);
  }

  async find(db: Queryable, ownerId: string): Promise<PersonKey> {
    return (await this.findMany(db, [ownerId])).get(ownerId)!;
  }

  /** One query for a page of people; every id asked for is in the answer. */
  async findMany(db: Queryable, ownerIds: readonly string[]): Promise<Map<string, PersonKey>> {
    const rows = ownerIds.length
      ? ((await db.query(`SELECT person_id, wrapped_key, master_key_id, destroyed_at FROM person_keys WHERE person_id = ANY($1::text[])`, [
          [...new Set(ownerIds)],
        ])) as KeyRow[])
      : [];
    const found = new Map(rows.map((row) => [row.person_id, this.open(row)]));
    return new Map(ownerIds.map((id) => [id, found.get(id) ?? { state: 'none', ownerId: id }]));
  }

  /** Destroys the key; true when there was one to destroy. Marks an unknown owner forgotten too. */
  async destroy(db: Queryable, ownerId: string): Promise<boolean> {
    // A SELECT around the UPDATE, so every client answers plain rows.
    const rows = (await db.query(
      `WITH destroyed AS (
         UPDATE person_keys SET wrapped_key = NULL, destroyed_at = now()
         WHERE person_id = $1 AND destroyed_at IS NULL
         RETURNING person_id)
       SELECT person_id FROM destroyed`,
      [ownerId],
    )) as unknown[];
    if (rows.length > 0) return true;
    await db.query(
      `INSERT INTO person_keys (person_id, wrapped_key, master_key_id, destroyed_at) VALUES ($1, NULL, $2, now())
       ON CONFLICT (person_id) DO NOTHING`,
      [ownerId, this.masterKeys.current.id],
    );
    return false;
  }

  /**
   * For a command about the owner, inside its transaction: waits for an erasure of the owner in
   * progress and refuses one already erased (`person.forgotten`), whether the command carries a
   * personal value or not. It holds a shared per-owner lock to the end of the transaction, which
   * the erasure takes exclusively (lockForErasure): a command either commits before the erasure,
   * which then scrubs what it wrote, or sees the key destroyed. A lock rather than the key row,
   * since an owner whose commands carried no personal value has no row to lock yet.
   */
  async requireKnown(db: Queryable, ownerId: string): Promise<void> {
    if (!(await this.isKnown(db, ownerId)))
      throw ruleViolated('person.forgotten', 'this person has been erased; nothing more can be recorded');
  }

  /** requireKnown for a reaction that skips an erased owner instead of failing: the same lock, a boolean. */
  async isKnown(db: Queryable, ownerId: string): Promise<boolean> {
    await db.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))`, [ownerLock(ownerId)]);
    return (await this.find(db, ownerId)).state !== 'forgotten';
  }

  /** Taken by an erasure before it destroys the key and scrubs: see requireKnown. */
  async lockForErasure(db: Queryable, ownerId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [ownerLock(ownerId)]);
  }

  /** Removes a key nobody used (a registration that turned out to be a repeated request). */
  async discardUnused(db: Queryable, ownerId: string): Promise<void> {
    await db.query(`DELETE FROM person_keys WHERE person_id = $1 AND destroyed_at IS NULL`, [ownerId]);
  }

  /**
   * Rewraps every live data key under the current master key, `batchSize` keys per transaction;
   * events and other ciphertexts are not touched (they are encrypted with the data keys).
   * Concurrent writers are not blocked: a batch locks only its own rows.
   */
  async rotate(
    dataSource: DataSource,
    { batchSize = 500, onBatch }: { batchSize?: number; onBatch?: (rewrapped: number) => void } = {},
  ): Promise<{ rewrapped: number }> {
    const { current } = this.masterKeys;
    let rewrapped = 0;
    for (;;) {
      const count = await dataSource.transaction(async (tx) => {
        const rows: KeyRow[] = await tx.query(
          `SELECT person_id, wrapped_key, master_key_id, destroyed_at FROM person_keys
           WHERE destroyed_at IS NULL AND master_key_id <> $1 ORDER BY person_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [current.id, batchSize],
        );
        for (const row of rows) {
          const opened = this.open(row);
          if (opened.state !== 'active') continue;
          await tx.query(`UPDATE person_keys SET wrapped_key = $2, master_key_id = $3 WHERE person_id = $1`, [
            row.person_id,
            wrapKey(current.key, row.person_id, opened.key),
            current.id,
          ]);
        }
        return rows.length;
      });
      if (count === 0) return { rewrapped };
      rewrapped += count;
      onBatch?.(rewrapped);
    }
  }

  /** Live keys per master key id: what a rotation has left to do. */
  async countByMasterKey(db: Queryable): Promise<Record<string, number>> {
    const rows = (await db.query(
      `SELECT master_key_id, count(*) AS n FROM person_keys WHERE destroyed_at IS NULL GROUP BY master_key_id`,
    )) as Array<{
      master_key_id: string;
      n: string;
    }>;
    return Object.fromEntries(rows.map((row) => [row.master_key_id, Number(row.n)]));
  }

  private open(row: KeyRow): PersonKey {
    if (row.destroyed_at || !row.wrapped_key) return { state: 'forgotten', ownerId: row.person_id };
    const master = this.masterKeys.byId.get(row.master_key_id);
    // A configuration fault, not an erasure: failing loudly beats showing a live person as forgotten.
    if (!master) throw new Error(`a data key is wrapped by master key ${row.master_key_id}, which HOMEWARD_MASTER_KEYS does not name`);
    const key = unwrapKey(master.key, row.person_id, row.wrapped_key);
    if (!key) throw new Error(`a data key does not unwrap with master key ${row.master_key_id}`);
    return { state: 'active', ownerId: row.person_id, key };
  }
}

/**
 * Encrypts with an active key, bound to the key's owner and to `field` (the contract's field
 * name, the same in an event and in the read models that copy it); callers refuse the command
 * for any other state first.
 */
export function encryptFor(personKey: PersonKey, field: string, plaintext: string): string {
  if (personKey.state !== 'active') throw new Error('encryptFor needs an active key');
  return encryptValue(personKey.key, plaintext, bindingOf(personKey.ownerId, field));
}

export function decryptFor(personKey: PersonKey, field: string, text: string): Decrypted {
  return decryptValue(personKey.state === 'active' ? personKey.key : undefined, text, bindingOf(personKey.ownerId, field));
}

/** The plaintext, or "" when it cannot be read: what a read model answers for a forgotten person. */
export const readableOr = (decrypted: Decrypted, fallback = '') => (decrypted.readable ? decrypted.value : fallback);
