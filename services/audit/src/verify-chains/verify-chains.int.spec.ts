// Audit verifies the hash chains of the streams it copied, against the real PostgreSQL and Kafka:
// a clean stream, a whole context, and a row altered behind the append-only trigger. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { auditHarnessWith } from '../testing/audit-harness.js';
import { twoPeople } from '../testing/events.js';

describe('verifying chains', () => {
  const people = twoPeople();
  const { personA, personB, storyB } = people;
  const audit = auditHarnessWith('audit_verify', people);

  it('verifies a clean stream, and a whole context', async () => {
    expect(await audit.client.verifyStream({ streamId: `person-${personA}` })).toEqual({
      streamId: `person-${personA}`,
      eventsChecked: 3,
      valid: true,
    });
    const legal = await audit.client.verifySource({ source: 'legal' });
    expect(legal).toEqual({ source: 'legal', streamsChecked: 1, eventsChecked: 1, broken: [] });
    await expect(audit.client.verifyStream({ streamId: 'person-nobody' })).rejects.toMatchObject({ code: 5 });
  });

  it('names exactly the row altered behind the trigger as the first break', async () => {
    const target = storyB[1]!;
    await audit.sql(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    try {
      await audit.sql(`UPDATE audit_events SET data = jsonb_set(data, '{daysOfSentenceRemaining}', '0') WHERE event_id = $1`, [
        target.eventId,
      ]);
    } finally {
      await audit.sql(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    }
    expect(await audit.client.verifyStream({ streamId: `person-${personB}` })).toEqual({
      streamId: `person-${personB}`,
      eventsChecked: 2,
      valid: false,
      firstBroken: { eventId: target.eventId, streamVersion: 2, reason: 'hash-mismatch' },
    });
    const intake = await audit.client.verifySource({ source: 'intake' });
    expect(intake.broken.map((stream) => stream.streamId)).toContain(`person-${personB}`);
    expect(intake.broken.map((stream) => stream.streamId)).not.toContain(`person-${personA}`);
  });
});
