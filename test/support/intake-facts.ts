// One of intake's facts about a person, as intake's relay puts it on Kafka: for tests that feed
// the other services directly (a poison message, a fact intake would not record twice).
import { publishedEvent } from '@homeward/eventsourcing';
import { cloudEventHeaders, encodeEventValue } from '@homeward/messaging';

export function intakeFact(
  type: string,
  data: { personId: string } & Record<string, unknown>,
  { actor, streamVersion }: { actor: string; streamVersion: number },
) {
  const event = publishedEvent({
    source: 'intake',
    streamId: `person-${data.personId}`,
    subject: data.personId,
    type,
    data,
    actor,
    streamVersion,
  });
  return { key: event.subject, value: encodeEventValue(event), headers: cloudEventHeaders(event), event };
}
