// Other contexts' events as they arrive on Kafka: protobuf values and CloudEvents headers built
// with the messaging codec, exactly as intake's and identity-documents' relays publish them.
// Invented people only; the fields are the proto contracts'.
import { randomUUID } from 'node:crypto';
import { publishedEvent } from '@homeward/eventsourcing';
import type { EventEnvelope } from '@homeward/messaging';

export const newPersonId = () => randomUUID();

const eventOf = (
  source: 'intake' | 'identity-documents',
  streamPrefix: string,
  type: string,
  data: { personId: string } & Record<string, unknown>,
): EventEnvelope => publishedEvent({ source, streamId: `${streamPrefix}-${data.personId}`, subject: data.personId, type, data });

const when = '2025-09-11T14:00:00.000Z';

export const intake = {
  registered: (personId: string, foreignNational = false) =>
    eventOf('intake', 'person', 'PersonRegistered', {
      personId,
      fullName: 'Invented Person',
      aliases: [],
      birthDate: '',
      citizenships: ['BY'],
      foreignNational,
      occupation: 'blogger',
      batchId: '',
    }),
  released: (personId: string, batchId: string, releasedAt = when) =>
    eventOf('intake', 'person', 'PrisonerReleased', {
      personId,
      releasedAt,
      mechanism: 'brokered',
      batchId,
      daysOfSentenceRemaining: 120,
      sentenceRemainingSource: 'stated',
    }),
  imprisoned: (personId: string) =>
    eventOf('intake', 'person', 'ImprisonmentRecorded', {
      personId,
      charges: ['invented charge'],
      sentenceMonths: 24,
      sentenceStart: '2026-01-01',
      expectedRelease: '2028-01-01',
      facility: 'Invented colony',
    }),
  rearrested: (personId: string) => eventOf('intake', 'person', 'RearrestReported', { personId, reportedAt: when, place: '' }),
  deported: (personId: string, consented = false) =>
    eventOf('intake', 'person', 'PrisonerDeported', {
      personId,
      deportedAt: when,
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: 'Kamenny Log',
      consented,
    }),
  returnAttempted: (personId: string, outcome: 'refused' | 'crossed' | 'unknown') =>
    eventOf('intake', 'person', 'ReturnAttempted', { personId, attemptedAt: when, borderCrossing: 'Benyakoni', outcome }),
  forgotten: (personId: string) => eventOf('intake', 'person', 'PersonForgotten', { personId, forgottenAt: new Date().toISOString() }),
};

export const documents = {
  confiscated: (personId: string) =>
    eventOf('identity-documents', 'documents', 'PassportConfiscated', { personId, confiscatedAt: when, authority: 'kgb', place: '' }),
  destroyed: (personId: string) =>
    eventOf('identity-documents', 'documents', 'PassportDestroyed', {
      personId,
      destroyedAt: when,
      authority: 'kgb',
      account: 'Invented account',
    }),
  certificate: (personId: string, validAsIdentityDocument = false) =>
    eventOf('identity-documents', 'documents', 'TemporaryCertificateIssued', {
      personId,
      issuedAt: when,
      issuer: 'OGiM',
      format: 'A4',
      validAsIdentityDocument,
    }),
  travelDocumentApplied: (personId: string, documentType: string, applicationId: string) =>
    eventOf('identity-documents', 'documents', 'TravelDocumentApplied', {
      personId,
      applicationId,
      appliedAt: when,
      country: 'LT',
      documentType,
    }),
  travelDocumentIssued: (personId: string, documentType: string, applicationId: string = randomUUID()) =>
    eventOf('identity-documents', 'documents', 'TravelDocumentIssued', {
      personId,
      applicationId,
      issuedAt: when,
      country: 'LT',
      documentType,
      validUntil: '2030-01-01',
    }),
};
