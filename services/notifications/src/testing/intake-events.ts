// Intake's facts as they arrive on Kafka: protobuf values and CloudEvents headers built with the
// messaging codec, exactly as intake's outbox relay publishes them. Invented people only.
import { randomUUID } from 'node:crypto';
import { hashEvent } from '@homeward/eventsourcing';
import type { EventEnvelope } from '@homeward/messaging';
import { v7 as uuidv7 } from 'uuid';

export const newPersonId = () => randomUUID();

export function intakeEvent(type: string, data: { personId: string } & Record<string, unknown>, at = new Date()): EventEnvelope {
  const unhashed = {
    eventId: uuidv7(),
    streamId: `person-${data.personId}`,
    streamVersion: 1,
    type,
    schemaVersion: 1,
    data,
    occurredAt: at.toISOString(),
    recordedAt: at.toISOString(),
    actor: 'intake-clerk',
    correlationId: uuidv7(),
    causationId: uuidv7(),
    subject: data.personId,
    source: 'intake',
    prevHash: '',
  };
  return { ...unhashed, hash: hashEvent(unhashed) };
}


const iso = (at: Date) => at.toISOString();

export const facts = {
  released: (personId: string, at = new Date()) =>
    intakeEvent('PrisonerReleased', { personId, releasedAt: iso(at), mechanism: 'brokered', batchId: 'batch-2025-09-11', daysOfSentenceRemaining: 120 }, at),
  deported: (personId: string, at = new Date()) =>
    intakeEvent('PrisonerDeported', { personId, deportedAt: iso(at), fromCountry: 'BY', toCountry: 'LT', borderCrossing: 'Kamenny Log', consented: false }, at),
  returnAttempted: (personId: string, at = new Date()) =>
    intakeEvent('ReturnAttempted', { personId, attemptedAt: iso(at), borderCrossing: 'Kamenny Log', outcome: 'refused' }, at),
  contactLost: (personId: string, at = new Date()) => intakeEvent('ContactLost', { personId, lastContactAt: iso(at), reportedBy: 'family' }, at),
  contactReestablished: (personId: string, at = new Date()) => intakeEvent('ContactReestablished', { personId, contactAt: iso(at), reportedBy: 'family' }, at),
  rearrested: (personId: string, at = new Date()) => intakeEvent('RearrestReported', { personId, reportedAt: iso(at), place: 'Minsk' }, at),
};
