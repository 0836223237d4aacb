// What the system holds, compared with what the client was told: every accepted command's events
// in the producer's store (and nothing else) and its effect in the producer's own read models, in
// legal's inbox and facts, in legal's cases once, and in the audit copy once; the hash chains.
import { outboxEventsJoin } from '@homeward/eventsourcing';
import { eventually } from '@homeward/testing';
import type { System } from '../support/system.js';
import { accepted, type Outcome } from './command-load.js';

export interface Delivery {
  acceptedCommands: number;
  acceptedEvents: number;
  /** Events of accepted commands absent from the producer's store; events there no client was told of. */
  store: { seen: number; missing: number; unacknowledged: number };
  legal: { seen: number; missing: number; duplicates: number; casesMissing: number; factsWrong: number };
  audit: { seen: number; missing: number; duplicates: number };
}

export async function query<Row>(
  system: System,
  service: 'intake' | 'identity-documents' | 'legal' | 'audit',
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const db = await system.database(service);
  try {
    return (await db.query(sql, params)).rows as Row[];
  } finally {
    await db.end();
  }
}

export const ids = async (system: System, service: 'intake' | 'identity-documents' | 'legal' | 'audit', sql: string) =>
  new Set((await query<{ id: string }>(system, service, sql)).map((row) => row.id));

const missingFrom = (expected: string[], present: Set<string>) => expected.filter((id) => !present.has(id)).length;

export async function readDelivery(system: System, outcomes: Outcome[]): Promise<Delivery> {
  const ok = outcomes.filter(accepted);
  const intakeEvents = ok.filter((o) => o.step !== 'passport').flatMap((o) => o.eventIds);
  const documentEvents = ok.filter((o) => o.step === 'passport').flatMap((o) => o.eventIds);
  const all = [...intakeEvents, ...documentEvents];

  const intakeStore = await ids(system, 'intake', 'SELECT event_id::text AS id FROM events');
  const documentStore = await ids(system, 'identity-documents', 'SELECT event_id::text AS id FROM events');
  const acknowledged = new Set(all);
  const unacknowledged = [...intakeStore, ...documentStore].filter((id) => !acknowledged.has(id)).length;

  const inbox = await ids(system, 'legal', 'SELECT event_id::text AS id FROM inbox');
  // A redelivered event that slipped past the inbox would open a second case or flag twice.
  const [legalDuplicates] = await query<{ n: number }>(
    system,
    'legal',
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'LegalCaseOpened' GROUP BY data->>'personId' HAVING count(*) > 1) a)
          + (SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'ViolationFlagged'
                                   GROUP BY stream_id, data->>'violationId' HAVING count(*) > 1) b)
          + (SELECT count(*) FROM (SELECT 1 FROM legal_cases GROUP BY doc->>'personId' HAVING count(*) > 1) c) AS n`,
  );
  const cases = new Set(
    (await query<{ person: string }>(system, 'legal', `SELECT doc->>'personId' AS person FROM legal_cases`)).map((row) => row.person),
  );
  const facts = new Map(
    (
      await query<{ id: string; deportation: string | null; passport: string | null }>(
        system,
        'legal',
        `SELECT id, doc->'deportations'->-1->>'eventId' AS deportation, doc->>'passportTaken' AS passport FROM person_facts`,
      )
    ).map((row) => [row.id, row]),
  );
  const deported = ok.filter((o) => o.step === 'deportation');
  const factsWrong =
    deported.filter((o) => facts.get(o.personId!)?.deportation !== o.eventIds[0]).length +
    ok.filter((o) => o.step === 'passport').filter((o) => facts.get(o.personId!)?.passport !== o.eventIds[0]).length;

  const audit = await ids(system, 'audit', 'SELECT event_id::text AS id FROM audit_events');
  const [auditDuplicates] = await query<{ n: number }>(
    system,
    'audit',
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_events GROUP BY stream_id, stream_version HAVING count(*) > 1) d`,
  );

  return {
    acceptedCommands: ok.length,
    acceptedEvents: all.length,
    store: {
      seen: all.length - missingFrom(intakeEvents, intakeStore) - missingFrom(documentEvents, documentStore),
      missing: missingFrom(intakeEvents, intakeStore) + missingFrom(documentEvents, documentStore),
      unacknowledged,
    },
    legal: {
      seen: all.filter((id) => inbox.has(id)).length,
      missing: missingFrom(all, inbox),
      duplicates: Number(legalDuplicates!.n),
      casesMissing: deported.filter((o) => !cases.has(o.personId!)).length,
      factsWrong,
    },
    audit: { seen: all.filter((id) => audit.has(id)).length, missing: missingFrom(all, audit), duplicates: Number(auditDuplicates!.n) },
  };
}

