// A minimal decider over intake's PrisonerReleased contract, for the event store's own tests.
import { ruleViolated, type Decider } from '@homeward/decider';
import type { DocumentProjection } from '../projections/document-projection.js';

export type TestCommand = { type: 'Release'; personId: string; days: number } | { type: 'Refuse' };
export type TestEvent = {
  type: 'PrisonerReleased';
  data: { personId: string; releasedAt: string; mechanism: string; batchId: string; daysOfSentenceRemaining: number };
};

export const releaseDecider: Decider<TestCommand, TestEvent, { releases: number }> = {
  initialState: () => ({ releases: 0 }),
  evolve: (state) => ({ releases: state.releases + 1 }),
  decide(command) {
    if (command.type === 'Refuse') throw ruleViolated('test.refused', 'refused on purpose');
    return [
      {
        type: 'PrisonerReleased',
        data: {
          personId: command.personId,
          releasedAt: '2025-09-11T09:00:00.000Z',
          mechanism: 'brokered',
          batchId: 'b-1',
          daysOfSentenceRemaining: command.days,
        },
      },
    ];
  },
};

export const context = (overrides: Partial<{ expectedVersion: number; idempotencyKey: string }> = {}) => ({
  actor: 'caseworker-test',
  correlationId: 'corr-1',
  causationId: 'corr-1',
  occurredAt: '2025-09-11T10:00:00.000Z',
  ...overrides,
});

/** Releases counted per person, in a document table `release_counts`. */
export const releaseCounts: DocumentProjection<{ releases: number }> = {
  name: 'release_counts',
  handles: ['PrisonerReleased'],
  idOf: (event) => event.subject,
  evolve: (doc) => ({ releases: (doc?.releases ?? 0) + 1 }),
};
