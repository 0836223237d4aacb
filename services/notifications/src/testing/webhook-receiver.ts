// A real HTTPS receiver for tests (node:https on a free loopback port, with a certificate made
// for the test by openssl) that checks each call the way a partner organisation is told to:
// the signature with the recipient's own secret, the timestamp within the tolerance, and a
// delivery id never seen before. It answers with planned status codes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkWebhookSignature, type SignatureCheck } from '../deliver-notifications/webhook-signature.js';

export interface ReceivedCall {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  rawBody: string;
  notificationId: string;
  deliveryId: string;
  timestamp: string;
  signature: string;
  check: SignatureCheck;
  /** Signature and timestamp hold and the delivery id is new: what a receiver accepts. */
  signatureValid: boolean;
  receivedAt: number;
}

export interface WebhookReceiver {
  /** https://127.0.0.1:<port><path>, or the same port under `host` (a name its certificate holds). */
  url(path: string, host?: string): string;
  /** The receiver's certificate (PEM): what the sender is told to trust. */
  certificate: string;
  port: number;
  calls: ReceivedCall[];
  /** The secret a recipient was answered at registration; calls to `path` are checked with it. */
  trust(path: string, secret: string): void;
  /** The statuses the next calls to `path` get, in order; then 200. */
  plan(path: string, statuses: number[]): void;
  /** Where the next calls to `path` are redirected (302), once each. */
  redirect(path: string, location: string): void;
  close(): Promise<void>;
}

/** A key and a self-signed certificate for these names and addresses, made by openssl and kept in memory only. */
export function selfSignedCertificate(names: readonly string[]): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'homeward-receiver-'));
  try {
    const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    const san = names.map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
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
        '/CN=homeward-test-receiver',
        '-addext',
        `subjectAltName=${san}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startWebhookReceiver(names: readonly string[] = ['127.0.0.1', 'localhost']): Promise<WebhookReceiver> {
  const { key, cert } = selfSignedCertificate(names);
  const calls: ReceivedCall[] = [];
  const plans = new Map<string, number[]>();
  const redirects = new Map<string, string>();
  const secrets = new Map<string, string>();
  const seen = new Set<string>();
  const server = https.createServer({ key, cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const callPath = request.url ?? '';
      const header = (name: string) => String(request.headers[name] ?? '');
      const location = redirects.get(callPath);
      const status = location ? 302 : (plans.get(callPath)?.shift() ?? 200);
      redirects.delete(callPath);
      const deliveryId = header('x-homeward-delivery-id');
      const signature = header('x-homeward-signature');
      const check = checkWebhookSignature(secrets.get(callPath) ?? '', signature, deliveryId, rawBody, new Date());
      const fresh = !seen.has(deliveryId);
      if (check.valid) seen.add(deliveryId);
      calls.push({
        path: callPath,
        status,
        headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
        rawBody,
        body: JSON.parse(rawBody) as Record<string, unknown>,
        notificationId: header('x-homeward-notification-id'),
        deliveryId,
        timestamp: /(?:^|,)t=(\d+)/.exec(signature)?.[1] ?? '',
        signature,
        check,
        signatureValid: check.valid && fresh,
        receivedAt: Date.now(),
      });
      response.writeHead(status, location ? { location } : {}).end('anything the receiver says stays here');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: (callPath, host = '127.0.0.1') => `https://${host}:${port}${callPath}`,
    certificate: cert,
    port,
    calls,
    trust: (callPath, secret) => void secrets.set(callPath, secret),
    plan: (callPath, statuses) => void plans.set(callPath, [...statuses]),
    redirect: (callPath, location) => void redirects.set(callPath, location),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
