// A real HTTP receiver for tests (node:http on a free loopback port) that checks each call's
// signature the way a partner organisation would, and answers with planned status codes.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  path: string;
  status: number;
  body: Record<string, unknown>;
  rawBody: string;
  notificationId: string;
  timestamp: string;
  signatureValid: boolean;
  receivedAt: number;
}

export interface WebhookReceiver {
  url(path: string): string;
  calls: ReceivedCall[];
  /** The statuses the next calls to `path` get, in order; then 200. */
  plan(path: string, statuses: number[]): void;
  close(): Promise<void>;
}

function verify(secret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const calls: ReceivedCall[] = [];
  const plans = new Map<string, number[]>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '';
      const status = plans.get(path)?.shift() ?? 200;
      const timestamp = String(request.headers['x-homeward-timestamp'] ?? '');
      calls.push({
        path,
        status,
        rawBody,
        body: JSON.parse(rawBody) as Record<string, unknown>,
        notificationId: String(request.headers['x-homeward-notification-id'] ?? ''),
        timestamp,
        signatureValid: verify(secret, timestamp, rawBody, String(request.headers['x-homeward-signature'] ?? '')),
        receivedAt: Date.now(),
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    calls,
    plan: (path, statuses) => void plans.set(path, [...statuses]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
