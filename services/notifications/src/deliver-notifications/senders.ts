// The two channels. Each send answers ok or a failure code that names what failed (an SMTP reply
// code, an HTTP status, a network error code) and never the address or the content.
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { emailOf, webhookBodyOf, type NotificationMessage } from './notification-message.js';

export type SendOutcome = { ok: true } | { ok: false; errorCode: string };

export interface Sender {
  send(address: string, message: NotificationMessage): Promise<SendOutcome>;
  close(): void;
}

const codeFragment = (value: unknown) =>
  String(value)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 40);

export function emailSender({ smtpUrl, from, timeoutMs }: { smtpUrl: string; from: string; timeoutMs: number }): Sender {
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(address, message) {
      const { subject, text } = emailOf(message);
      try {
        await transport.sendMail({
          from,
          to: address,
          subject,
          text,
          // A stable Message-ID: a mail that is sent twice (see delivery-worker.ts) is one mail.
          messageId: `<${message.notificationId}@notifications.homeward>`,
          headers: { 'X-Homeward-Notification-Id': message.notificationId, ...(message.urgent ? { Priority: 'urgent', Importance: 'high' } : {}) },
        });
        return { ok: true };
      } catch (error) {
        const { responseCode, code } = error as { responseCode?: number; code?: string };
        return { ok: false, errorCode: responseCode ? `smtp.${responseCode}` : code ? `smtp.${codeFragment(code)}` : 'smtp.error' };
      }
    },
    close: () => transport.close(),
  };
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, what x-homeward-signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookSender({ secret, timeoutMs, now = () => new Date() }: { secret: string; timeoutMs: number; now?: () => Date }): Sender {
  return {
    async send(address, message) {
      const body = webhookBodyOf(message);
      const timestamp = String(Math.floor(now().getTime() / 1000));
      try {
        const response = await fetch(address, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'homeward-notifications/1',
            'x-homeward-notification-id': message.notificationId,
            'x-homeward-timestamp': timestamp,
            'x-homeward-signature': webhookSignature(secret, timestamp, body),
          },
          body,
        });
        await response.body?.cancel().catch(() => undefined);
        return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, errorCode: `webhook.http-${response.status}` };
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, errorCode: 'webhook.timeout' };
        const cause = (error as { cause?: { code?: string } }).cause;
        return { ok: false, errorCode: cause?.code ? `webhook.${codeFragment(cause.code)}` : 'webhook.network' };
      }
    },
    close: () => undefined,
  };
}