/** Waits until legal and the audit copy have every accepted event (or times out), then reads once more. */
export async function awaitDelivery(system: System, outcomes: Outcome[], timeoutMs = 90_000): Promise<Delivery> {
  return eventually(
    () => readDelivery(system, outcomes),
    (d) => d.legal.missing === 0 && d.audit.missing === 0 && d.legal.casesMissing === 0 && d.legal.factsWrong === 0,
    { timeoutMs, intervalMs: 1_000, what: 'every accepted event in legal and in the audit copy' },
  ).catch(async (error: Error) => {
    // Report what was there rather than only that the wait ran out.
    const last = await readDelivery(system, outcomes);
    process.stdout.write(`delivery after timeout: ${JSON.stringify(last)}\n`);
    throw error;
  });
}

export const summary = (d: Delivery) =>
  `events seen ${d.store.seen} in the producers' stores, ${d.legal.seen} in legal, ${d.audit.seen} in audit, ` +
  `duplicates ${d.legal.duplicates + d.audit.duplicates}, missing ${d.store.missing + d.legal.missing + d.audit.missing}, ` +
  `cases missing ${d.legal.casesMissing}, facts wrong ${d.legal.factsWrong}, unacknowledged events ${d.store.unacknowledged}`;

/** The accepted commands whose events the audit copy or legal's inbox lacks: for the report when a wait runs out. */
export async function undelivered(
  system: System,
  outcomes: Outcome[],
): Promise<Array<Outcome & { eventId: string; inAudit: boolean; inLegal: boolean; inOutbox: boolean }>> {
  const audit = await ids(system, 'audit', 'SELECT event_id::text AS id FROM audit_events');
  const inbox = await ids(system, 'legal', 'SELECT event_id::text AS id FROM inbox');
  const queued = `SELECT e.event_id::text AS id FROM outbox o ${outboxEventsJoin}`;
  const outbox = new Set([...(await ids(system, 'intake', queued)), ...(await ids(system, 'identity-documents', queued))]);
  return outcomes
    .filter(accepted)
    .flatMap((o) =>
      o.eventIds.map((eventId) => ({
        ...o,
        eventId,
        inAudit: audit.has(eventId),
        inLegal: inbox.has(eventId),
        inOutbox: outbox.has(eventId),
      })),
    )
    .filter((o) => !o.inAudit || !o.inLegal);
}

/**
 * Commands whose outcome and state disagree: per person, the accepted intake commands must be
 * exactly the stream's events and the person file's version; an accepted passport confiscation
 * must show in the documents read model, and a refused one must not.
 */
export async function halfAppliedCommands(system: System, outcomes: Outcome[]): Promise<string[]> {
  const problems: string[] = [];
  const intakeStreams = new Map(
    (
      await query<{ id: string; events: string; version: number | null; file: number | null }>(
        system,
        'intake',
        `SELECT s.stream_id AS id, (SELECT count(*) FROM events e WHERE e.stream_id = s.stream_id) AS events, s.version,
              (SELECT (doc->>'streamVersion')::int FROM person_file f WHERE 'person-' || f.id = s.stream_id) AS file
       FROM streams s WHERE s.stream_id LIKE 'person-%'`,
      )
    ).map((row) => [row.id, row]),
  );
  const documents = new Map(
    (
      await query<{ id: string; passport: string | null }>(
        system,
        'identity-documents',
        `SELECT id, doc->'passport'->>'state' AS passport FROM person_documents`,
      )
    ).map((row) => [row.id, row.passport]),
  );
  const byPerson = new Map<string, Outcome[]>();
  for (const o of outcomes) if (o.personId) byPerson.set(o.personId, [...(byPerson.get(o.personId) ?? []), o]);
  for (const [personId, steps] of byPerson) {
    const intakeAccepted = steps.filter((o) => o.step !== 'passport' && accepted(o)).length;
    const stream = intakeStreams.get(`person-${personId}`);
    const events = Number(stream?.events ?? 0);
    if (events !== intakeAccepted || (stream?.version ?? 0) !== intakeAccepted || (stream?.file ?? 0) !== intakeAccepted) {
      problems.push(
        `person ${personId}: accepted ${intakeAccepted} intake commands, stream has ${events} events, ` +
          `version ${stream?.version}, person file version ${stream?.file}`,
      );
    }
    const passport = steps.find((o) => o.step === 'passport');
    if (passport && accepted(passport) !== (documents.get(personId) === 'confiscated')) {
      problems.push(
        `person ${personId}: passport confiscation answered ${passport.status}, ` +
          `documents read model says ${documents.get(personId) ?? 'nothing'}`,
      );
    }
  }
  return problems;
}

/** Every stream of intake and identity-documents through the admin verify route. */
export async function verifyChains(system: System): Promise<{ streams: number; valid: number }> {
  let streams = 0;
  let valid = 0;
  const token = system.token('operator');
  for (const service of ['intake', 'identity-documents'] as const) {
    for (const { id } of await query<{ id: string }>(system, service, 'SELECT stream_id AS id FROM streams')) {
      streams += 1;
      const answer = await system.http<{ valid: boolean }>('GET', `/v1/admin/streams/${service}/${encodeURIComponent(id)}/verify`, {
        token,
      });
      if (answer.status === 200 && answer.body.valid) valid += 1;
    }
  }
  return { streams, valid };
}
