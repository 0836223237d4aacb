import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { ContextRun, Run } from './reconciler.js';
import { isClean, reconciledContexts, type ReconciledContext } from './reconciler.js';

export class ReconciliationBody {
  @ApiPropertyOptional({ enum: reconciledContexts, isArray: true, description: 'The contexts to compare with their copy; all when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(reconciledContexts.length)
  @IsIn(reconciledContexts, { each: true })
  contexts?: ReconciledContext[];

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 86_400,
    description:
      "Events at a stream's tail recorded less than this long ago are pending, not missing " +
      '(default AUDIT_RECONCILE_GRACE_SECONDS, else 60)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  graceSeconds?: number;
}

export class DiscrepancyView {
  @ApiProperty({ enum: ['missing', 'extra', 'different', 'pending'] }) kind!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The store's event; null when extra" }) eventId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The copy's row; null when missing or pending" }) copyEventId!:
    string | null;
}

export class ContextReconciliationView {
  @ApiProperty({ enum: reconciledContexts }) context!: string;
  @ApiProperty({ enum: ['running', 'done', 'failed'] }) state!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['reconciliation.store-unreadable', 'reconciliation.copy-unreadable', 'reconciliation.failed'],
  })
  errorCode!: string | null;
  @ApiProperty({ description: 'Streams compared (in the store, the copy or both)' }) streams!: number;
  @ApiProperty({ description: "The store's events compared with the copy" }) events!: number;
  @ApiProperty({ description: 'In the store, not in the copy' }) missing!: number;
  @ApiProperty({ description: 'In the copy, not in the store' }) extra!: number;
  @ApiProperty({ description: 'Same stream and version, another event id or hash' }) different!: number;
  @ApiProperty({ description: 'The newest events of a stream, within the grace period, not copied yet (no discrepancy)' }) pending!: number;
  @ApiProperty({ description: 'Versions the copy holds more than once (a context republished a changed event)' })
  duplicateVersions!: number;
  @ApiProperty({ type: [DiscrepancyView], description: 'The first ten of each kind' }) samples!: DiscrepancyView[];
}

export class ReconciliationView {
  @ApiProperty({ format: 'uuid' }) reconciliationId!: string;
  @ApiProperty({ enum: ['running', 'done'] }) state!: string;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Done, every context read whole, nothing missing, extra or different; null while running',
  })
  clean!: boolean | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty() graceSeconds!: number;
  @ApiProperty({ type: [ContextReconciliationView] }) contexts!: ContextReconciliationView[];
}

const contextView = (entry: ContextRun): ContextReconciliationView => ({
  context: entry.context,
  state: entry.state,
  errorCode: entry.errorCode,
  streams: entry.streams,
  events: entry.events,
  missing: entry.missing,
  extra: entry.extra,
  different: entry.different,
  pending: entry.pending,
  duplicateVersions: entry.duplicateVersions,
  samples: entry.samples.map((sample) => ({ ...sample, eventId: sample.eventId || null, copyEventId: sample.copyEventId || null })),
});

export const reconciliationView = (run: Run): ReconciliationView => ({
  reconciliationId: run.id,
  state: run.state,
  clean: run.state === 'done' ? isClean(run) : null,
  startedAt: run.startedAt,
  finishedAt: run.finishedAt,
  graceSeconds: run.graceSeconds,
  contexts: run.contexts.map(contextView),
});
