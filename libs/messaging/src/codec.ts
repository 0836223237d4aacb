// Kafka values are protobuf: `<Context>Event { envelope, oneof payload }` from proto/.
// Headers follow the CloudEvents Kafka binding (binary mode) plus correlation, causation, actor
// and traceparent, so that routing and tracing never need to decode the value.
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { identityDocumentsEvents, intakeEvents, legalEvents, notificationsEvents } from '@homeward/contracts';
import type { EventEnvelope } from './envelope.js';

interface Wrapper {
  envelope?: Omit<EventEnvelope, 'data'> | undefined;
  payload?: { $case: string; [key: string]: unknown } | undefined;
}

interface WrapperFns {
  encode(message: never, writer?: BinaryWriter): BinaryWriter;
  decode(input: Uint8Array): unknown;
}

/** The protobuf wrapper of each context's topic, by context (the CloudEvents source). */
const wrappers: Record<string, WrapperFns> = {
  intake: intakeEvents.IntakeEvent,
  'identity-documents': identityDocumentsEvents.IdentityDocumentsEvent,
  legal: legalEvents.LegalEvent,
  notifications: notificationsEvents.NotificationsEvent,
};

export class UnknownEventError extends Error {
  override name = 'UnknownEventError';
}

const caseOf = (type: string) => type.charAt(0).toLowerCase() + type.slice(1);
const typeOf = (payloadCase: string) => payloadCase.charAt(0).toUpperCase() + payloadCase.slice(1);

function wrapperFor(source: string): WrapperFns {
  const wrapper = wrappers[source];
  if (!wrapper) throw new UnknownEventError(`no protobuf contract for context ${source}`);
  return wrapper;
}

// One writer for every encode (encoding is synchronous): a fresh one per event started at 128
// bytes and grew by copying, which was most of the relay's own time. finish() copies the bytes
// out and rewinds it; a failed encode leaves a half-written message behind, so it is replaced.
let writer = new BinaryWriter();

export function encodeEventValue(event: EventEnvelope): Buffer {
  const { data, ...envelope } = event;
  const payloadCase = caseOf(event.type);
  const message: Wrapper = { envelope, payload: { $case: payloadCase, [payloadCase]: data } };
  const wrapper = wrapperFor(event.source);
  let bytes: Uint8Array;
  try {
    bytes = wrapper.encode(message as never, writer).finish();
  } catch (error) {
    writer = new BinaryWriter();
    throw error;
  }
  // A view of the copy finish() made, not another copy.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeEventValue(source: string, value: Uint8Array): EventEnvelope {
  const decoded = wrapperFor(source).decode(value) as Wrapper;
  if (!decoded.envelope || !decoded.payload) throw new UnknownEventError('message has no envelope or payload');
  const payloadCase = decoded.payload.$case;
  const data = decoded.payload[payloadCase] as Record<string, unknown>;
  const type = typeOf(payloadCase);
  if (decoded.envelope.type !== type) throw new UnknownEventError(`payload ${type} does not match envelope type`);
  return { ...decoded.envelope, data };
}

export type Headers = Record<string, string>;

export function cloudEventHeaders(event: EventEnvelope, traceparent = ''): Headers {
  return {
    ce_specversion: '1.0',
    ce_id: event.eventId,
    ce_source: `/homeward/${event.source}`,
    ce_type: `org.homeward.${event.source}.${event.type}.v${event.schemaVersion}`,
    ce_time: event.recordedAt,
    ce_subject: event.subject,
    'content-type': 'application/protobuf',
    correlation_id: event.correlationId,
    causation_id: event.causationId,
    actor: event.actor,
    ...(traceparent ? { traceparent } : {}),
  };
}

/** The context a message came from, from its CloudEvents source header. */
export function sourceOf(headers: Record<string, Buffer | string | undefined | (Buffer | string)[]>): string {
  const raw = headers['ce_source'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const text = value === undefined ? '' : value.toString();
  if (!text.startsWith('/homeward/')) throw new UnknownEventError('message has no CloudEvents source');
  return text.slice('/homeward/'.length);
}
