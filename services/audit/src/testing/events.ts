// Valid chained events as the producers' outbox relays publish them: hashed with hashEvent, encoded
// with the messaging codec, CloudEvents headers. Invented people only.
import { randomUUID } from 'node:crypto';
import { hashEvent } from '@homeward/eventsourcing';
import type { EventEnvelope } from '@homeward/messaging';
import { v7 as uuidv7 } from 'uuid';

export const newPersonId = () => randomUUID();

interface Step {
  type: string;
  data: Record<string, unknown>;
  actor?: string;
  /** Overrides, to build a chain that does not follow. */
  streamVersion?: number;
  prevHash?: string;
}

/** A stream's events, each linked to the previous one by its hash. */
export function chain(
  source: string,
  streamId: string,
  subject: string,
  steps: Step[],
  start = new Date('2025-09-11T06:00:00Z'),
): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (const [index, step] of steps.entries()) {
    const at = new Date(start.getTime() + index * 60_000).toISOString();
    const unhashed = {
      eventId: uuidv7(),
      streamId,
      streamVersion: step.streamVersion ?? index + 1,
      type: step.type,
      schemaVersion: 1,
      data: step.data,
      occurredAt: at,
      recordedAt: at,
      actor: step.actor ?? 'intake-clerk',
      correlationId: uuidv7(),
      causationId: '',
      subject,
      source,
      prevHash: step.prevHash ?? events[index - 1]?.hash ?? '',
    };
    events.push({ ...unhashed, hash: hashEvent(unhashed) });
  }
  return events;
}

export const registered = (personId: string) => ({
  personId,
  fullName: 'Ales Testovich',
  aliases: [],
  birthDate: '',
  citizenships: ['BY'],
  foreignNational: false,
  occupation: 'journalist',
  batchId: '',
});

export const contactLost = (personId: string) => ({ personId, lastContactAt: '2025-09-20T10:00:00Z', reportedBy: 'family' });

/** A person registered, released and deported, as intake records it. */
export function intakeStory(personId: string): EventEnvelope[] {
  return chain('intake', `person-${personId}`, personId, [
    { type: 'PersonRegistered', data: registered(personId) },
    {
      type: 'PrisonerReleased',
      data: { personId, releasedAt: '2025-09-11T14:00:00Z', mechanism: 'brokered', batchId: 'batch-1', daysOfSentenceRemaining: 120 },
      actor: 'release-desk',
    },
    {
      type: 'PrisonerDeported',
      data: { personId, deportedAt: '2025-09-11T16:30:00Z', fromCountry: 'BY', toCountry: 'LT', borderCrossing: '', consented: false },
    },
  ]);
}

export interface TwoPeople {
  personA: string;
  personB: string;
  storyA: EventEnvelope[];
  storyB: EventEnvelope[];
  /** The legal case a rule opened for person A: one event, on legal's topic. */
  legalStream: EventEnvelope[];
}

/** Two people's intake stories and the legal case a rule opened for the first. */
export function twoPeople(): TwoPeople {
  const personA = newPersonId();
  const personB = newPersonId();
  const storyA = intakeStory(personA);
  const caseId = uuidv7();
  const legalStream = chain('legal', `case-${caseId}`, personA, [
    {
      type: 'LegalCaseOpened',
      data: { caseId, personId: personA, openedAt: '2025-09-12T00:00:00Z', firstEventId: storyA[2]!.eventId },
      actor: 'rule:deportation',
    },
  ]);
  return { personA, personB, storyA, storyB: intakeStory(personB), legalStream };
}
