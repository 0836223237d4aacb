import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { consistencyProof, inclusionProof } from '@homeward/transparency';
import { isUuid } from '@homeward/vocabulary';
import { DataSource } from 'typeorm';
import { treeSizeOrLatest } from './checkpoints.js';
import { logSize, overStoredTree } from './log-store.js';

const base64 = (hash: Uint8Array) => Buffer.from(hash).toString('base64');
const invalid = (code: string, message: string) => new DomainError('validation-failed', `audit.${code}`, message);

/** A tree size the log has reached: a proof over a larger one would be a proof over nothing. */
async function reachedSize(db: DataSource, treeSize: number): Promise<number> {
  const size = await treeSizeOrLatest(db, treeSize);
  if (size > (await logSize(db))) throw notFound('audit.tree-size-unknown', 'the log has not reached this tree size');
  return size;
}

/** RFC 9162 §2.1.3 and §2.1.4 proofs, each from one batched read of stored subtree hashes. */
@Controller()
export class ProofsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('AuditService', 'InclusionProof')
  async inclusionProof(request: audit.InclusionProofRequest): Promise<audit.InclusionProofResponse> {
    const entryId = request.eventId || request.accessId;
    if (Boolean(request.eventId) === Boolean(request.accessId) || !isUuid(entryId)) {
      throw invalid('leaf-entry-invalid', 'give exactly one of eventId and accessId, a UUID');
    }
    const treeSize = await reachedSize(this.dataSource, request.treeSize);
    const [leaf] = await this.dataSource.query<Array<{ leaf_index: string }>>(
      `SELECT leaf_index FROM tlog_leaves WHERE entry_id = $1 AND kind = $2`,
      [entryId, request.eventId ? 'event' : 'access'],
    );
    const index = leaf ? Number(leaf.leaf_index) : -1;
    if (index < 0 || index >= treeSize)
      throw notFound('audit.leaf-not-in-tree', 'this entry is not in the tree of this size (issue a checkpoint once it is logged)');
    const proof = await overStoredTree(this.dataSource, (hashAt) => ({
      leaf: hashAt(0, index),
      path: inclusionProof(index, treeSize, hashAt),
    }));
    return { leafIndex: index, treeSize, leafHash: base64(proof.leaf), path: proof.path.map(base64) };
  }

  @GrpcMethod('AuditService', 'ConsistencyProof')
  async consistencyProof(request: audit.ConsistencyProofRequest): Promise<audit.ConsistencyProofResponse> {
    const to = await reachedSize(this.dataSource, request.to);
    if (request.from < 1 || request.from > to) throw invalid('consistency-range-invalid', 'from must be at least 1 and at most to');
    const path = await overStoredTree(this.dataSource, (hashAt) => consistencyProof(request.from, to, hashAt));
    return { from: request.from, to, path: path.map(base64) };
  }
}
