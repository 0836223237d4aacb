// The events' data are the proto messages: each one survives the Kafka encoding unchanged, so no
// field is named differently in the domain and in the contract other contexts consume.
import { describe, expect, it } from '@jest/globals';
import { legalEvents } from '@homeward/contracts';
import { caseIdOf, patternIdOf, periodPatternIdOf } from './ids.js';
import { legalCaseEventTypes, type LegalCaseEvent } from './legal-case.events.js';
import type { PatternEvent } from './pattern.events.js';

const caseId = caseIdOf('0190a000-0000-7000-8000-000000000501');
const at = '2025-09-12T08:00:00.000Z';
const events: Array<LegalCaseEvent | PatternEvent> = [
  { type: 'LegalCaseOpened', data: { caseId, personId: '0190a000-0000-7000-8000-000000000501', openedAt: at, firstEventId: 'e-1' } },
  {
    type: 'ViolationFlagged',
    data: {
      caseId,
      violationId: 'v-1',
      instrument: 'ICCPR',
      provision: '12(4)',
      restsOn: ['e-1', 'e-2'],
      flaggedBy: 'rule:return-refused',
      flaggedAt: at,
      summary: 'Refused at the border.',
    },
  },
  {
    type: 'ViolationConfirmed',
    data: { caseId, violationId: 'v-1', confirmedBy: 'advisor:lawyer-1', confirmedAt: at, reasoning: 'Two witnesses and a border record.' },
  },
  {
    type: 'ViolationDismissed',
    data: {
      caseId,
      violationId: 'v-2',
      dismissedBy: 'advisor:lawyer-1',
      dismissedAt: at,
      reasoning: 'The person left of their own accord.',
    },
  },
  {
    type: 'EvidenceAttached',
    data: {
      caseId,
      evidenceId: 'ev-1',
      kind: 'photo',
      source: 'family',
      sha256: 'c'.repeat(64),
      description: 'Certificate',
      violationIds: ['v-1'],
      attachedBy: 'advisor:lawyer-1',
      attachedAt: at,
    },
  },
  {
    type: 'SubmissionFiled',
    data: {
      caseId,
      submissionId: 's-1',
      forum: 'un-wgad',
      violationIds: ['v-1'],
      status: 'filed',
      reference: 'WGAD/2025/1',
      filedBy: 'advisor:lawyer-1',
      filedAt: at,
    },
  },
  {
    type: 'SubmissionStatusChanged',
    data: {
      caseId,
      submissionId: 's-1',
      previousStatus: 'filed',
      status: 'registered',
      reference: 'WGAD/2025/1',
      note: 'acknowledged',
      changedBy: 'advisor:lawyer-1',
      changedAt: at,
    },
  },
  {
    type: 'PatternIndicatorRaised',
    data: {
      patternId: patternIdOf('batch-1', 'passport-confiscation'),
      batchId: 'batch-1',
      periodFrom: '',
      periodTo: '',
      practice: 'passport-confiscation',
      peopleAffected: 2,
      threshold: 2,
      instrument: 'Rome Statute',
      provision: '7(1)(d)',
      caseIds: [caseId, caseIdOf('0190a000-0000-7000-8000-000000000502')],
      raisedBy: 'rule:batch-pattern',
      raisedAt: at,
    },
  },
];

events.push({
  type: 'PatternIndicatorRaised',
  data: {
    patternId: periodPatternIdOf('2025-08-22', '2025-09-20', 'deportation-without-consent'),
    batchId: '',
    periodFrom: '2025-08-22',
    periodTo: '2025-09-20',
    practice: 'deportation-without-consent',
    peopleAffected: 2,
    threshold: 2,
    instrument: 'Rome Statute',
    provision: '7(1)(d)',
    caseIds: [caseId, caseIdOf('0190a000-0000-7000-8000-000000000502')],
    raisedBy: 'rule:period-pattern',
    raisedAt: at,
  },
});

const caseOf = (type: string) => type.charAt(0).toLowerCase() + type.slice(1);

describe('legal events and the protobuf contract', () => {
  it('covers every event type', () =>
    expect(events.map((event) => event.type)).toEqual([...legalCaseEventTypes, 'PatternIndicatorRaised', 'PatternIndicatorRaised']));

  it.each(events.map((event) => [event.type, event] as const))('%s round-trips through LegalEvent', (_type, event) => {
    const payload = { $case: caseOf(event.type), [caseOf(event.type)]: event.data };
    const bytes = legalEvents.LegalEvent.encode({ envelope: undefined, payload } as never).finish();
    const decoded = legalEvents.LegalEvent.decode(bytes).payload as unknown as Record<string, unknown>;
    expect(decoded['$case']).toBe(caseOf(event.type));
    expect(decoded[caseOf(event.type)]).toEqual(event.data);
  });
});
