// Erasure in identity-documents: when intake records PersonForgotten, this context destroys the
// person's key (every place, account and reason in its events, outbox, Kafka and copies can no
// longer be read), blanks those values in the person's documents, scrubs the fingerprints of the
// person's requests, and refuses their commands from then on (documents-commands.ts). All in the
// consumer's transaction, with its checkpoint: a redelivered PersonForgotten finds nothing left
// to change, and one that comes before any documents command still marks the person forgotten.
import type { ConsumerRunnerOptions, EventStore } from '@homeward/eventsourcing';
import { lockDocuments } from '@homeward/eventsourcing';
import type { ConsumedEvent } from '@homeward/messaging';
import { scrubMessage, type PersonKeys } from '@homeward/personal-data';
import type { EntityManager } from 'typeorm';
import { personDocuments, personDocumentsMessage, type PersonDocumentsDocument } from '../person-documents/person-documents.projection.js';

export interface ForgetPersonOptions {
  groupId: string;
  /** Intake's topic, where PersonForgotten is published. */
  intakeTopic: string;
  keys: PersonKeys;
  /** The service's store: the person's requests' fingerprints are scrubbed through it. */
  store: EventStore;
}

/** Only erasures: the rest of intake's topic moves the checkpoint and nothing else. */
export const reactsToErasure = (event: ConsumedEvent) => event.type === 'PersonForgotten';

export async function forgetPerson(
  tx: EntityManager,
  { keys, store }: Pick<ForgetPersonOptions, 'keys' | 'store'>,
  personId: string,
): Promise<void> {
  await keys.lockForErasure(tx, personId);
  await keys.destroy(tx, personId);
  // Ids, statuses, dates and kinds stay: what operations and the undocumented list need.
  const documents = (await lockDocuments<PersonDocumentsDocument | null>(tx, personDocuments, [personId])).get(personId);
  if (documents) {
    const scrubbed = JSON.stringify(scrubMessage(personDocumentsMessage, documents));
    if (scrubbed !== JSON.stringify(documents))
      await tx.query(`UPDATE person_documents SET doc = $2, updated_at = now() WHERE id = $1`, [personId, scrubbed]);
  }
  // A fingerprint is a keyed hash of a request's plaintext: a guessed account could be checked against it.
  await store.forgetRequests(tx, personId);
}

export function forgetPersonConsumer(options: ForgetPersonOptions): Omit<ConsumerRunnerOptions, 'dataSource' | 'broker' | 'logger'> {
  const { groupId, intakeTopic } = options;
  return {
    groupId,
    topics: [intakeTopic],
    reactsTo: reactsToErasure,
    // forgetPerson applies an erasure once however often it comes: no inbox row needed.
    inbox: false,
    async handle(tx, events) {
      for (const event of events) {
        const personId = (event.data as { personId?: unknown }).personId;
        if (typeof personId === 'string' && personId !== '') await forgetPerson(tx, options, personId);
      }
    },
  };
}
