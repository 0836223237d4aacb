// The outside world notifications talk to, run by the tests themselves: a real SMTP server that
// keeps what it receives, and a webhook receiver that checks the HMAC signature as a partner
// organisation would.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string[];
  raw: string;
  notificationId: string;
}

export interface WebhookCall {
  path: string;
  body: Record<string, unknown>;
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

export async function startWebhookReceiver(secret: string, answer: (call: WebhookCall) => number = () => 204): Promise<WebhookReceiver> {
  const calls: WebhookCall[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${request.headers['x-homeward-timestamp']}.${raw}`).digest('hex')}`);
      const given = Buffer.from(String(request.headers['x-homeward-signature'] ?? ''));
      const call = { path: request.url ?? '', body: JSON.parse(raw) as Record<string, unknown>, signatureValid: expected.length === given.length && timingSafeEqual(expected, given) };
      calls.push(call);
      response.writeHead(answer(call)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
