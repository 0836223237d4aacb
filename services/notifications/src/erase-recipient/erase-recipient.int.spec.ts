// Erasure of a recipient, against the real PostgreSQL and Kafka: the key is destroyed in the
// erasure's transaction, nothing queued to them is sent, the database holds their address nowhere
// (not even as ciphertext outside the events, whose copy nobody can open), no command on them is
// taken, and rebuilding the read models brings nothing back. Invented people and addresses.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { requestHash } from '@homeward/eventsourcing';
import { rebuildInlineProjection } from '@homeward/operations';
import { decryptFor, masterKeysFromEnv, PersonKeys } from '@homeward/personal-data';
import { notificationsUpcasters } from '@homeward/notifications-domain';
import { eventually, uniqueName } from '@homeward/testing';
import { notificationDeliveries } from '../notification-deliveries/notification-deliveries.projection.js';
import { recipients } from '../recipients/recipients.projection.js';
import { facts, newPersonId } from '../testing/intake-events.js';
import { metadata, refusal, startNotificationsHarness, type NotificationsHarness } from '../testing/notifications-harness.js';
import { welfareChecks } from '../welfare-checks/welfare-checks.projection.js';

/** In a text dump, as text or as the hex a bytea column shows. */
const holds = (dump: string, value: string) => dump.includes(value) || dump.includes(Buffer.from(value).toString('hex'));

