import type { legalEvents } from '@homeward/contracts';

/** Many people of one release batch, or released in one period, same practice: a lead for a Rome Statute 7(1)(d) review. */
export type PatternIndicatorRaised = { type: 'PatternIndicatorRaised'; data: legalEvents.PatternIndicatorRaised };

export type PatternEvent = PatternIndicatorRaised;
