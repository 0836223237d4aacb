// The outside world notifications talk to, run by the tests themselves: a real SMTP server that
// keeps what it receives, and an https webhook receiver that checks the HMAC signature as a
// partner organisation would.
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string[];
  raw: string;
  notificationId: string;
}

export interface WebhookCall {
  path: string;
  body: Record<string, unknown>;
  /** Signed with a trusted secret, a timestamp within 5 minutes, a delivery id not seen before. */
  signatureValid: boolean;
}

export interface MailSink {
  url: string;
  mails: Mail[];
  mailsTo(address: string): Mail[];
  close(): Promise<void>;
}

export interface WebhookReceiver {
  url(path: string): string;
  calls: WebhookCall[];
  /** What the services need to reach this receiver: merge into startSystem's env. */
  serviceEnv: Record<string, string>;
  /** A secret a registration answered (webhookSecret): calls signed with it are accepted. */
  trust(secret: string): void;
  close(): Promise<void>;
}

/** The notification kind a mail announces (its "What:" line). */
export const kindOf = (mail: Mail) => /What: (\S+)/.exec(mail.raw)?.[1];

export async function startMailSink(): Promise<MailSink> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const notificationId = /^X-Homeward-Notification-Id: *(\S+)/im.exec(raw)?.[1] ?? '';
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw, notificationId });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    mails,
    mailsTo: (address) => mails.filter((mail) => mail.to.includes(address)),
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** How far a receiver lets a timestamp stray from its clock (the documented 5 minutes). */
export const signatureToleranceSeconds = 300;

/**
 * A partner's receiver, over https on loopback with a certificate made here by openssl, checking
 * each call as notifications' README tells partners to: HMAC-SHA256 with the recipient's secret
 * over "<t>.<delivery id>.<raw body>", in constant time, t within 5 minutes, a delivery id never
 * seen. `legacySecret`: trusted like one answered at registration (older tests passed one).
 * The services must run with `serviceEnv` (the development loopback allowance, and trust in this
 * certificate); each secret a registration answers is handed to `trust`.
 */
export async function startWebhookReceiver(
  legacySecret?: string,
  answer: (call: WebhookCall) => number = () => 204,
): Promise<WebhookReceiver> {
  const calls: WebhookCall[] = [];
  const secrets = new Set<string>(legacySecret ? [legacySecret] : []);
  const seen = new Set<string>();
  const dir = mkdtempSync(path.join(tmpdir(), 'homeward-partner-'));
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=partner-receiver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const server = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const deliveryId = String(request.headers['x-homeward-delivery-id'] ?? '');
      const fields = new Map(
        String(request.headers['x-homeward-signature'] ?? '')
          .split(',')
          .map((part) => part.split('=', 2) as [string, string]),
      );
      const timestamp = fields.get('t') ?? '';
      const given = Buffer.from(fields.get('v1') ?? '', 'hex');
      const signed = [...secrets].some((secret) => {
        const expected = createHmac('sha256', secret).update(`${timestamp}.${deliveryId}.${raw}`).digest();
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      const fresh = /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= signatureToleranceSeconds;
      const signatureValid = signed && fresh && deliveryId !== '' && !seen.has(deliveryId);
      if (signatureValid) seen.add(deliveryId);
      const call = { path: request.url ?? '', body: JSON.parse(raw) as Record<string, unknown>, signatureValid };
      calls.push(call);
      response.writeHead(signatureValid ? answer(call) : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (urlPath) => `https://127.0.0.1:${port}${urlPath}`,
    calls,
    serviceEnv: { HOMEWARD_DEV: '1', WEBHOOK_ALLOW_LOOPBACK: '1', NODE_EXTRA_CA_CERTS: certFile },
    trust: (secret) => void secrets.add(secret),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