describe('erasure of a recipient', () => {
  let h: NotificationsHarness;
  const person = newPersonId();
  const address = `erased.${person.slice(0, 8)}@example.org`;
  const keptAddress = `kept.${person.slice(0, 8)}@example.org`;
  const registration = { role: 'family', channel: 'email', address, consent: true, follows: [person] };
  const registrationKey = uniqueName('register');
  const eraseKey = uniqueName('erase');
  let recipientId: string;
  let keptId: string;
  let sealedAddress: string;

  beforeAll(async () => {
    // Nothing is sent until the erasure has happened: a notification stays queued to the recipient.
    h = await startNotificationsHarness({ sideEffects: false });
    recipientId = (
      await h.client.registerRecipient({ metadata: { ...metadata(), idempotencyKey: registrationKey }, recipientId: '', ...registration })
    ).id;
    keptId = await h.emailRecipient(keptAddress, [person]);
    await h.publish(facts.contactLost(person));
    await eventually(
      () => h.deliveriesOf(person),
      (items) => items.length === 2,
      { what: 'two queued notifications' },
    );
    const [registered] = await h.sql<{ data: { address: string } }>(
      `SELECT data FROM events WHERE type = 'RecipientRegistered' AND data->>'recipientId' = $1`,
      [recipientId],
    );
    sealedAddress = registered!.data.address;
  }, 60_000);

  afterAll(() => h?.close(), 60_000);

  const keyed = 'and keyed the fingerprint of the request';
  it(`given a registered recipient, then the store sealed the address (bound to them and the field) ${keyed}`, async () => {
    expect(sealedAddress).toMatch(/^enc:v2:[A-Za-z0-9_-]+$/);
    expect(holds(await h.dump(), address)).toBe(false);
    const [row] = await h.sql<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE key = $1`, [registrationKey]);
    const { metadata: _metadata, ...body } = { metadata: null, recipientId: '', ...registration };
    expect(row!.request_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.request_hash).not.toBe(requestHash({ command: 'RegisterRecipient', ...body }));
  });

  describe('when the recipient is erased through gRPC', () => {
    let eventIds: string[];

    beforeAll(async () => {
      ({ eventIds } = await h.client.eraseRecipient({
        metadata: { ...metadata('notifications-desk'), idempotencyKey: eraseKey },
        recipientId,
      }));
    });

    it('then RecipientErased is recorded and the key is destroyed, so the sealed address no longer opens', async () => {
      expect(eventIds).toHaveLength(1);
      const [event] = await h.sql<{ type: string; data: unknown }>(`SELECT type, data FROM events WHERE event_id = $1`, [eventIds[0]]);
      expect(event).toMatchObject({ type: 'RecipientErased', data: { recipientId } });
      const [key] = await h.sql<{ wrapped_key: Buffer | null; destroyed_at: Date | null }>(
        `SELECT wrapped_key, destroyed_at FROM person_keys WHERE person_id = $1`,
        [recipientId],
      );
      expect(key!.wrapped_key).toBeNull();
      expect(key!.destroyed_at).not.toBeNull();
      const found = await new PersonKeys(masterKeysFromEnv()).find(h.service.runtime.dataSource.manager, recipientId);
      expect(decryptFor(found, 'address', sealedAddress)).toEqual({ readable: false, reason: 'forgotten' });
    });

    it('then no table of the database holds the address in clear, and the read model keeps no ciphertext of it either', async () => {
      const dump = await h.dump();
      expect(holds(dump, address)).toBe(false);
      expect(dump).toContain(sealedAddress); // the event, unreadable for good
      const [row] = await h.sql<{ doc: Record<string, unknown> }>(`SELECT doc FROM recipients WHERE id = $1`, [recipientId]);
      expect(row!.doc).toMatchObject({ recipientId, address: '', consent: false, follows: [], erased: true });
      expect(JSON.stringify(row!.doc)).not.toContain('enc:');
    });

    it('then what was queued to them is cancelled and never sent; what was queued to others stays', async () => {
      const [pending] = await h.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE recipient_id = $1 AND status = 'pending'`,
        [recipientId],
      );
      expect(pending!.n).toBe(0);
      const items = await h.deliveriesOf(person);
      expect(items.find((item) => item.recipientId === recipientId)).toMatchObject({ status: 'cancelled', attempts: 0 });
      expect(items.find((item) => item.recipientId === keptId)).toMatchObject({ status: 'queued' });
      const cancelled = await h.sql<{ data: { reason: string } }>(
        `SELECT data FROM events WHERE type = 'NotificationCancelled' AND metadata->>'causationId' = $1`,
        [eventIds[0]],
      );
      expect(cancelled.map((row) => row.data.reason)).toEqual(['recipient-erased']);
    });

    it('then no fingerprint of their earlier requests is kept; the erasure itself answers its retry', async () => {
      const [registered] = await h.sql<{ request_hash: string }>(`SELECT request_hash FROM idempotency_keys WHERE key = $1`, [
        registrationKey,
      ]);
      expect(registered!.request_hash).toBe('forgotten');
      const retried = await h.client.eraseRecipient({
        metadata: { ...metadata('notifications-desk'), idempotencyKey: eraseKey },
        recipientId,
      });
      expect(retried).toMatchObject({ eventIds, repeatedRequest: true });
      expect(
        await refusal(
          h.client.registerRecipient({ metadata: { ...metadata(), idempotencyKey: registrationKey }, recipientId: '', ...registration }),
        ),
      ).toEqual([status.ALREADY_EXISTS, 'request.idempotency-key-reused']);
    });

    const unknownNotFound = 'and an unknown recipient is not found';
    it(`then every further command on them is refused, a second erasure records nothing, ${unknownNotFound}`, async () => {
      expect(await refusal(h.client.withdrawConsent({ metadata: metadata(), recipientId }))).toEqual([
        status.FAILED_PRECONDITION,
        'recipient.erased',
      ]);
      expect(await refusal(h.client.changeFollows({ metadata: metadata(), recipientId, follows: [person] }))).toEqual([
        status.FAILED_PRECONDITION,
        'recipient.erased',
      ]);
      expect(await refusal(h.client.registerRecipient({ metadata: metadata(), recipientId, ...registration }))).toEqual([
        status.FAILED_PRECONDITION,
        'recipient.erased',
      ]);
      expect(await h.client.eraseRecipient({ metadata: metadata(), recipientId })).toMatchObject({ eventIds: [], repeatedRequest: false });
      expect(await refusal(h.client.eraseRecipient({ metadata: metadata(), recipientId: newPersonId() }))).toEqual([
        status.NOT_FOUND,
        'recipient.not-found',
      ]);
      expect(await refusal(h.client.eraseRecipient({ metadata: metadata(), recipientId: 'not-a-uuid' }))).toEqual([
        status.INVALID_ARGUMENT,
        'recipient.id-invalid',
      ]);
    });

    it('then, with side effects on, the others are told and the erased recipient never is', async () => {
      await h.restart({ sideEffects: true });
      await h.publish(facts.released(person));
      await eventually(
        () => h.deliveriesOf(person),
        (items) => items.filter((item) => item.status === 'delivered').length === 2,
        {
          what: "the kept recipient's two notifications",
          timeoutMs: 30_000,
        },
      );
      expect(h.mailsTo(keptAddress)).toHaveLength(2);
      expect(h.mailsTo(address)).toHaveLength(0);
      expect((await h.deliveriesOf(person)).filter((item) => item.recipientId === recipientId).map((item) => item.status)).toEqual([
        'cancelled',
      ]);
    }, 60_000);

    it('then rebuilding the read models from the events brings no address back, and fails on nothing unreadable', async () => {
      const before = await h.sql(`SELECT id, doc FROM recipients ORDER BY id`);
      for (const projection of [recipients, notificationDeliveries, welfareChecks]) {
        await rebuildInlineProjection({ dataSource: h.service.runtime.dataSource, projection, upcasters: notificationsUpcasters });
      }
      expect(await h.sql(`SELECT id, doc FROM recipients ORDER BY id`)).toEqual(before);
      const [row] = await h.sql<{ doc: Record<string, unknown> }>(`SELECT doc FROM recipients WHERE id = $1`, [recipientId]);
      expect(row!.doc).toMatchObject({ address: '', erased: true, follows: [] });
      expect(holds(await h.dump(), address)).toBe(false);
    });
  });
});
