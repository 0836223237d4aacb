import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { notFound } from '@homeward/decider';
import { DataSource } from 'typeorm';
import { addCosignature, checkpointAt, issueCheckpoint, latestCheckpoint, listCheckpoints } from './checkpoints.js';
import { LOG_KEYS, type LogKeys } from './log-signer.js';

/** The log's key and its checkpoints: read by auditors and witnesses, cosigned by witnesses. */
@Controller()
export class CheckpointsController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOG_KEYS) private readonly keys: LogKeys,
  ) {}

  @GrpcMethod('AuditService', 'GetLogKey')
  getLogKey(): audit.LogKey {
    return { origin: this.keys.signer.name, verifierKey: this.keys.signer.verifierKey, witnessKeys: [...this.keys.witnesses] };
  }

  @GrpcMethod('AuditService', 'LatestCheckpoint')
  async latestCheckpoint(): Promise<audit.SignedCheckpoint> {
    const latest = await latestCheckpoint(this.dataSource);
    if (!latest) throw notFound('audit.no-checkpoint', 'no checkpoint has been issued yet');
    return latest;
  }

  @GrpcMethod('AuditService', 'GetCheckpoint')
  getCheckpoint(request: audit.GetCheckpointRequest): Promise<audit.SignedCheckpoint> {
    return checkpointAt(this.dataSource, request.treeSize);
  }

  @GrpcMethod('AuditService', 'ListCheckpoints')
  listCheckpoints(request: audit.ListCheckpointsRequest): Promise<audit.ListCheckpointsResponse> {
    return listCheckpoints(this.dataSource, request);
  }

  @GrpcMethod('AuditService', 'IssueCheckpoint')
  issueCheckpoint(): Promise<audit.SignedCheckpoint> {
    return issueCheckpoint(this.dataSource, this.keys);
  }

  @GrpcMethod('AuditService', 'AddCosignature')
  addCosignature(request: audit.AddCosignatureRequest): Promise<audit.SignedCheckpoint> {
    return addCosignature(this.dataSource, this.keys, request);
  }
}
