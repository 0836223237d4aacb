// Signed checkpoints (C2SP tlog-checkpoint in a signed note), kept for ever with the witnesses'
// cosignatures as they come. One is issued every AUDIT_CHECKPOINT_INTERVAL_MS while the log grows,
// and on demand; two instances issuing the same size store it once (Ed25519 signatures are
// deterministic, so both signed the same note anyway).
import type { audit } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { checkpointBody, openNote, parseVerifierKey, rootAt, signNote } from '@homeward/transparency';
import type { DataSource } from 'typeorm';
import { loggableError, type Logger } from '@homeward/observability';
import { decodeCursor, encodeCursor, pageSize } from '../pagination.js';
import type { LogKeys } from './log-signer.js';
import { logSize, overStoredTree } from './log-store.js';

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
  issued_at: Date;
  cosignatures: Array<{ name: string; line: string }> | null;
}

const checkpointColumns = `c.tree_size, c.root_hash, c.note, c.issued_at,
  (SELECT json_agg(json_build_object('name', s.key_name, 'line', s.signature_line) ORDER BY s.received_at, s.key_name)
   FROM tlog_cosignatures s WHERE s.tree_size = c.tree_size) AS cosignatures`;

/** A stored checkpoint as served: the log's signed note followed by every cosignature received. */
const signedCheckpointOf = (row: CheckpointRow): audit.SignedCheckpoint => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash.toString('base64'),
  note: row.note + (row.cosignatures ?? []).map((c) => c.line).join(''),
  issuedAt: row.issued_at.toISOString(),
  cosigners: (row.cosignatures ?? []).map((c) => c.name),
});

export async function latestCheckpoint(db: DataSource): Promise<audit.SignedCheckpoint | null> {
  const [row] = await db.query<CheckpointRow[]>(`SELECT ${checkpointColumns} FROM tlog_checkpoints c ORDER BY c.tree_size DESC LIMIT 1`);
  return row ? signedCheckpointOf(row) : null;
}

export async function checkpointAt(db: DataSource, treeSize: number): Promise<audit.SignedCheckpoint> {
  const [row] = await db.query<CheckpointRow[]>(`SELECT ${checkpointColumns} FROM tlog_checkpoints c WHERE c.tree_size = $1`, [treeSize]);
  if (!row) throw notFound('audit.checkpoint-unknown', 'no checkpoint was issued at this tree size');
  return signedCheckpointOf(row);
}

/** The tree size a proof is asked against: the latest checkpoint's when none is given. */
export async function treeSizeOrLatest(db: DataSource, treeSize: number): Promise<number> {
  if (treeSize > 0) return treeSize;
  const latest = await latestCheckpoint(db);
  if (!latest) throw notFound('audit.no-checkpoint', 'no checkpoint has been issued yet');
  return latest.treeSize;
}

export async function listCheckpoints(db: DataSource, request: audit.ListCheckpointsRequest): Promise<audit.ListCheckpointsResponse> {
  const limit = pageSize(request.limit);
  const before = request.cursor ? decodeCursor(request.cursor) : null;
  const rows = await db.query<CheckpointRow[]>(
    `SELECT ${checkpointColumns} FROM tlog_checkpoints c WHERE $1::bigint IS NULL OR c.tree_size < $1 ORDER BY c.tree_size DESC LIMIT $2`,
    [before, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(signedCheckpointOf), nextCursor: rows.length > limit && last ? encodeCursor(last.tree_size) : '' };
}

/**
 * Signs the log as it is now, unless the latest checkpoint already covers it. Complete subtree
 * hashes never change, so the root is read without holding the head's lock.
 */
export async function issueCheckpoint(db: DataSource, keys: LogKeys): Promise<audit.SignedCheckpoint> {
  const size = await logSize(db);
  const latest = await latestCheckpoint(db);
  if (latest && latest.treeSize >= size) return latest;
  const rootHash = await overStoredTree(db, (hashAt) => rootAt(size, hashAt));
  const note = signNote(checkpointBody({ origin: keys.signer.name, size, rootHash }), keys.signer.name, keys.signer.privateKey);
  await db.query(`INSERT INTO tlog_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3) ON CONFLICT (tree_size) DO NOTHING`, [
    size,
    Buffer.from(rootHash),
    note,
  ]);
  return checkpointAt(db, size);
}

const signatureLinePattern = /^\u2014 [^\s+]+ [A-Za-z0-9+/=]+\n?$/u;

/** A witness's cosignature, checked against the witnesses configured and the stored checkpoint. */
export async function addCosignature(db: DataSource, keys: LogKeys, request: audit.AddCosignatureRequest): Promise<audit.SignedCheckpoint> {
  if (!signatureLinePattern.test(request.signatureLine)) {
    throw new DomainError(
      'validation-failed',
      'audit.cosignature-malformed',
      'a cosignature is one signed-note signature line: "— <name> <base64>"',
    );
  }
  const line = request.signatureLine.endsWith('\n') ? request.signatureLine : `${request.signatureLine}\n`;
  const checkpoint = await checkpointAt(db, request.treeSize);
  const [name] = line.slice(2).split(' ');
  const keyId = Buffer.from(line.slice(2 + name!.length + 1, -1), 'base64')
    .subarray(0, 4)
    .toString('hex');
  const witness = keys.witnesses.find((vkey) => {
    const parsed = parseVerifierKey(vkey);
    return parsed?.name === name && Buffer.from(parsed.keyId).toString('hex') === keyId;
  });
  if (!witness)
    throw new DomainError(
      'forbidden',
      'audit.witness-unknown',
      'this witness is not one the log accepts cosignatures from (AUDIT_WITNESS_KEYS)',
    );
  const body = checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1);
  const opened = openNote(`${body}\n${line}`, [witness]);
  if (!opened.ok)
    throw new DomainError('validation-failed', 'audit.cosignature-invalid', 'the cosignature does not verify over this checkpoint');
  await db.query(
    `INSERT INTO tlog_cosignatures (tree_size, key_name, key_id, signature_line) VALUES ($1, $2, $3, $4) ON CONFLICT (tree_size, key_name, key_id) DO NOTHING`,
    [request.treeSize, name, keyId, line],
  );
  return checkpointAt(db, request.treeSize);
}

/** Issues a checkpoint every interval while the log grows; stops with the service. */
export function startCheckpointing(db: DataSource, keys: LogKeys, intervalMs: number, logger: Logger): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = issueCheckpoint(db, keys)
      .then(() => undefined)
      .catch((error: unknown) => logger.warn({ err: loggableError(error) }, 'checkpoint not issued; retrying at the next interval'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
