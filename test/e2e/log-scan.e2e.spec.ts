// No personal field in any log line: the September release is played through the gateway with
// every service logging at debug level (imports, papers, recipients, a lost contact, reads,
// refused requests that carry personal fields), then every line every service wrote is searched
// for the fixture people's names and birth dates and for the recipients' addresses.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@homeward/testing';
import { startMailSink, startWebhookReceiver, type MailSink, type WebhookReceiver } from '../support/receivers.js';
import { batchId, batchSize, septemberRows, toCsv } from '../support/september-batch.js';
import { startSystem, type System } from '../support/system.js';

const familyAddress = 'family.of.aster.invented@example.org';

describe('the logs of the September release', () => {
  let system: System | undefined;
  let mail: MailSink;
  let webhooks: WebhookReceiver;
  let webhookAddress = '';
  let webhookSecret = '';
  const rows = septemberRows();

  const as = (role: string) => ({ token: system!.token(role) });
  const ok = async (method: string, route: string, role: string, body?: unknown) => {
    const response = await system!.http(method, route, { ...as(role), body });
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  };

  beforeAll(async () => {
    mail = await startMailSink();
    webhooks = await startWebhookReceiver();
    webhookAddress = webhooks.url('/hooks/log-scan');
    system = await startSystem(['intake', 'identity-documents', 'legal', 'notifications', 'audit', 'gateway'], {
      env: {
        LOG_LEVEL: 'debug',
        SMTP_URL: mail.url,
        NOTIFY_FROM: 'notify@homeward.test',
        ...webhooks.serviceEnv,
        WELFARE_CHECK_AFTER: 'PT3S',
        WELFARE_CHECK_POLL_MS: '250',
        DELIVERY_POLL_MS: '100',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await mail?.close();
    await webhooks?.close();
  });

  it('finds no name, birth date or recipient address in any line any service wrote', async () => {
    await ok('POST', '/v1/release-batches', 'intake', {
      batchId,
      date: '2025-09-11',
      announcedCount: batchSize,
      brokeredBy: 'United States',
    });
    const imported = await system!.http<{ rows: Array<{ externalRef: string; personId: string }> }>(
      'POST',
      `/v1/release-batches/${batchId}/import`,
      {
        ...as('intake'),
        raw: toCsv(rows),
        headers: { 'content-type': 'text/csv' },
      },
    );
    expect(imported.status).toBe(200);
    const ids = new Map(imported.body.rows.map((row) => [row.externalRef, row.personId]));
    const national = rows.find((row) => !row.foreignNational)!;
    const personId = ids.get(national.externalRef)!;

    await ok('POST', `/v1/people/${personId}/documents/passport-confiscations`, 'documents', {
      confiscatedAt: '2025-09-11T06:30:00.000Z',
      authority: 'kgb',
      place: 'pre-trial detention centre',
    });
    await ok('POST', '/v1/notifications/recipients', 'notifications', {
      role: 'family',
      channel: 'email',
      address: familyAddress,
      consent: true,
      follows: [personId],
    });
    const partner = await ok('POST', '/v1/notifications/recipients', 'notifications', {
      role: 'partner-organisation',
      channel: 'webhook',
      address: webhookAddress,
      consent: true,
      follows: [...ids.values()],
    });
    webhookSecret = partner['webhookSecret'] as string;
    webhooks.trust(webhookSecret);
    await ok('POST', `/v1/people/${personId}/contact-lost`, 'intake', { lastContactAt: new Date().toISOString(), reportedBy: 'family' });

    // Refused requests that carry personal fields: the reasons are logged, the values must not be.
    const refused = await system!.http('POST', '/v1/people', {
      ...as('intake'),
      body: { fullName: national.fullName, birthDate: `${national.birthDate}T99`, zzUnknown: national.fullName },
    });
    expect(refused.status).toBe(400);
    await system!.http('POST', `/v1/release-batches/${batchId}/import`, {
      ...as('intake'),
      raw: `externalRef,fullName,birthDate\nbad-1,${national.fullName},${national.birthDate}\n`,
      headers: { 'content-type': 'text/csv' },
    });

    // Reads of whole files and of the audit trail, and a welfare check that falls overdue.
    for (const id of [...ids.values()].slice(0, 5)) await ok('GET', `/v1/people/${id}`, 'intake');
    await ok('GET', `/v1/audit/events?personId=${personId}`, 'auditor');
    await eventually(
      () =>
        system!.http<{ items: Array<{ kind: string; status: string }> }>(
          'GET',
          `/v1/notifications/deliveries?personId=${personId}`,
          as('notifications'),
        ),
      (response) =>
        response.status === 200 &&
        response.body.items.some((delivery) => delivery.kind === 'welfare-check-overdue' && delivery.status === 'delivered'),
      { timeoutMs: 60_000, what: 'the overdue welfare check delivered' },
    );
    expect(mail.mailsTo(familyAddress).length).toBeGreaterThan(0);

    // Stop first, so every line is flushed to the files.
    const { logDir } = system!;
    await system!.stop();
    system = undefined;

    const needles = [
      ...rows.flatMap((row) => [row.fullName, row.birthDate]),
      familyAddress,
      webhookAddress,
      new URL(webhookAddress).pathname,
      webhookSecret,
    ];
    const files = readdirSync(logDir).filter((file) => file.endsWith('.log'));
    expect(files.sort()).toEqual(['audit.log', 'gateway.log', 'identity-documents.log', 'intake.log', 'legal.log', 'notifications.log']);
    const found: string[] = [];
    let lines = 0;
    for (const file of files) {
      for (const line of readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
        lines += 1;
        const needle = needles.find((candidate) => line.includes(candidate));
        if (needle) found.push(`${file}: ${needle} in ${line.slice(0, 300)}`);
      }
    }
    expect(lines).toBeGreaterThan(100);
    expect(found.slice(0, 20)).toEqual([]);
  }, 300_000);
});
