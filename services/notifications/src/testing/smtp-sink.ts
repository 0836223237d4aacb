// A real SMTP server for tests (smtp-server on a free loopback port) that keeps every message.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  notificationId: string | null;
  subject: string;
}

export interface SmtpSink {
  url: string;
  messages: ReceivedMail[];
  /** Refuse every message to this address with this SMTP reply code. */
  refuse(address: string, code: number): void;
  /** Answer each message to this address only after this many milliseconds (a slow server). */
  slow(address: string, ms: number): void;
  close(): Promise<void>;
}

const header = (raw: string, name: string) => new RegExp(`^${name}: *(.+)$`, 'mi').exec(raw)?.[1]?.trim() ?? null;

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const refused = new Map<string, number>();
  const delays = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = refused.get(address.address);
      if (code) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const delay = Math.max(0, ...session.envelope.rcptTo.map((recipient) => delays.get(recipient.address) ?? 0));
        if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw,
          notificationId: header(raw, 'X-Homeward-Notification-Id'),
          subject: header(raw, 'Subject') ?? '',
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuse: (address, code) => void refused.set(address, code),
    slow: (address, ms) => void delays.set(address, ms),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
