// The two channels (the webhook's is webhook-sender.ts). Each send answers ok or a failure code
// that names what failed (an SMTP reply code, a coarse webhook code) and never the address, the
// secret or the content.
import nodemailer, { type Transporter } from 'nodemailer';
import { emailOf, type NotificationMessage } from './notification-message.js';

/** final: trying again cannot help (the address is refused by rule, the recipient has no secret). */
export type SendOutcome = { ok: true } | { ok: false; errorCode: string; final?: boolean };

/** Where to send, opened at send time: the address, and for a webhook the recipient's secret ("" for email). */
export interface SendTarget {
  address: string;
  secret: string;
}

export interface Sender {
  send(target: SendTarget, message: NotificationMessage): Promise<SendOutcome>;
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
    async send({ address }, message) {
      const { subject, text } = emailOf(message);
      try {
        await transport.sendMail({
          from,
          to: address,
          subject,
          text,
          // A stable Message-ID: a mail that is sent twice (see delivery-worker.ts) is one mail.
          messageId: `<${message.notificationId}@notifications.homeward>`,
          headers: {
            'X-Homeward-Notification-Id': message.notificationId,
            ...(message.urgent ? { Priority: 'urgent', Importance: 'high' } : {}),
          },
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
