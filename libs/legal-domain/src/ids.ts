// Ids that legal derives instead of drawing: a rebuild, a replay or a redelivered event yields the
// same ids, so the decider can recognise what it has already recorded. UUID v5 is a pure function.
import { v5 as uuidv5 } from 'uuid';

const caseNamespace = '6f1b8e5e-1d3a-4c53-9a55-6b1f0c6f4a10';
const violationNamespace = '1c1c3a36-3f0e-4f8e-a4b4-1f9f7d0d2b61';
const patternNamespace = 'b7a1f0c2-5d1e-4a4c-8f55-0f3e9f0c7a22';
const entityNamespace = '9e0b7c1d-2a3f-4d5e-8b6c-7d8e9f0a1b2c';

/** One case per person. */
export const caseIdOf = (personId: string) => uuidv5(personId, caseNamespace);

/** A rule's flag: the rule, the provision and the events it rests on (in any order). */
export const violationIdOf = (rule: string, citation: string, restsOn: readonly string[]) =>
  uuidv5(`${rule}|${citation}|${[...restsOn].sort().join(',')}`, violationNamespace);

/** One pattern indicator per release batch and practice. */
export const patternIdOf = (batchId: string, practice: string) => uuidv5(`${batchId}|${practice}`, patternNamespace);

/** One pattern indicator per release period and practice (a batch id holds no "|", so the two never meet). */
export const periodPatternIdOf = (periodFrom: string, periodTo: string, practice: string) =>
  uuidv5(`period|${periodFrom}|${periodTo}|${practice}`, patternNamespace);

/**
 * The id of something a person adds to a case (evidence, a submission, a flag), derived from the
 * request's Idempotency-Key so that a retried request names the same thing.
 */
export const entityIdFromKey = (kind: string, caseId: string, idempotencyKey: string) =>
  uuidv5(`${kind}|${caseId}|${idempotencyKey}`, entityNamespace);

export const legalCaseStreamId = (caseId: string) => `legal-case-${caseId}`;
export const patternStreamId = (patternId: string) => `legal-pattern-${patternId}`;
