import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { admin } from '@homeward/contracts';

// Named apart from the transparency log's CheckpointView, which would take its place.
@ApiSchema({ name: 'ConsumerCheckpointView' })
export class CheckpointView {
  @ApiProperty() topic!: string;
  @ApiProperty() partition!: number;
  @ApiProperty({ description: 'Last offset applied (int64 as a string); -1 before the first' }) offset!: string;
  @ApiProperty({ description: 'Messages on this partition not yet applied' }) lag!: number;
}

export class ProjectionView {
  @ApiProperty({ example: 'person_file', description: 'The read model (its table)' }) name!: string;
  @ApiProperty({ example: 'intake' }) service!: string;
  @ApiProperty({ enum: ['inline', 'consumer'] }) kind!: string;
  @ApiProperty({ enum: ['live', 'rebuilding'] }) state!: string;
  @ApiProperty({ type: String, nullable: true, description: 'inline: last global position of the store' }) position!: string | null;
  @ApiProperty({ type: [CheckpointView], description: 'consumer: per topic and partition' }) checkpoints!: CheckpointView[];
  @ApiProperty() rows!: number;
  @ApiProperty({
    description: 'Messages not yet applied, all partitions together (0 for an inline read model: it is written with the events)',
  })
  lag!: number;
}

export class ProjectionsList {
  @ApiProperty({ type: [ProjectionView] }) items!: ProjectionView[];
  @ApiProperty({ type: [String], description: 'Services that did not answer' }) unavailable!: string[];
}

export class JobView {
  @ApiProperty({ example: 'intake:01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70', description: '<service>:<uuid>' }) jobId!: string;
  @ApiProperty() service!: string;
  @ApiProperty({ enum: ['rebuild', 'republish'] }) kind!: string;
  @ApiProperty({ description: 'rebuild: the read model; republish: stream | time-range' }) target!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) state!: string;
  @ApiProperty() eventsDone!: number;
  @ApiProperty() eventsTotal!: number;
  @ApiProperty() ratePerSecond!: number;
  @ApiProperty() etaSeconds!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) errorCode!: string | null;
}

export class DeadLetterView {
  @ApiProperty({ example: 'legal:12', description: '<service>:<n>' }) deadLetterId!: string;
  @ApiProperty() service!: string;
  @ApiProperty() group!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() partition!: number;
  @ApiProperty() offset!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null when the message could not be decoded' }) eventType!: string | null;
  @ApiProperty({ description: 'Error name and code; never data' }) error!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) retriedAt!: string | null;
}

export class DeadLettersList {
  @ApiProperty({ type: [DeadLetterView] }) items!: DeadLetterView[];
  @ApiProperty({ type: [String], description: 'Services that did not answer' }) unavailable!: string[];
}

export class RetryView {
  @ApiProperty() deadLetterId!: string;
  @ApiProperty({ enum: ['applied', 'duplicate', 'already-retried'] }) outcome!: string;
}

export class BrokenEventView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ enum: ['hash-mismatch', 'broken-link', 'version-gap'] }) reason!: string;
}

export class StreamVerificationView {
  @ApiProperty() service!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() valid!: boolean;
  @ApiPropertyOptional({ type: BrokenEventView, nullable: true, description: 'The first event whose hash, link or version does not hold' })
  firstBroken!: BrokenEventView | null;
}

export const projectionView = (projection: admin.Projection): ProjectionView => ({
  name: projection.name,
  service: projection.service,
  kind: projection.kind,
  state: projection.state,
  position: projection.position || null,
  checkpoints: (projection.checkpoints ?? []).map(({ topic, partition, offset, lag }) => ({
    topic,
    partition,
    offset,
    lag: Number(lag || 0),
  })),
  rows: projection.rows,
  lag: Number(projection.lag || 0),
});

export const jobView = (service: string, job: admin.Job | undefined): JobView => ({
  jobId: `${service}:${job?.id ?? ''}`,
  service,
  kind: job?.kind ?? '',
  target: job?.projection ?? '',
  state: job?.state ?? '',
  eventsDone: job?.eventsDone ?? 0,
  eventsTotal: job?.eventsTotal ?? 0,
  ratePerSecond: job?.ratePerSecond ?? 0,
  etaSeconds: job?.etaSeconds ?? 0,
  startedAt: job?.startedAt ?? '',
  finishedAt: job?.finishedAt || null,
  errorCode: job?.errorCode || null,
});

export const deadLetterView = (service: string, letter: admin.DeadLetter): DeadLetterView => ({
  deadLetterId: `${service}:${letter.id}`,
  service,
  group: letter.groupId,
  topic: letter.topic,
  partition: letter.partition,
  offset: letter.offset,
  eventType: letter.eventType || null,
  error: letter.error,
  attempts: letter.attempts,
  createdAt: letter.createdAt,
  retriedAt: letter.retriedAt || null,
});
