// Erasure that reaches every copy, attacked the way a state security service with the databases,
// the Kafka log and the service logs in hand would look: one invented person has every personal
// field and identifying fact of every context filled with a marker, and one recipient follows
// them; both are erased through the gateway; then every database of the run (pg_dump), every
// Kafka topic of the run, dead-letter topics included (a raw consumer), and every log line are
// searched for every marker. Then every read model is rebuilt and every stream replayed, and
// everything is searched again. The count per place is printed; every one must be 0.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseAdminUrl, eventually, kafkaBrokers } from '@homeward/testing';
import { databaseNameFor } from '@homeward/infra/postgres.mjs';
import { Kafka, logLevel } from 'kafkajs';
import { listProjections, rebuildAll } from '../support/operations.js';
import { startMailSink, type MailSink } from '../support/receivers.js';
import { startSystem, type ServiceName, type System } from '../support/system.js';

interface CommandResult {
  id: string;
  streamVersion: number;
  eventIds: string[];
}
interface Violation {
  violationId: string;
  citation: string;
}
interface LegalCase {
  caseId: string;
  violations: Violation[];
}

const backEnds: Array<Exclude<ServiceName, 'gateway'>> = ['intake', 'identity-documents', 'legal', 'notifications', 'audit'];
const tag = randomBytes(4).toString('hex');
/** One marker per personal field or identifying fact, unlikely anywhere else. */
const marker = (field: string) => `Zq${tag}${field}`;
const birthDate = `19${10 + (randomBytes(1)[0]! % 20)}-0${1 + (randomBytes(1)[0]! % 9)}-1${randomBytes(1)[0]! % 10}`;
const markers: Record<string, string> = {
  fullName: marker('FullName'),
  alias: marker('Alias'),
  birthDate,
  occupation: marker('Occupation'),
  charge: marker('Charge'),
  facility: marker('Facility'),
  account: marker('DetentionAccount'),
  deportationCrossing: marker('DeportationCrossing'),
  returnCrossing: marker('ReturnCrossing'),
  rearrestPlace: marker('RearrestPlace'),
  confiscationPlace: marker('ConfiscationPlace'),
  destructionAccount: marker('DestructionAccount'),
  refusalReason: marker('RefusalReason'),
  evidenceSource: marker('EvidenceSource'),
  evidenceDescription: marker('EvidenceDescription'),
  flagSummary: marker('FlagSummary'),
  confirmReasoning: marker('ConfirmReasoning'),
  dismissReasoning: marker('DismissReasoning'),
  submissionReference: marker('SubmissionReference'),
  statusNote: marker('StatusNote'),
  recipientAddress: `zq${tag}.recipient@example.org`,
};

/**
 * An operational value (a release batch's broker) that is stored in clear on purpose: the scan
 * must find it in every place it reaches, or it proves nothing.
 */
const control = `Zq${tag}Control`;

type Counts = Record<string, number>;
const countIn = (text: string, counts: Counts, place: string, values = Object.values(markers)) => {
  for (const value of values) {
    let at = text.indexOf(value);
    while (at !== -1) {
      counts[place] = (counts[place] ?? 0) + 1;
      at = text.indexOf(value, at + 1);
    }
  }
  counts[place] ??= 0;
};

