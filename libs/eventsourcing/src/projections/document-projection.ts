// A read model is an `evolve(document | null, event)` plus the event types it handles, kept as
// one JSON document per id in its own table. The same code applies one append's events inline
// and a whole Kafka batch in a consumer: one read, one multi-row upsert, one delete per batch.
import type { EventEnvelope } from '@homeward/messaging';
import type { EntityManager } from 'typeorm';
import { prepared, runPrepared, type PreparedStatement } from '../prepared.js';

export interface DocumentProjection<Doc> {
  /** Table name, also the read model's name: the question it answers, e.g. `person_file`. */
  name: string;
  handles: readonly string[];
  idOf(event: EventEnvelope): string | null;
  evolve(document: Doc | null, event: EventEnvelope): Doc | null;
}

/** Every projection table has this shape; a service migration creates it with this statement. */
export const documentTableSql = (table: string) => `
  CREATE TABLE ${table} (
    id         text        PRIMARY KEY,
    doc        jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`;

const identifier = /^[a-z_][a-z0-9_]*$/;

export function tableOf(projection: { name: string }, table = projection.name): string {
  if (!identifier.test(table)) throw new Error(`invalid projection table name ${table}`);
  return table;
}

interface DocumentStatements {
  lock: PreparedStatement;
  upsert: PreparedStatement;
}

// The upsert overwrites only the rows named in $3, the ones the caller read FOR UPDATE; a
// document the caller found missing is inserted, and if another transaction created it in the
// meantime (an append to another stream of the same person), it is left alone and not returned.
const documentSql = (table: string) => ({
  lock: `SELECT id, doc FROM ${table} WHERE id = ANY($1) FOR UPDATE`,
  upsert: `INSERT INTO ${table} AS d (id, doc, updated_at)
           SELECT id, doc, now() FROM unnest($1::text[], $2::jsonb[]) AS t(id, doc)
           ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at WHERE d.id = ANY($3::text[])
           RETURNING id`,
});

const liveStatements = new Map<string, DocumentStatements>();

/**
 * A live table's statements are prepared (once per connection); a rebuild's shadow tables, each
 * used once, are not.
 */
function statementsOf(projection: { name: string }, table: string): DocumentStatements {
  if (table !== projection.name) {
    const sql = documentSql(table);
    return { lock: { name: '', text: sql.lock }, upsert: { name: '', text: sql.upsert } };
  }
  let statements = liveStatements.get(table);
  if (!statements) {
    const sql = documentSql(table);
    statements = { lock: prepared(`document_lock_${table}`, sql.lock), upsert: prepared(`document_upsert_${table}`, sql.upsert) };
    liveStatements.set(table, statements);
  }
  return statements;
}

const run = <Row>(tx: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<Row[]> =>
  statement.name ? runPrepared<Row>(tx, statement, values) : (tx.query(statement.text, values) as Promise<Row[]>);

/** Reads documents of a document table FOR UPDATE; an id with no row is not in the answer. */
export async function lockDocuments<Doc>(
  tx: EntityManager,
  model: { name: string },
  ids: readonly string[],
  table = tableOf(model),
): Promise<Map<string, Doc>> {
  const rows = await run<{ id: string; doc: Doc }>(tx, statementsOf(model, table).lock, [ids]);
  return new Map(rows.map((row) => [row.id, row.doc]));
}

/**
 * Writes whole documents (id, document) to a document table in one statement. `held` are the ids
 * whose rows the caller read FOR UPDATE (default: all); any other is created, unless another
 * transaction created it first. Answers the ids it did not write, for the caller to read again.
 */
export async function upsertDocuments<Doc>(
  tx: EntityManager,
  model: { name: string },
  documents: ReadonlyArray<readonly [string, Doc]>,
  table = tableOf(model),
  held: readonly string[] = documents.map(([id]) => id),
): Promise<string[]> {
  if (documents.length === 0) return [];
  const written = await run<{ id: string }>(tx, statementsOf(model, table).upsert, [
    documents.map(([id]) => id),
    documents.map(([, doc]) => JSON.stringify(doc)),
    held,
  ]);
  const done = new Set(written.map((row) => row.id));
  return documents.map(([id]) => id).filter((id) => !done.has(id));
}

/**
 * Applies events (in order) to a projection inside the caller's transaction. `locked` holds
 * documents the caller has already read FOR UPDATE in this transaction (null: no row), so they
 * are not read twice.
 */
export async function applyToDocuments<Doc>(
  tx: EntityManager,
  projection: DocumentProjection<Doc>,
  events: readonly EventEnvelope[],
  table = tableOf(projection),
  locked: ReadonlyMap<string, Doc | null> = new Map(),
): Promise<number> {
  const handled = events.filter((event) => projection.handles.includes(event.type));
  const ids = [...new Set(handled.map((event) => projection.idOf(event)).filter((id): id is string => id !== null))];
  if (ids.length === 0) return 0;

  const before = new Map<string, Doc | null>([...locked].filter(([id]) => ids.includes(id)));
  const unread = ids.filter((id) => !before.has(id));
  if (unread.length > 0) {
    const found = await lockDocuments<Doc>(tx, projection, unread, table);
    for (const id of unread) before.set(id, found.get(id) ?? null);
  }
  let pending = ids;
  // Twice at most: a document created by another transaction after it was found missing is read
  // (and locked) again, and the events applied to what that transaction wrote.
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const documents = new Map<string, Doc | null>(pending.map((id) => [id, before.get(id) ?? null]));
    for (const event of handled) {
      const id = projection.idOf(event);
      if (id !== null && documents.has(id)) documents.set(id, projection.evolve(documents.get(id) ?? null, event));
    }
    const upserts = [...documents].filter((entry): entry is [string, Doc] => entry[1] !== null);
    const deletes = [...documents].filter(([, doc]) => doc === null).map(([id]) => id);
    const held = pending.filter((id) => before.get(id) !== null);
    // A document found missing that the events leave absent is claimed as one they create would
    // be (a JSON null, deleted below): if another transaction created it meanwhile, the claim
    // waits for it and fails, and the events are applied to what it wrote like any other.
    const claims = deletes.filter((id) => !held.includes(id)).map((id): readonly [string, Doc | null] => [id, null]);
    pending = await upsertDocuments<Doc | null>(tx, projection, [...upserts, ...claims], table, held);
    const gone = deletes.filter((id) => !pending.includes(id));
    if (gone.length > 0) await tx.query(`DELETE FROM ${table} WHERE id = ANY($1)`, [gone]);
    if (pending.length > 0) {
      if (attempt > 1) throw new Error(`document ${projection.name} kept being created by another transaction`);
      const found = await lockDocuments<Doc>(tx, projection, pending, table);
      for (const id of pending) before.set(id, found.get(id) ?? null);
    }
  }
  return handled.length;
}

export async function findDocument<Doc>(tx: Pick<EntityManager, 'query'>, projection: { name: string }, id: string): Promise<Doc | null> {
  const rows: Array<{ doc: Doc }> = await tx.query(`SELECT doc FROM ${tableOf(projection)} WHERE id = $1`, [id]);
  return rows[0]?.doc ?? null;
}
