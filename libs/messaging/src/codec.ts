// Kafka values are protobuf: `<Context>Event { envelope, oneof payload }` from proto/.
// Headers follow the CloudEvents Kafka binding (binary mode) plus correlation, causation, actor
// and traceparent, so that routing and tracing never need to decode the value.
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { identityDocumentsEvents, intakeEvents, inventory, legalEvents, notificationsEvents } from '@homeward/contracts';
import type { EventEnvelope } from './envelope.js';
import type { OutgoingMessage } from './kafka.js';

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

/** Each context's generated module: the payload messages by event type. */
const payloadModules: Record<string, Record<string, unknown>> = {
  intake: intakeEvents,
  'identity-documents': identityDocumentsEvents,
  legal: legalEvents,
  notifications: notificationsEvents,
};

const defaultsByType = new Map<string, Record<string, unknown>>();

/** A payload's fields at their proto3 defaults ("" , 0, false, []), from decoding no bytes. */
function defaultsOf(source: string, type: string): Record<string, unknown> {
  const key = `${source}/${type}`;
  let defaults = defaultsByType.get(key);
  if (!defaults) {
    const fns = payloadModules[source]?.[type] as WrapperFns | undefined;
    defaults = fns ? (fns.decode(new Uint8Array()) as Record<string, unknown>) : {};
    defaultsByType.set(key, defaults);
  }
  return defaults;
}

/**
 * An event stored before a field of its contract existed lacks it; the generated encoder would
 * write such a string as "undefined". Its default is written instead, as for any value proto3
 * leaves unset. The data is copied only when a field is missing.
 */
function completeData(event: EventEnvelope): Record<string, unknown> {
  const defaults = defaultsOf(event.source, event.type);
  let data = event.data;
  for (const key in defaults) {
    if (data[key] !== undefined) continue;
    if (data === event.data) data = { ...event.data };
    data[key] = defaults[key];
  }
  return data;
}

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
// bytes and grew by copying. A failed encode leaves a half-written message behind, so it is
// replaced.
let writer = new BinaryWriter();

/**
 * The protobuf values of `events`, in order. They are encoded one after another into one buffer,
 * each behind its length (fork/join), and handed out as views of it: finish() copies into a new
 * ArrayBuffer, and one per event was most of what encoding cost (and of the garbage the relay
 * made), against one per batch here.
 */
export function encodeEventValues(events: readonly EventEnvelope[]): Buffer[] {
  let bytes: Uint8Array;
  try {
    for (const event of events) {
      const payloadCase = caseOf(event.type);
      // The envelope's encoder writes its own fields only: the event itself serves, data and all.
      const message: Wrapper = { envelope: event, payload: { $case: payloadCase, [payloadCase]: completeData(event) } };
      wrapperFor(event.source)
        .encode(message as never, writer.fork())
        .join();
    }
    bytes = writer.finish();
  } catch (error) {
    writer = new BinaryWriter();
    throw error;
  }
  const values = new Array<Buffer>(events.length);
  let at = 0;
  for (let i = 0; i < values.length; i += 1) {
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++]!;
      length |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    values[i] = Buffer.from(bytes.buffer, bytes.byteOffset + at, length);
    at += length;
  }
  return values;
}

export function encodeEventValue(event: EventEnvelope): Buffer {
  return encodeEventValues([event])[0]!;
}

const laterFieldsByType = new Map<string, ReadonlyArray<readonly [string, number]>>();

/** The payload's fields that a later schema version added, with that version (the contract's `since`). */
function laterFieldsOf(source: string, type: string): ReadonlyArray<readonly [string, number]> {
  const key = `${source}/${type}`;
  let later = laterFieldsByType.get(key);
  if (!later) {
    const fields = inventory[`homeward.${source.replaceAll('-', '_')}.v1.${type}`] ?? {};
    later = Object.entries(fields).flatMap(([field, entry]) => ('since' in entry && entry.since ? [[field, entry.since] as const] : []));
    laterFieldsByType.set(key, later);
  }
  return later;
}

/**
 * Decodes a value into the event as its context stored (and hashed) it: a field added in a later
 * schema version than the event's is left out, as it was not in the stored data (proto3 decodes
 * it as a default otherwise, and the copy's hash would not verify).
 */
export function decodeEventValue(source: string, value: Uint8Array): EventEnvelope {
  const decoded = wrapperFor(source).decode(value) as Wrapper;
  if (!decoded.envelope || !decoded.payload) throw new UnknownEventError('message has no envelope or payload');
  const payloadCase = decoded.payload.$case;
  const data = decoded.payload[payloadCase] as Record<string, unknown>;
  const type = typeOf(payloadCase);
  if (decoded.envelope.type !== type) throw new UnknownEventError(`payload ${type} does not match envelope type`);
  for (const [field, since] of laterFieldsOf(source, type)) if (decoded.envelope.schemaVersion < since) delete data[field];
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

/**
 * The Kafka messages of `events`, in order: keyed by subject (a person's events stay in one
 * partition), the protobuf value, the CloudEvents headers with `traceparents[i]` for `events[i]`.
 */
export function toMessages(events: readonly EventEnvelope[], traceparents: readonly (string | undefined)[] = []): OutgoingMessage[] {
  const values = encodeEventValues(events);
  return events.map((event, i) => ({ key: event.subject, value: values[i]!, headers: cloudEventHeaders(event, traceparents[i]) }));
}

/** The context a message came from, from its CloudEvents source header. */
export function sourceOf(headers: Record<string, Buffer | string | undefined | (Buffer | string)[]>): string {
  const raw = headers['ce_source'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const text = value === undefined ? '' : value.toString();
  if (!text.startsWith('/homeward/')) throw new UnknownEventError('message has no CloudEvents source');
  return text.slice('/homeward/'.length);
}
