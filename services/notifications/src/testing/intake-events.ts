// Intake's facts as they arrive on Kafka: protobuf values and CloudEvents headers built with the
// messaging codec, exactly as intake's outbox relay publishes them. Invented people only.
import { randomUUID } from 'node:crypto';
import { publishedEvent } from '@homeward/eventsourcing';
import type { EventEnvelope } from '@homeward/messaging';

export const newPersonId = () => randomUUID();

export const intakeEvent = (type: string, data: { personId: string } & Record<string, unknown>, at = new Date()): EventEnvelope =>
  publishedEvent({
    source: 'intake',
    streamId: `person-${data.personId}`,
    subject: data.personId,
    type,
    data,
    actor: 'intake-clerk',
    occurredAt: at.toISOString(),
    recordedAt: at.toISOString(),
  });

const iso = (at: Date) => at.toISOString();

export const facts = {
  released: (personId: string, at = new Date()) =>
    intakeEvent(
      'PrisonerReleased',
      { personId, releasedAt: iso(at), mechanism: 'brokered', batchId: 'batch-2025-09-11', daysOfSentenceRemaining: 120 },
      at,
    ),
  deported: (personId: string, at = new Date()) =>
    intakeEvent(
      'PrisonerDeported',
      { personId, deportedAt: iso(at), fromCountry: 'BY', toCountry: 'LT', borderCrossing: 'Kamenny Log', consented: false },
      at,
    ),
  returnAttempted: (personId: string, at = new Date()) =>
    intakeEvent('ReturnAttempted', { personId, attemptedAt: iso(at), borderCrossing: 'Kamenny Log', outcome: 'refused' }, at),
  contactLost: (personId: string, at = new Date()) =>
    intakeEvent('ContactLost', { personId, lastContactAt: iso(at), reportedBy: 'family' }, at),
  contactReestablished: (personId: string, at = new Date()) =>
    intakeEvent('ContactReestablished', { personId, contactAt: iso(at), reportedBy: 'family' }, at),
  rearrested: (personId: string, at = new Date()) => intakeEvent('RearrestReported', { personId, reportedAt: iso(at), place: 'Minsk' }, at),
};
