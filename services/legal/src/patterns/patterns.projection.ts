// Pattern indicators raised by the batch rule, for GET /v1/legal/patterns. Built inline from
// legal's own events; how many people are affected now comes from the batch tally when read.
import type { legal, legalEvents } from '@homeward/contracts';
import type { DocumentProjection } from '@homeward/eventsourcing';
import { citationOf, type PatternIndicatorRaised } from '@homeward/legal-domain';

export type PatternDocument = Omit<legal.PatternIndicator, 'peopleAffectedNow'>;

export const patterns: DocumentProjection<PatternDocument> = {
  name: 'patterns',
  handles: ['PatternIndicatorRaised'] satisfies PatternIndicatorRaised['type'][],
  idOf: (envelope) => (envelope.data as unknown as legalEvents.PatternIndicatorRaised).patternId,
  evolve(_doc, envelope) {
    const data = envelope.data as unknown as legalEvents.PatternIndicatorRaised;
    return { ...data, citation: citationOf(data.instrument, data.provision), streamVersion: envelope.streamVersion };
  },
};
