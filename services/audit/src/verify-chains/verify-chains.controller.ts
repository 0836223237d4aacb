import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DomainError, notFound } from '@homeward/decider';
import { verifyChain } from '@homeward/eventsourcing';
import { DataSource } from 'typeorm';
import { auditEventColumns, envelopeOf, type AuditEventRow } from '../audit-events.js';

const sources = ['intake', 'identity-documents', 'legal', 'notifications'];

/**
 * On-demand verification, from the stored rows only: each stream's chain is recomputed with
 * verifyChain, so a row altered after it was copied (trigger disabled by a superuser) is named
 * as the first broken event of its stream.
 */
@Controller()
export class VerifyChainsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private async verify(streamId: string): Promise<audit.StreamVerification | null> {
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT ${auditEventColumns} FROM audit_events WHERE stream_id = $1 ORDER BY stream_version, id`,
      [streamId],
    );
    if (rows.length === 0) return null;
    const result = verifyChain(streamId, rows.map(envelopeOf));
    return { streamId, eventsChecked: result.eventsChecked, valid: result.valid, firstBroken: result.firstBroken };
  }

  @GrpcMethod('AuditService', 'VerifyStream')
  async verifyStream(request: audit.VerifyStreamRequest): Promise<audit.StreamVerification> {
    if (!request.streamId) throw new DomainError('validation-failed', 'audit.stream-id-missing', 'streamId is required');
    const result = await this.verify(request.streamId);
    if (!result) throw notFound('audit.stream-unknown', 'no event of this stream has been copied');
    return result;
  }

  @GrpcMethod('AuditService', 'VerifySource')
  async verifySource(request: audit.VerifySourceRequest): Promise<audit.SourceVerification> {
    if (!sources.includes(request.source))
      throw new DomainError('validation-failed', 'audit.source-invalid', `source must be one of ${sources.join(', ')}`);
    const streams: Array<{ stream_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT stream_id FROM audit_events WHERE source = $1 ORDER BY stream_id`,
      [request.source],
    );
    const broken: audit.StreamVerification[] = [];
    let eventsChecked = 0;
    for (const { stream_id } of streams) {
      const result = await this.verify(stream_id);
      if (!result) continue;
      eventsChecked += result.eventsChecked;
      if (!result.valid) broken.push(result);
    }
    return { source: request.source, streamsChecked: streams.length, eventsChecked, broken };
  }
}
