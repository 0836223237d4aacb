// One of intake's facts about a person, as intake's relay puts it on Kafka: for tests that feed
// the other services directly (a poison message, a fact intake would not record twice).
import { hashEvent } from '@homeward/eventsourcing';
import { cloudEventHeaders, encodeEventValue } from '@homeward/messaging';
import { v7 as uuidv7 } from 'uuid';

export function intakeFact(type: string, data: { personId: string } & Record<string, unknown>, { actor, streamVersion }: { actor: string; streamVersion: number }) {
  const now = new Date().toISOString();
  const unhashed = {
    eventId: uuidv7(),
    streamId: `person-${data.personId}`,
    streamVersion,
    type,
    schemaVersion: 1,
    data,
    occurredAt: now,
    recordedAt: now,
    actor,
    correlationId: uuidv7(),
    causationId: uuidv7(),
    subject: data.personId,
    source: 'intake',
    prevHash: '',
  };
  const event = { ...unhashed, hash: hashEvent(unhashed) };
  return { key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event), event };
}
