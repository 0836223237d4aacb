// Who may hear about whom: every recipient, their channel and (personal) address, their consent
// and the people they follow. Updated inline with the recipient's events; the consumer reads it to
// find the consenting followers of a person, the delivery worker to find where to send.
import type { DocumentProjection } from '@homeward/eventsourcing';
import type { RecipientEvent } from '@homeward/notifications-domain';
import { eventMessageOf, scrubMessage } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';

export interface RecipientDocument {
  recipientId: string;
  role: string;
  channel: string;
  /** Personal: sealed with the recipient's key as in the event; never logged, never returned by a query; "" once erased. */
  address: string;
  /** Personal likewise: a webhook recipient's signing secret, sealed; "" for email and for webhooks registered before secrets were their own. */
  webhookSecret?: string;
  consent: boolean;
  follows: string[];
  registeredAt: string;
  updatedAt: string;
  /** Erased: the key is destroyed and the row keeps nothing personal, not even ciphertext. */
  erased?: boolean;
}

const registeredMessage = eventMessageOf('notifications', 'RecipientRegistered');

export const recipients: DocumentProjection<RecipientDocument> = {
  name: 'recipients',
  handles: [
    'RecipientRegistered',
    'RecipientConsentWithdrawn',
    'RecipientFollowsChanged',
    'RecipientErased',
  ] satisfies RecipientEvent['type'][],
  idOf: (envelope) => (envelope.data as { recipientId: string }).recipientId,
  evolve(doc, envelope) {
    const event = envelope as unknown as RecipientEvent;
    switch (event.type) {
      case 'RecipientRegistered':
        return { ...event.data, registeredAt: envelope.recordedAt, updatedAt: envelope.recordedAt };
      case 'RecipientConsentWithdrawn':
        return doc && { ...doc, consent: false, updatedAt: envelope.recordedAt };
      case 'RecipientFollowsChanged':
        return doc && { ...doc, follows: event.data.follows, updatedAt: envelope.recordedAt };
      case 'RecipientErased':
        // What the inventory classifies personal goes, by the inventory; nobody is followed or told any more.
        return (
          doc && { ...scrubMessage(registeredMessage, doc), consent: false, follows: [], erased: true, updatedAt: envelope.recordedAt }
        );
    }
  },
};

export interface Follower {
  recipientId: string;
  channel: string;
  consent: boolean;
}

/** The recipients following a person who consented, in a stable order. */
export async function consentingFollowers(tx: Pick<EntityManager, 'query'>, personId: string): Promise<Follower[]> {
  const rows: Array<{ id: string; channel: string }> = await tx.query(
    `SELECT id, doc->>'channel' AS channel FROM recipients
     WHERE doc->'follows' @> $1::jsonb AND (doc->>'consent')::boolean
     ORDER BY id`,
    [JSON.stringify([personId])],
  );
  return rows.map((row) => ({ recipientId: row.id, channel: row.channel, consent: true }));
}

/** Why a configured on-duty recipient cannot be told. */
export type OnDutyProblem = 'not-registered' | 'erased' | 'not-caseworker' | 'no-consent';

/**
 * The configured on-duty recipients who can be told of an escalation, in the configured order:
 * registered, with role caseworker, consenting. The others come back with what is wrong, by id.
 */
export async function onDutyCaseworkers(
  tx: Pick<EntityManager, 'query'>,
  recipientIds: readonly string[],
): Promise<{ caseworkers: Follower[]; unusable: Array<{ recipientId: string; problem: OnDutyProblem }> }> {
  if (recipientIds.length === 0) return { caseworkers: [], unusable: [] };
  const rows: Array<{ id: string; channel: string; role: string; consent: boolean; erased: boolean }> = await tx.query(
    `SELECT id, doc->>'channel' AS channel, doc->>'role' AS role, (doc->>'consent')::boolean AS consent, coalesce((doc->>'erased')::boolean, false) AS erased
     FROM recipients WHERE id = ANY($1::text[])`,
    [recipientIds],
  );
  const found = new Map(rows.map((row) => [row.id, row]));
  const caseworkers: Follower[] = [];
  const unusable: Array<{ recipientId: string; problem: OnDutyProblem }> = [];
  for (const recipientId of recipientIds) {
    const row = found.get(recipientId);
    const problem: OnDutyProblem | null = !row
      ? 'not-registered'
      : row.erased
        ? 'erased'
        : row.role !== 'caseworker'
          ? 'not-caseworker'
          : !row.consent
            ? 'no-consent'
            : null;
    if (problem) unusable.push({ recipientId, problem });
    else caseworkers.push({ recipientId, channel: row!.channel, consent: true });
  }
  return { caseworkers, unusable };
}
