import { AccessLogPage, AuditEventsPage, AuditEventView } from '../audit/audit.view.js';
import { CheckpointsPage, LeavesPage } from '../audit/transparency.view.js';
import { PersonDocumentsView, UndocumentedPage } from '../documents/person-documents.view.js';
import { LegalCaseDetailView, LegalCasesPage } from '../legal/legal-case.view.js';
import { DeliveriesPage, DeliveryView, WelfareCheckView, WelfareChecksPage } from '../notifications/notifications.view.js';
import { PeoplePage, PersonSummaryView } from '../people/people-list.view.js';
import { PersonFileView } from '../people/person-file.view.js';
import { ReleaseBatchView } from '../release-batches/release-batch.view.js';
import { everythingTo, fieldTable, type FieldTable, type Readers } from './field-table.js';

/**
 * What each role sees of each read answer: the role-by-field table beside the route-role table
 * (route-roles.ts says who may call a route, this says what they get). Deny by default: a field
 * no row reaches is seen by nobody, and the matrix test fails on it. A row names a field path
 * (through lists as if they were one value) and the roles that see it and everything under it,
 * unless a deeper row says otherwise. Admin sees everything; everyone else what their work needs:
 *
 * - intake keeps the file: all of intake's own facts, and of the other contexts only the documents status;
 * - legal, the facts its cases and rules rest on: name, nationality, the dates of imprisonment, release,
 *   deportation (with consent), return attempts and re-arrest, the kind and period of detention conditions,
 *   the documents facts and its own cases. Not the birth date, aliases, occupation, charges, facility, places,
 *   contact state, and not the detention accounts: no rule or case rests on them, and an advisor who takes one
 *   as evidence attaches it to the case (evidence: a hash and a description), where legal sees it;
 * - documents, the papers, and the person's id, status and name it needs to act;
 * - notifications, a person's id, status and contact state, and the notifications section;
 * - auditors, the audit copy (event data as its producer stored it: personal fields are ciphertext)
 *   and the access log with its person ids; operators, the operations surface (no personal field);
 * - witnesses, the transparency log's key, checkpoints and consistency proofs, which name no one.
 */
const files: Readers = ['intake', 'legal', 'documents', 'notifications', 'admin'];
const named: Readers = ['intake', 'legal', 'documents', 'admin'];
const facts: Readers = ['intake', 'legal', 'admin'];
const intakeOnly: Readers = ['intake', 'admin'];
const contactDesk: Readers = ['intake', 'notifications', 'admin'];
const papers: Readers = ['documents', 'legal', 'admin'];
const paperDesk: Readers = ['documents', 'admin'];
const legalDesk: Readers = ['legal', 'admin'];
const notificationsDesk: Readers = ['notifications', 'admin'];
const auditors: Readers = ['auditor', 'admin'];
const operators: Readers = ['operator', 'admin'];
/** The transparency log's checkpoints and consistency proofs: no leaf, nothing about a person. */
const logReaders: Readers = ['auditor', 'admin', 'witness'];

/** A page `{ items, nextCursor, … }`: its items by their own table, the rest to whoever may read them. */
const page = (view: FieldTable['view'], items: FieldTable, readers: Readers): FieldTable => fieldTable(view, { '*': readers, items });

/** A person's papers: GET /v1/people/{personId}/documents and the file's documents section. */
export const personDocuments = fieldTable(PersonDocumentsView, {
  personId: ['documents', 'legal', 'intake', 'admin'],
  streamVersion: ['documents', 'legal', 'intake', 'admin'],
  status: ['documents', 'legal', 'intake', 'admin'],
  updatedAt: ['documents', 'legal', 'intake', 'admin'],
  passport: papers,
  'passport.confiscation.place': paperDesk,
  'passport.destruction.account': paperDesk,
  certificates: papers,
  applications: papers,
  'applications.reason': paperDesk,
});

export const legalCase = fieldTable(LegalCaseDetailView, { '*': legalDesk });
export const delivery = fieldTable(DeliveryView, { '*': notificationsDesk });
export const welfareCheck = fieldTable(WelfareCheckView, { '*': notificationsDesk });
export const auditEvent = fieldTable(AuditEventView, { '*': auditors });

/** The custody facts, the same for the latest of each (`release`) and in each episode (`episodes.release`). */
const custody = (at: '' | 'episodes.') => ({
  [`${at}imprisonment`]: intakeOnly,
  [`${at}imprisonment.sentenceMonths`]: facts,
  [`${at}imprisonment.sentenceStart`]: facts,
  [`${at}imprisonment.expectedRelease`]: facts,
  [`${at}detentionConditions`]: facts,
  [`${at}detentionConditions.account`]: intakeOnly,
  [`${at}release`]: facts,
  [`${at}deportation`]: facts,
  [`${at}deportation.borderCrossing`]: intakeOnly,
  [`${at}returnAttempts`]: facts,
  [`${at}returnAttempts.borderCrossing`]: intakeOnly,
  [`${at}rearrest`]: intakeOnly,
  [`${at}rearrest.reportedAt`]: facts,
});

