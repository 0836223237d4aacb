import { createHash } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { inclusionProof, signNote } from '@homeward/transparency';
import { DataSource } from 'typeorm';
import { auditEventColumns, type AuditEventRow } from '../audit-events.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { treeSizeOrLatest } from './checkpoints.js';
import { accessLogColumns, accessRowLeaf, eventRowLeaf, type AccessLogRow, type LeafKind } from './leaves.js';
import { LOG_KEYS, type LogKeys } from './log-signer.js';
import { logSize, overStoredTree } from './log-store.js';

const maxLeavesPage = 1000;
const manifestChunk = 10_000;

/**
 * Which leaves a bundle holds: its label for the manifest, and the rows of tlog_leaves l it reads
 * ($4 is its value). A person's or a stream's entries are found by their own indexes first, then
 * their leaves by entry id, so a small selection never scans the log.
 */
interface Selection {
  label: string;
  from: string;
  value: string | null;
}

function selectionOf(request: audit.ListLeavesRequest): Selection {
  const given = [request.personId, request.streamId, request.all ? 'all' : ''].filter(Boolean);
  if (given.length !== 1)
    throw new DomainError('validation-failed', 'audit.selection-invalid', 'give exactly one of personId, streamId and all');
  if (/\s/.test(request.personId + request.streamId))
    throw new DomainError('validation-failed', 'audit.selection-invalid', 'an id holds no white space');
  if (request.personId) {
    // The person's events, and every access entry that named them.
    return {
      label: `person ${request.personId}`,
      value: request.personId,
      from: `(SELECT event_id FROM audit_events WHERE subject = $4
              UNION ALL SELECT access_id FROM access_log WHERE person_ids @> ARRAY[$4::text] OR person_id = $4) AS s(entry_id)
             JOIN tlog_leaves l USING (entry_id)`,
    };
  }
  if (request.streamId) {
    const from = `(SELECT event_id FROM audit_events WHERE stream_id = $4) AS s(entry_id) JOIN tlog_leaves l USING (entry_id)`;
    return { label: `stream ${request.streamId}`, value: request.streamId, from };
  }
  return { label: 'all', value: null, from: `tlog_leaves l` };
}

interface LeafRow {
  leaf_index: string;
  kind: LeafKind;
  entry_id: string;
  hash?: Buffer;
}

/** Leaves of a selection after `after` and below `treeSize`, in index order. */
function leavesOf(
  db: DataSource,
  selection: Selection,
  after: number,
  treeSize: number,
  limit: number,
  withHash = false,
): Promise<LeafRow[]> {
  return db.query(
    `SELECT l.leaf_index, l.kind, l.entry_id${withHash ? ', n.hash' : ''} FROM ${selection.from}
     ${withHash ? 'JOIN tlog_nodes n ON n.level = 0 AND n.idx = l.leaf_index' : ''}
     WHERE l.leaf_index > $1 AND l.leaf_index < $2
     ORDER BY l.leaf_index LIMIT $3`,
    selection.value === null ? [after, treeSize, limit] : [after, treeSize, limit, selection.value],
  );
}

/** The bytes of each leaf, rebuilt from the rows they log. */
async function bytesOf(db: DataSource, leaves: LeafRow[]): Promise<Map<string, Buffer>> {
  const ids = (kind: LeafKind) => leaves.filter((leaf) => leaf.kind === kind).map((leaf) => leaf.entry_id);
  const [events, accesses] = await Promise.all([
    db.query<AuditEventRow[]>(`SELECT ${auditEventColumns} FROM audit_events WHERE event_id = ANY($1::uuid[])`, [ids('event')]),
    db.query<AccessLogRow[]>(`SELECT ${accessLogColumns} FROM access_log WHERE access_id = ANY($1::uuid[])`, [ids('access')]),
  ]);
  return new Map([...events.map(eventRowLeaf), ...accesses.map(accessRowLeaf)].map((entry) => [entry.entryId, entry.bytes]));
}

/**
 * An auditor's bundle, read out: the selected leaves with their bytes and inclusion proofs in one
 * checkpointed tree, and a signed manifest of the selection so that a leaf left out is found.
 */
@Controller()
export class LeavesController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOG_KEYS) private readonly keys: LogKeys,
  ) {}

  private async treeSize(request: audit.ListLeavesRequest): Promise<number> {
    const treeSize = await treeSizeOrLatest(this.dataSource, request.treeSize);
    if (treeSize > (await logSize(this.dataSource))) throw notFound('audit.tree-size-unknown', 'the log has not reached this tree size');
    return treeSize;
  }

  @GrpcMethod('AuditService', 'ListLeaves')
  async listLeaves(request: audit.ListLeavesRequest): Promise<audit.ListLeavesResponse> {
    const selection = selectionOf(request);
    const treeSize = await this.treeSize(request);
    const limit = Math.min(Math.max(request.limit || 500, 1), maxLeavesPage);
    const rows = await leavesOf(
      this.dataSource,
      selection,
      request.cursor ? Number(decodeCursor(request.cursor)) : -1,
      treeSize,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const bytes = await bytesOf(this.dataSource, page);
    const paths = await overStoredTree(this.dataSource, (hashAt) =>
      page.map((leaf) => inclusionProof(Number(leaf.leaf_index), treeSize, hashAt)),
    );
    const items = page.map((leaf, i) => {
      const leafBytes = bytes.get(leaf.entry_id);
      // A logged row that is gone was deleted behind the append-only trigger: say so, never skip it.
      if (!leafBytes)
        throw new DomainError(
          'internal',
          'audit.leaf-row-missing',
          `the row logged at leaf ${leaf.leaf_index} is missing from the audit copy`,
        );
      return {
        index: Number(leaf.leaf_index),
        bytes: leafBytes.toString('utf8'),
        path: paths[i]!.map((hash) => Buffer.from(hash).toString('base64')),
      };
    });
    const last = page[page.length - 1];
    return { treeSize, items, nextCursor: rows.length > limit && last ? encodeCursor(last.leaf_index) : '' };
  }

  @GrpcMethod('AuditService', 'SignBundleManifest')
  async signBundleManifest(request: audit.ListLeavesRequest): Promise<audit.BundleManifest> {
    const selection = selectionOf(request);
    const treeSize = await this.treeSize(request);
    const digest = createHash('sha256');
    let leaves = 0;
    for (let after = -1; ;) {
      const rows = await leavesOf(this.dataSource, selection, after, treeSize, manifestChunk, true);
      for (const row of rows) digest.update(row.hash!);
      leaves += rows.length;
      if (rows.length < manifestChunk) break;
      after = Number(rows[rows.length - 1]!.leaf_index);
    }
    const digestText = digest.digest('base64');
    const origin = this.keys.signer.name;
    const body = ['homeward-bundle/v1', origin, String(treeSize), selection.label, String(leaves), digestText]
      .map((line) => `${line}\n`)
      .join('');
    return { treeSize, selection: selection.label, leaves, digest: digestText, note: signNote(body, origin, this.keys.signer.privateKey) };
  }
}
