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

const documentSql = (table: string) => ({
  lock: `SELECT id, doc FROM ${table} WHERE id = ANY($1) FOR UPDATE`,
  upsert: `INSERT INTO ${table} (id, doc, updated_at)
           SELECT id, doc, now() FROM unnest($1::text[], $2::jsonb[]) AS t(id, doc)
           ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
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
export async function lockDocuments<Doc>(tx: EntityManager, model: { name: string }, ids: readonly string[], table = tableOf(model)): Promise<Map<string, Doc>> {
  const rows = await run<{ id: string; doc: Doc }>(tx, statementsOf(model, table).lock, [ids]);
  return new Map(rows.map((row) => [row.id, row.doc]));
}

/** Writes whole documents (id, document) to a document table in one statement. */
export async function upsertDocuments<Doc>(tx: EntityManager, model: { name: string }, documents: ReadonlyArray<readonly [string, Doc]>, table = tableOf(model)): Promise<void> {
  if (documents.length === 0) return;
  await run(tx, statementsOf(model, table).upsert, [documents.map(([id]) => id), documents.map(([, doc]) => JSON.stringify(doc))]);
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

  const documents = new Map<string, Doc | null>([...locked].filter(([id]) => ids.includes(id)));
  const unread = ids.filter((id) => !documents.has(id));
  if (unread.length > 0) for (const [id, doc] of await lockDocuments<Doc>(tx, projection, unread, table)) documents.set(id, doc);
  for (const event of handled) {
    const id = projection.idOf(event);
    if (id === null) continue;
    documents.set(id, projection.evolve(documents.get(id) ?? null, event));
  }

  const upserts = [...documents].filter((entry): entry is [string, Doc] => entry[1] !== null);
  const deletes = [...documents].filter(([, doc]) => doc === null).map(([id]) => id);
  await upsertDocuments(tx, projection, upserts, table);
  if (deletes.length > 0) await tx.query(`DELETE FROM ${table} WHERE id = ANY($1)`, [deletes]);
  return handled.length;
}

export async function findDocument<Doc>(tx: Pick<EntityManager, 'query'>, projection: { name: string }, id: string): Promise<Doc | null> {
  const rows: Array<{ doc: Doc }> = await tx.query(`SELECT doc FROM ${tableOf(projection)} WHERE id = $1`, [id]);
  return rows[0]?.doc ?? null;
}
