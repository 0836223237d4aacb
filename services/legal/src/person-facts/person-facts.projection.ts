// What legal knows of each person from intake's and identity-documents' topics: the facts its
// rules look at, each with the id of the event it comes from, and no personal field. Kept by the
// rules consumer (rules/legal-rules.consumer.ts) in the same transaction as the flags.
import type { DocumentProjection } from '@homeward/eventsourcing';
import { evolveFacts, observed, observedEventTypes, type FactsBeforeEpisodes, type PersonFacts } from '@homeward/legal-domain';

/** Documents stored before custody episodes keep their shape until their next event upgrades them. */
export const personFacts: DocumentProjection<PersonFacts | FactsBeforeEpisodes> = {
  name: 'person_facts',
  handles: [...observedEventTypes.intake, ...observedEventTypes['identity-documents']],
  idOf: (envelope) => observed(envelope)?.personId ?? null,
  evolve(doc, envelope) {
    const event = observed(envelope);
    return event ? evolveFacts(doc, event) : doc;
  },
};
