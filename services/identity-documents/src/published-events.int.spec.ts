// What identity-documents publishes, against the real PostgreSQL and Kafka: every event of every
// kind on the service's topic, keyed by person, decoded from protobuf with every field intact.
// Invented people only.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { identityDocumentsEvents } from '@homeward/contracts';
import { verifyChain } from '@homeward/eventsourcing';
import { decodeEventValue, sourceOf, type EventEnvelope } from '@homeward/messaging';
import { eventually, uniqueName } from '@homeward/testing';
import { v7 as uuidv7 } from 'uuid';
import { documentsHarness, metadata, uuidV7 } from './testing/documents-harness.js';

describe('identity-documents events on Kafka', () => {
  const harness = documentsHarness();

  beforeAll(async () => {
    // One event of each kind: a passport confiscated, destroyed and replaced by the A4 certificate;
    // a travel document issued to one person and refused to another.
    const [paperless, issued, refused] = [uuidv7(), uuidv7(), uuidv7()];
    await harness.confiscate(paperless);
    await harness.client.recordPassportDestruction({
      metadata: metadata(),
      personId: paperless,
      destroyedAt: '2025-09-11T07:00:00Z',
      authority: 'kgb',
      account: 'torn up (invented)',
    });
    await harness.certify(paperless);
    const decide = async (personId: string, decision: 'issued' | 'refused') => {
      const { applicationId } = await harness.apply(personId);
      const validUntil = decision === 'issued' ? '2030-10-19' : '';
      const decidedAt = '2025-10-20T10:00:00.000Z';
      await harness.client.decideTravelDocumentApplication({
        metadata: metadata(),
        personId,
        applicationId,
        decision,
        decidedAt,
        validUntil,
        reason: '',
      });
    };
    await decide(issued, 'issued');
    await decide(refused, 'refused');
  });

  it('publishes every event, keyed by person, as protobuf whose decoded fields match the store and verify the hash chain', async () => {
    const stored: Array<{ event_id: string }> = await harness.service.runtime.dataSource.query(`SELECT event_id FROM events`);
    const seen = new Map<string, { event: EventEnvelope; key: string; headers: Record<string, string>; value: Buffer }>();
    const reader = await harness.broker.subscribe({
      groupId: uniqueName('identity-documents-test-reader'),
      topics: [harness.topic],
      eachBatch: async (batch) => {
        for (const message of batch.messages) {
          const event = decodeEventValue(sourceOf(message.headers), message.value);
          const headers = Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)]));
          seen.set(event.eventId, { event, key: message.key, headers, value: message.value });
          batch.resolveOffset(message.offset);
        }
      },
    });
    try {
      await eventually(
        async () => seen.size,
        (n) => n >= stored.length,
        { timeoutMs: 60_000, what: `${stored.length} events on ${harness.topic}` },
      );
    } finally {
      await reader.stop();
    }
    expect(seen.size).toBe(stored.length);

    const streams: Array<{ stream_id: string }> = await harness.service.runtime.dataSource.query(`SELECT DISTINCT stream_id FROM events`);
    for (const { stream_id: streamId } of streams) {
      const inStore = await harness.service.runtime.store!.readStream(streamId, { raw: true });
      const onKafka = inStore.map((event) => seen.get(event.eventId)!.event);
      expect(onKafka).toEqual(inStore.map(({ globalPosition: _position, ...event }) => event));
      expect(verifyChain(streamId, onKafka)).toMatchObject({ valid: true, eventsChecked: inStore.length });
      for (const event of inStore) {
        const { key, headers } = seen.get(event.eventId)!;
        expect(key).toBe(event.subject);
        expect(headers).toMatchObject({
          ce_subject: event.subject,
          ce_source: '/homeward/identity-documents',
          ce_type: `org.homeward.identity-documents.${event.type}.v1`,
        });
      }
    }

    // Decoded with the generated contract, as legal does: every oneof case and field as sent.
    const byType = new Map([...seen.values()].map((message) => [message.event.type, message]));
    expect([...byType.keys()].sort()).toEqual(
      [
        'PassportConfiscated',
        'PassportDestroyed',
        'TemporaryCertificateIssued',
        'TravelDocumentApplied',
        'TravelDocumentIssued',
        'TravelDocumentRefused',
      ].sort(),
    );
    const decoded = identityDocumentsEvents.IdentityDocumentsEvent.decode(byType.get('TemporaryCertificateIssued')!.value);
    expect(decoded.payload).toEqual({
      $case: 'temporaryCertificateIssued',
      temporaryCertificateIssued: {
        personId: decoded.envelope!.subject,
        issuedAt: '2025-09-11T09:00:00.000Z',
        issuer: 'OGiM',
        format: 'A4',
        validAsIdentityDocument: false,
      },
    });
    const issued = identityDocumentsEvents.IdentityDocumentsEvent.decode(byType.get('TravelDocumentIssued')!.value);
    expect(issued.payload).toMatchObject({
      $case: 'travelDocumentIssued',
      travelDocumentIssued: {
        issuedAt: '2025-10-20T10:00:00.000Z',
        country: 'LT',
        documentType: expect.stringMatching(/^(aliens-passport|humanitarian-visa)$/),
        validUntil: '2030-10-19',
        applicationId: expect.stringMatching(uuidV7),
      },
    });
    const refused = identityDocumentsEvents.IdentityDocumentsEvent.decode(byType.get('TravelDocumentRefused')!.value);
    expect(refused.envelope).toMatchObject({
      type: 'TravelDocumentRefused',
      source: 'identity-documents',
      actor: 'caseworker-test',
      streamId: `documents-${refused.envelope!.subject}`,
    });
  });
});
