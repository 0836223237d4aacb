/**
 * An event as it is stored and as it travels: the stored row of the event store, and the decoded
 * value of a Kafka message, have this one shape. `hash` chains it to the stream's previous event.
 */
export interface EventEnvelope<Type extends string = string, Data = Record<string, unknown>> {
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: Type;
  schemaVersion: number;
  data: Data;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  correlationId: string;
  causationId: string;
  subject: string;
  source: string;
  prevHash: string;
  hash: string;
}

/** Where a consumed event came from on Kafka. */
export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string;
}

export type ConsumedEvent = EventEnvelope & { position: KafkaPosition };