export const personFile = fieldTable(PersonFileView, {
  personId: files,
  streamVersion: files,
  status: files,
  forgotten: files,
  registeredAt: files,
  updatedAt: files,
  partial: files,
  fullName: named,
  aliases: intakeOnly,
  birthDate: intakeOnly,
  occupation: intakeOnly,
  citizenships: facts,
  foreignNational: facts,
  batchId: facts,
  ...custody(''),
  episodes: facts,
  ...custody('episodes.'),
  contact: contactDesk,
  timeline: facts,
  documents: personDocuments,
  'legal.cases': legalCase,
  'notifications.deliveries': delivery,
  'notifications.welfareChecks': welfareCheck,
});

export const personSummary = fieldTable(PersonSummaryView, {
  personId: files,
  status: files,
  streamVersion: files,
  updatedAt: files,
  forgotten: files,
  fullName: named,
  batchId: facts,
});

export const releaseBatch = fieldTable(ReleaseBatchView, {
  '*': files,
  'announcement.brokeredBy': facts,
  'announcement.conditions': facts,
});

export interface ReadAnswer {
  table: FieldTable;
  /**
   * Where the answer names the people it is about (`items.personId`): a read of personal data,
   * written to the access log, with every person it names, before it is answered.
   */
  logs?: string;
  /** Streamed line by line (NDJSON): each line is shaped by `table`; the route logs and shapes itself. */
  lines?: true;
  /** Not a document of fields (the Prometheus text): whoever may call the route reads all of it. */
  text?: true;
  /**
   * The route writes the access entry itself, before it asks for the answer, naming the person the
   * request selects (`logs` names that query parameter): the answer's leaves are canonical JSON
   * text, no field of which this table can point at. The interceptor then only shapes the answer.
   */
  loggedByRoute?: true;
}

/**
 * Every read route (`METHOD /pattern`, as in route-roles.ts) and its answer's table. The gateway
 * shapes each answer through it in one place (ReadAnswerInterceptor); a read route missing here
 * answers 403 to everyone.
 */
export const readAnswers: Readonly<Record<string, ReadAnswer>> = {
  'GET /v1/people/:personId': { table: personFile, logs: 'personId' },
  'GET /v1/people': { table: page(PeoplePage, personSummary, files), logs: 'items.personId' },
  'GET /v1/release-batches/:batchId': { table: releaseBatch },

  'GET /v1/people/:personId/documents': { table: personDocuments, logs: 'personId' },
  'GET /v1/documents/undocumented': { table: page(UndocumentedPage, everythingTo(papers), papers), logs: 'items.personId' },

  'GET /v1/legal/cases': { table: page(LegalCasesPage, legalCase, legalDesk), logs: 'items.personId' },
  'GET /v1/legal/cases/:caseId': { table: legalCase, logs: 'personId' },
  'GET /v1/legal/patterns': { table: everythingTo(legalDesk) },

  'GET /v1/notifications/deliveries': { table: page(DeliveriesPage, delivery, notificationsDesk), logs: 'items.personId' },
  'GET /v1/notifications/welfare-checks': { table: page(WelfareChecksPage, welfareCheck, notificationsDesk), logs: 'items.personId' },

  'GET /health/details': { table: everythingTo(operators) },
  'GET /metrics': { table: everythingTo(operators), text: true },
  'GET /v1/admin/projections': { table: everythingTo(operators) },
  'GET /v1/admin/jobs/:jobId': { table: everythingTo(operators) },
  'GET /v1/admin/dead-letters': { table: everythingTo(operators) },
  'GET /v1/admin/streams/:service/:streamId/verify': { table: everythingTo(['operator', 'auditor', 'admin']) },
  'GET /v1/admin/reconciliations/:reconciliationId': { table: everythingTo(operators) },

  'GET /v1/audit/events': { table: page(AuditEventsPage, auditEvent, auditors), logs: 'items.subject' },
  'GET /v1/audit/events/export': { table: auditEvent, logs: 'subject', lines: true },
  'GET /v1/audit/verify': { table: everythingTo(auditors) },
  'GET /v1/audit/access-log': { table: page(AccessLogPage, everythingTo(auditors), auditors) },
  'GET /v1/audit/key': { table: everythingTo(logReaders), text: true },
  'GET /v1/audit/checkpoint': { table: everythingTo(logReaders), text: true },
  'GET /v1/audit/checkpoints': { table: page(CheckpointsPage, everythingTo(auditors), auditors) },
  'GET /v1/audit/checkpoints/:treeSize': { table: everythingTo(logReaders), text: true },
  'GET /v1/audit/proofs/inclusion': { table: everythingTo(auditors) },
  'GET /v1/audit/proofs/consistency': { table: everythingTo(logReaders) },
  'GET /v1/audit/leaves': { table: page(LeavesPage, everythingTo(auditors), auditors), logs: 'personId', loggedByRoute: true },
  'GET /v1/audit/leaves/manifest': { table: everythingTo(auditors) },
};

/** The table's entry for a request; HEAD is answered like the GET it mirrors. */
export function readAnswerFor(method: string, routePattern: string | undefined): ReadAnswer | undefined {
  if (routePattern === undefined) return undefined;
  const key = `${method === 'HEAD' ? 'GET' : method} ${routePattern}`;
  return Object.hasOwn(readAnswers, key) ? readAnswers[key] : undefined;
}
