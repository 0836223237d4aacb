import { Controller, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { IntakeClient } from '../grpc/grpc-clients.js';
import { CommandRoutes, commandsOf } from '../http/command-route.js';
import { bearerScheme } from '../openapi/openapi.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { RecordContactLostBody, RecordContactReestablishedBody } from './record-contact.dto.js';
import { deportationOf, RecordDeportationBody } from './record-deportation.dto.js';
import { imprisonmentOf, RecordImprisonmentBody } from './record-imprisonment.dto.js';
import { RecordReleaseBody, releaseOf } from './record-release.dto.js';
import { RecordReturnAttemptBody } from './record-return-attempt.dto.js';
import { personDetailsOf, RegisterPersonBody } from './register-person.dto.js';
import { ReportDetentionConditionBody } from './report-detention-condition.dto.js';
import { ReportRearrestBody } from './report-rearrest.dto.js';

const command = commandsOf<IntakeClient>();
const ifMatch = 'Expected stream version (a non-negative integer, quotes allowed); a stale one answers 409';
/** What every command on one person's file shares. */
const personCommand = { uuidParams: ['personId'], ifMatch, created: 'Recorded' } as const;

/** Intake's commands: validated here, decided by the intake service. */
@ApiTags('people')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people')
@CommandRoutes({
  register: command({
    path: '',
    summary: 'Register a person',
    description: 'intake assigns the person id; the Location header points at the file',
    uuidParams: [],
    created: 'Recorded',
    problems: [400, 409, 413, 422],
    body: RegisterPersonBody,
    rpc: 'registerPerson',
    request: (body) => ({ personId: '', ...personDetailsOf(body), batchId: body.batchId ?? '' }),
    location: (answer) => `/v1/people/${answer.id}`,
  }),
  recordImprisonment: command({
    path: ':personId/imprisonment',
    summary: 'Record an imprisonment',
    description:
      'Begins a custody episode: the first after registration, a later one after a re-arrest (person.not-re-arrested otherwise; ' +
      'person.already-imprisoned while imprisoned). A release needs one. Unknown details may be left out; the expected release is ' +
      'computed from the start and the months when not given.',
    ...personCommand,
    problems: [400, 409, 413, 422],
    body: RecordImprisonmentBody,
    rpc: 'recordImprisonment',
    request: imprisonmentOf,
  }),
  reportDetentionCondition: command({
    path: ':personId/detention-conditions',
    summary: 'Report a detention condition',
    description: 'Needs a recorded imprisonment; may be reported after the release. It belongs to the latest custody episode.',
    ...personCommand,
    problems: [400, 409, 413, 422],
    body: ReportDetentionConditionBody,
    rpc: 'reportDetentionCondition',
    request: (body) => ({ kind: body.kind, periodFrom: body.periodFrom ?? '', periodTo: body.periodTo ?? '', account: body.account ?? '' }),
  }),
  recordRelease: command({
    path: ':personId/release',
    summary: 'Record a release from prison',
    description:
      'Ends the current imprisonment. daysOfSentenceRemaining, when stated, is kept as stated; when absent or 0 it is derived from ' +
      "the imprisonment's expected release date (0 once it has passed), and the file says which (sentenceRemainingSource). " +
      "The batch's nearEndOfSentence counts 1 to 182 days.",
    ...personCommand,
    problems: [400, 404, 409, 413, 422],
    body: RecordReleaseBody,
    rpc: 'recordRelease',
    request: (body) => {
      // The command states no source: intake decides it (releaseOf leaves it empty).
      const { sentenceRemainingSource: _decidedByIntake, ...release } = releaseOf(body, body.batchId ?? '');
      return release;
    },
  }),
  recordDeportation: command({
    path: ':personId/deportation',
    summary: 'Record a deportation',
    ...personCommand,
    problems: [400, 404, 409, 413, 422],
    body: RecordDeportationBody,
    rpc: 'recordDeportation',
    request: deportationOf,
  }),
  recordReturnAttempt: command({
    path: ':personId/return-attempts',
    summary: 'Record an attempt to return home',
    description:
      'Needs a recorded deportation; crossed means home. Opens a welfare check in notifications, cleared by any contact recorded ' +
      'before it is due.',
    ...personCommand,
    problems: [400, 409, 413, 422],
    body: RecordReturnAttemptBody,
    rpc: 'recordReturnAttempt',
    request: (body) => ({ attemptedAt: body.attemptedAt, borderCrossing: body.borderCrossing ?? '', outcome: body.outcome }),
  }),
  recordContactLost: command({
    path: ':personId/contact-lost',
    summary: 'Record that contact with the person is lost',
    description: 'The status becomes whereabouts-unknown until contact is re-established. Opens a welfare check in notifications.',
    ...personCommand,
    problems: [400, 409, 413, 422],
    body: RecordContactLostBody,
    rpc: 'recordContactLost',
    request: (body) => ({ lastContactAt: body.lastContactAt, reportedBy: body.reportedBy }),
  }),
  recordContactReestablished: command({
    path: ':personId/contact-reestablished',
    summary: 'Record that contact is re-established',
    description:
      'A contact is a fact whenever it is reported: it ends a lost contact (the status returns to what it was) and clears every ' +
      'open welfare check of the person, whatever opened it (a return attempt or a lost contact). Accepted when no concern is open too.',
    ...personCommand,
    problems: [400, 409, 413, 422],
    body: RecordContactReestablishedBody,
    rpc: 'recordContactReestablished',
    request: (body) => ({ contactAt: body.contactAt, reportedBy: body.reportedBy }),
  }),
  reportRearrest: command({
    path: ':personId/rearrest',
    summary: 'Report a re-arrest',
    description: 'Needs a release (the person at liberty, deported or home); ends the custody episode. A new imprisonment may follow.',
    ...personCommand,
    problems: [400, 409, 413, 422],
    body: ReportRearrestBody,
    rpc: 'reportRearrest',
    request: (body) => ({ reportedAt: body.reportedAt, place: body.place ?? '' }),
  }),
  forget: command({
    path: ':personId',
    summary: 'Erase a person (crypto-shredding)',
    description:
      "Destroys the person's key and records PersonForgotten: the events stay, their personal fields unreadable everywhere " +
      '(Kafka and the audit copy included); the file keeps the non-personal story, marked forgotten. Refused (422 person.forgotten) ' +
      'when already erased.',
    uuidParams: ['personId'],
    ifMatch,
    deleted: 'Erased (or, with a repeated Idempotency-Key, the first answer)',
    problems: [400, 409, 422],
    rpc: 'forgetPerson',
  }),
})
export class PeopleCommandsController {
  constructor(@Inject(INTAKE_CLIENT) readonly client: IntakeClient) {}
}
