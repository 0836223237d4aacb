import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { audit } from '@homeward/contracts';

/** An event as its producer published it (data verbatim), and where the audit service read it. */
export class AuditEventView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ example: 'PrisonerReleased' }) type!: string;
  @ApiProperty() schemaVersion!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data exactly as the producer stored it" })
  data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty({ description: 'The person the event is about' }) subject!: string;
  @ApiProperty({ example: 'intake' }) source!: string;
  @ApiProperty({ description: 'Hash of the previous event of the stream, "" for the first' }) prevHash!: string;
  @ApiProperty() hash!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() partition!: number;
  @ApiProperty() offset!: string;
  @ApiProperty({ format: 'date-time', description: 'When the audit service stored its copy' }) copiedAt!: string;
}

export class AuditEventsPage {
  @ApiProperty({ type: [AuditEventView] }) items!: AuditEventView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
  @ApiProperty({ description: 'Events matching the filter, all pages' }) total!: number;
}

export class ChainBreakView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ enum: ['hash-mismatch', 'broken-link', 'version-gap'] }) reason!: string;
}

// Named apart from the admin route's StreamVerificationView, which has a service and would take its place.
@ApiSchema({ name: 'AuditStreamVerificationView' })
export class StreamVerificationView {
  @ApiProperty() streamId!: string;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: ChainBreakView, nullable: true, description: 'The first event whose hash, link or version does not hold' })
  firstBroken!: ChainBreakView | null;
}

export class SourceVerificationView {
  @ApiProperty({ example: 'intake' }) source!: string;
  @ApiProperty() streamsChecked!: number;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: [StreamVerificationView], description: 'Only the broken streams, each with its first break' })
  broken!: StreamVerificationView[];
}

export class AccessEntryView {
  @ApiProperty({ format: 'uuid' }) accessId!: string;
  @ApiProperty({ description: "The reader's token subject" }) actor!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: [String], description: 'Everyone the answer named: the person read, or every person on the page of a list' })
  personIds!: string[];
  @ApiProperty({
    type: [String],
    example: ['personId', 'status', 'deportation.toCountry'],
    description: "The fields the reader's roles were shown, from the role-by-field table: a section named whole was shown whole",
  })
  fields!: string[];
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ example: 'GET /v1/people/:personId' }) route!: string;
}

export class AccessLogPage {
  @ApiProperty({ type: [AccessEntryView] }) items!: AccessEntryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export function auditEventView(event: audit.AuditEvent): AuditEventView {
  const envelope = event.envelope!;
  return {
    eventId: envelope.eventId,
    streamId: envelope.streamId,
    streamVersion: envelope.streamVersion,
    type: envelope.type,
    schemaVersion: envelope.schemaVersion,
    data: JSON.parse(event.dataJson || '{}') as Record<string, unknown>,
    occurredAt: envelope.occurredAt,
    recordedAt: envelope.recordedAt,
    actor: envelope.actor,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    subject: envelope.subject,
    source: envelope.source,
    prevHash: envelope.prevHash,
    hash: envelope.hash,
    topic: event.topic,
    partition: event.partition,
    offset: event.offset,
    copiedAt: event.copiedAt,
  };
}

export const streamVerificationView = (result: audit.StreamVerification): StreamVerificationView => ({
  streamId: result.streamId,
  eventsChecked: result.eventsChecked,
  valid: result.valid,
  firstBroken: result.firstBroken
    ? { eventId: result.firstBroken.eventId, streamVersion: result.firstBroken.streamVersion, reason: result.firstBroken.reason }
    : null,
});

export const accessEntryView = (entry: audit.AccessEntry): AccessEntryView => ({
  accessId: entry.accessId,
  actor: entry.actor,
  roles: entry.roles ?? [],
  personIds: entry.personIds?.length ? entry.personIds : entry.personId ? [entry.personId] : [],
  fields: entry.fields ?? [],
  at: entry.at,
  correlationId: entry.correlationId,
  route: entry.route,
});