describe('erasure that reaches every copy', () => {
  let system: System;
  let mail: MailSink;
  let personId = '';
  let recipientId = '';

  beforeAll(async () => {
    mail = await startMailSink();
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: {
        LOG_LEVEL: 'debug',
        SMTP_URL: mail.url,
        NOTIFY_FROM: 'notify@homeward.test',
        DELIVERY_POLL_MS: '100',
        WELFARE_CHECK_AFTER: 'PT1H',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await mail?.close();
  });

  const ok = async (method: string, route: string, role: string, body?: unknown): Promise<CommandResult> => {
    const response = await system.http<CommandResult>(method, route, { token: system.token(role), body });
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };

  /** Every place an attacker with the machines would look, with the markers found in each, and the control value. */
  async function scan(): Promise<Counts> {
    const counts: Counts = {};
    const controls: Counts = {};
    const look = (text: string, place: string) => {
      countIn(text, counts, place);
      countIn(text, controls, place, [control]);
    };
    for (const service of backEnds) {
      const url = new URL(databaseAdminUrl());
      url.pathname = `/${databaseNameFor(service, system.prefix)}`;
      const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', url.toString()], { maxBuffer: 256 * 1024 * 1024 }).toString(
        'utf8',
      );
      look(dump, `database ${service}`);
    }
    const kafka = new Kafka({ clientId: `erasure-scan-${tag}`, brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${system.prefix}.`));
    const offsets = new Map<string, number>();
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) offsets.set(`${topic}/${partition.partition}`, Number(partition.high));
    }
    await admin.disconnect();
    const expected = [...offsets.values()].reduce((sum, high) => sum + high, 0);
    const consumer = kafka.consumer({ groupId: `erasure-scan-${tag}-${randomBytes(3).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    let seen = 0;
    const text: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`read ${seen} of ${expected} Kafka messages`)), 60_000);
      if (expected === 0) return resolve();
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          const headers = Object.values(message.headers ?? {}).map((value) => String(value));
          text.push(
            topic.includes('.dlq.') ? 'dlq:' : 'topic:',
            message.key?.toString('latin1') ?? '',
            message.value?.toString('latin1') ?? '',
            ...headers,
          );
          seen += 1;
          if (seen >= expected) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    const joined = text.join('\n');
    countIn(joined.split('dlq:').slice(1).join('\n'), counts, 'kafka dead-letter topics');
    look(joined, 'kafka topics');
    process.stdout.write(`scanned ${expected} Kafka messages on ${topics.length} topics of the run\n`);
    let logs = '';
    for (const file of readdirSync(system.logDir)) logs += readFileSync(path.join(system.logDir, file), 'utf8');
    look(logs, 'log lines');
    // The control reaches intake's and audit's databases, the topics and (intake logs the batch id only) not the logs.
    expect(controls).toMatchObject({
      'database intake': expect.any(Number),
      'database audit': expect.any(Number),
      'kafka topics': expect.any(Number),
    });
    for (const place of ['database intake', 'database audit', 'kafka topics']) expect(controls[place]).toBeGreaterThan(0);
    return counts;
  }

  it('records every personal field and identifying fact of every context, readable while the person is known', async () => {
    await ok('POST', '/v1/release-batches', 'intake', {
      batchId: `batch-${tag}`,
      date: '2025-09-11',
      announcedCount: 1,
      brokeredBy: control,
    });
    personId = (
      await ok('POST', '/v1/people', 'intake', {
        fullName: markers.fullName,
        aliases: [markers.alias],
        birthDate: markers.birthDate,
        citizenships: ['BY'],
        occupation: markers.occupation,
      })
    ).id;
    const intake = (route: string, body: unknown) => ok('POST', `/v1/people/${personId}/${route}`, 'intake', body);
    const documents = (route: string, body: unknown) => ok('POST', `/v1/people/${personId}/documents/${route}`, 'documents', body);
    recipientId = (
      await ok('POST', '/v1/notifications/recipients', 'notifications', {
        role: 'family',
        channel: 'email',
        address: markers.recipientAddress,
        consent: true,
        follows: [personId],
      })
    ).id;

    await intake('imprisonment', {
      charges: [markers.charge],
      sentenceMonths: 36,
      sentenceStart: '2023-01-31',
      facility: markers.facility,
    });
    await intake('detention-conditions', { kind: 'punishment-cell', periodFrom: '2024-03-01', account: markers.account });
    await intake('release', { releasedAt: '2025-09-11T08:00:00Z', mechanism: 'brokered' });
    await documents('passport-confiscations', {
      confiscatedAt: '2025-09-11T06:00:00Z',
      authority: 'kgb',
      place: markers.confiscationPlace,
    });
    await documents('passport-destructions', {
      destroyedAt: '2025-09-11T07:00:00Z',
      authority: 'kgb',
      account: markers.destructionAccount,
    });
    await intake('deportation', {
      deportedAt: '2025-09-11T14:00:00Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: markers.deportationCrossing,
      consented: false,
    });
    const application = (await documents('travel-document-applications', {
      appliedAt: '2025-09-20T09:00:00Z',
      country: 'LT',
      documentType: 'aliens-passport',
    })) as CommandResult & {
      applicationId: string;
    };
    await documents(`travel-document-applications/${application.applicationId}/decision`, {
      decision: 'refused',
      decidedAt: '2025-10-01T09:00:00Z',
      reason: markers.refusalReason,
    });
    await intake('return-attempts', { attemptedAt: '2025-10-02T09:00:00Z', borderCrossing: markers.returnCrossing, outcome: 'refused' });
    await intake('rearrest', { reportedAt: '2025-10-03T09:00:00Z', place: markers.rearrestPlace });

    const [found] = await eventually(
      async () =>
        (await system.http<{ items: LegalCase[] }>('GET', `/v1/legal/cases?personId=${personId}`, { token: system.token('legal') })).body
          .items,
      (items) => items.length === 1 && items[0]!.violations.some((violation) => violation.citation === 'ICCPR 12(2)'),
      { timeoutMs: 60_000, what: "the person's case and its flags" },
    );
    const legalCase = found!;
    const route = `/v1/legal/cases/${legalCase.caseId}`;
    const flagOf = (citation: string) => legalCase.violations.find((violation) => violation.citation === citation)!.violationId;
    const advisorFlag = await ok('POST', `${route}/violations`, 'legal', {
      instrument: 'ICCPR',
      provision: '7',
      summary: markers.flagSummary,
    });
    expect(advisorFlag.id).toEqual(expect.any(String)); // the new violation's id
    await ok('POST', `${route}/evidence`, 'legal', {
      kind: 'testimony',
      source: markers.evidenceSource,
      sha256: 'ab'.repeat(32),
      description: markers.evidenceDescription,
    });
    await ok('POST', `${route}/violations/${flagOf('ICCPR 12(4)')}/confirm`, 'legal', { reasoning: markers.confirmReasoning });
    await ok('POST', `${route}/violations/${flagOf('ICCPR 12(2)')}/dismiss`, 'legal', { reasoning: markers.dismissReasoning });
    const submission = await ok('POST', `${route}/submissions`, 'legal', {
      forum: 'un-human-rights-committee',
      violationIds: [flagOf('ICCPR 12(4)')],
      reference: markers.submissionReference,
    });
    await ok('POST', `${route}/submissions/${submission.id}/status`, 'legal', { status: 'filed', note: markers.statusNote });

    // Known, the person's values read back through the gateway: they were sealed, not lost.
    const file = JSON.stringify((await system.http('GET', `/v1/people/${personId}`, { token: system.token('admin') })).body);
    for (const field of ['fullName', 'occupation', 'charge', 'facility', 'account', 'rearrestPlace'])
      expect(file).toContain(markers[field]);
    const papers = JSON.stringify(
      (await system.http('GET', `/v1/people/${personId}/documents`, { token: system.token('documents') })).body,
    );
    for (const field of ['confiscationPlace', 'destructionAccount']) expect(papers).toContain(markers[field]);
    const legalText = JSON.stringify((await system.http('GET', route, { token: system.token('legal') })).body);
    for (const field of ['evidenceSource', 'evidenceDescription', 'confirmReasoning', 'flagSummary'])
      expect(legalText).toContain(markers[field]);
  });

  it('erases the person and the recipient through the gateway, and every context honours it within seconds', async () => {
    expect((await system.http('DELETE', `/v1/people/${personId}`, { token: system.token('admin') })).status).toBe(200);
    expect((await system.http('DELETE', `/v1/notifications/recipients/${recipientId}`, { token: system.token('admin') })).status).toBe(200);
    await eventually(
      () =>
        system.http<{ code?: string }>('POST', `/v1/people/${personId}/documents/temporary-certificates`, {
          token: system.token('documents'),
          body: { issuedAt: '2025-10-05T09:00:00Z', issuer: 'OGiM', format: 'A4' },
        }),
      (response) => response.status === 422 && response.body.code === 'person.forgotten',
      { timeoutMs: 30_000, what: 'identity-documents refusing the erased person' },
    );
    const legalCase = await eventually(
      async () =>
        (await system.http<{ items: LegalCase[] }>('GET', `/v1/legal/cases?personId=${personId}`, { token: system.token('legal') })).body
          .items[0]!,
      (found) => !JSON.stringify(found).includes(markers.evidenceSource),
      { timeoutMs: 30_000, what: 'legal forgetting the person' },
    );
    const refused = await system.http<{ code: string }>('POST', `/v1/legal/cases/${legalCase.caseId}/evidence`, {
      token: system.token('legal'),
      body: { kind: 'document', source: 'a later source', sha256: 'cd'.repeat(32), description: 'a later description' },
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'person.forgotten' } });
    // The case keeps its legal meaning: the flags, their provisions and states.
    expect(legalCase.violations.map((violation) => violation.citation)).toEqual(
      expect.arrayContaining(['ICCPR 12(4)', 'ICCPR 12(2)', 'ICCPR 7']),
    );
  });

  it('leaves no plaintext copy in any database, Kafka topic or log line', async () => {
    // The audit copy of the erasure is the last thing to arrive.
    await eventually(
      () =>
        system.http<{ items: unknown[] }>('GET', `/v1/audit/events?personId=${personId}&type=PersonForgotten`, {
          token: system.token('auditor'),
        }),
      (response) => response.status === 200 && response.body.items.length === 1,
      { timeoutMs: 60_000, what: 'PersonForgotten in the audit copy' },
    );
    const counts = await scan();
    process.stdout.write(`plaintext copies after erasure: ${JSON.stringify(counts)}\n`);
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(0);
  }, 180_000);

  it('still leaves none after every read model is rebuilt and every stream replayed', async () => {
    const jobs = await rebuildAll(system, await listProjections(system));
    expect(jobs.every((job) => job.state === 'done')).toBe(true);
    for (const service of ['intake', 'identity-documents', 'legal', 'notifications']) {
      const replay = await system.http<{ jobId: string }>('POST', '/v1/admin/replays', {
        token: system.token('operator'),
        body: { service, from: '2000-01-01T00:00:00Z', to: new Date(Date.now() + 60_000).toISOString() },
      });
      expect(replay.status).toBe(202);
      await eventually(
        async () =>
          (await system.http<{ state: string }>('GET', `/v1/admin/jobs/${replay.body.jobId}`, { token: system.token('operator') })).body,
        (job) => job.state === 'done',
        { timeoutMs: 60_000, what: `the replay of ${service}` },
      );
    }
    const file = (await system.http<Record<string, unknown>>('GET', `/v1/people/${personId}`, { token: system.token('admin') })).body;
    expect(file).toMatchObject({ forgotten: true, fullName: '', occupation: null });
    const counts = await scan();
    process.stdout.write(`plaintext copies after rebuild and replay: ${JSON.stringify(counts)}\n`);
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(0);
  }, 240_000);
});
