// The webhook channel: a signed POST over https to a public address, and nothing else.
//
// Every delivery checks the URL again (https, no internal literal or name), resolves the name
// (every address it has: one internal address refuses the delivery), and connects to the address
// it vetted: the connection's lookup answers that address only, so a name that resolves to a
// public address for the check and to an internal one a moment later (DNS rebinding) still
// reaches the public one. TLS is verified against the name (SNI and Host are the name). A
// redirect is a failure, never followed; the body of the answer is never read.
//
// Failures are coarse codes an operator can act on that map no network: whatever fails before a
// TLS session exists (no such name, refused, reset, unreachable, a connect timeout, a peer that
// speaks no TLS) is webhook.unreachable; a certificate that does not verify is webhook.tls; no
// answer in time once the session exists is webhook.timeout. Never an address, port or body.
import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  isReachableAddress,
  webhookHostOf,
  webhookUrlProblem,
  type WebhookTargetPolicy,
  type WebhookUrlProblem,
} from '@homeward/notifications-domain';
import { webhookBodyOf } from './notification-message.js';
import type { SendOutcome, Sender } from './senders.js';
import { webhookSignature } from './webhook-signature.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** A name to every address it has. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface WebhookSenderOptions {
  timeoutMs: number;
  policy: WebhookTargetPolicy;
  /** Default: the system resolver. Tests answer addresses of their own, so that nothing leaves the machine. */
  resolve?: Resolve;
  /** The connect step, node's https.request by default; a test passes one that records it or refuses to be called. */
  request?: typeof https.request;
  /** Certificates to trust instead of the system's (PEM): a test's own receiver. */
  ca?: string;
  now?: () => Date;
  newDeliveryId?: () => string;
}

const failure = (errorCode: string, final = false): SendOutcome => ({ ok: false, errorCode, ...(final ? { final } : {}) });

const unreachable = failure('webhook.unreachable');

/** A URL refused by rule stays refused: no retry. */
const refusedUrl: Record<WebhookUrlProblem, SendOutcome> = {
  'webhook-url-invalid': failure('webhook.address-invalid', true),
  'webhook-https-required': failure('webhook.https-required', true),
  'webhook-address-refused': failure('webhook.refused-address', true),
};

/** The peer presented a certificate that does not verify (not: it speaks no TLS, which is unreachable). */
const isCertificateError = (error: unknown) =>
  /CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|INVALID_CA/.test(String((error as { code?: unknown }).code ?? ''));

/** The resolver's answer, or a rejection once `ms` have passed (getaddrinfo has no timeout of its own). */
function withinTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('resolving timed out')), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

export function outcomeOfStatus(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true };
  if (status >= 300 && status < 400) return failure('webhook.redirect');
  if (status >= 400 && status < 500) return failure('webhook.http-4xx');
  if (status >= 500 && status < 600) return failure('webhook.http-5xx');
  return failure('webhook.http-other');
}

export function webhookSender(options: WebhookSenderOptions): Sender {
  const resolve = options.resolve ?? systemResolve;
  const request = options.request ?? https.request;
  const now = options.now ?? (() => new Date());
  const newDeliveryId = options.newDeliveryId ?? randomUUID;

  /** Every address of the host, or why it may not be reached. */
  async function vetted(host: string): Promise<ResolvedAddress | SendOutcome> {
    const family = isIP(host);
    let addresses: ResolvedAddress[];
    try {
      addresses = family ? [{ address: host, family }] : await withinTimeout(resolve(host), options.timeoutMs);
    } catch {
      return unreachable;
    }
    if (addresses.length === 0) return unreachable;
    if (!addresses.every((resolved) => isReachableAddress(resolved.address, options.policy))) return failure('webhook.refused-address');
    return addresses[0]!;
  }

  function post(url: URL, host: string, pinned: ResolvedAddress, headers: Record<string, string>, body: string): Promise<SendOutcome> {
    // The connection asks this, not the resolver: it reaches the address that was vetted.
    const lookup = ((_name, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all) (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    }) as LookupFunction;
    return new Promise((settleWith) => {
      let established = false;
      let timedOut = false;
      let settled = false;
      const sending = request({
        host,
        port: url.port === '' ? 443 : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)) },
        ...(isIP(host) ? {} : { servername: host }),
        lookup,
        agent: false,
        ...(options.ca ? { ca: options.ca } : {}),
      });
      const timer = setTimeout(() => {
        timedOut = true;
        sending.destroy(new Error('webhook send timed out'));
      }, options.timeoutMs);
      const settle = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sending.destroy();
        settleWith(outcome);
      };
      sending.on('socket', (socket) => socket.once('secureConnect', () => (established = true)));
      // The status is all that is read: the body (which might echo anything) is dropped unread.
      sending.on('response', (response) => {
        response.destroy();
        settle(outcomeOfStatus(response.statusCode ?? 0));
      });
      sending.on('error', (error) =>
        settle(
          timedOut
            ? established
              ? failure('webhook.timeout')
              : unreachable
            : isCertificateError(error)
              ? failure('webhook.tls')
              : unreachable,
        ),
      );
      sending.end(body);
    });
  }

  return {
    async send({ address, secret }, message) {
      const problem = webhookUrlProblem(address, options.policy);
      if (problem) return refusedUrl[problem];
      // Registered before each webhook had its own secret: told nothing until registered again.
      if (!secret) return failure('webhook.no-secret', true);
      const url = new URL(address);
      const host = webhookHostOf(url);
      const pinned = await vetted(host);
      if ('ok' in pinned) return pinned;
      const body = webhookBodyOf(message);
      const deliveryId = newDeliveryId();
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'homeward-notifications/2',
        'x-homeward-notification-id': message.notificationId,
        'x-homeward-delivery-id': deliveryId,
        'x-homeward-signature': webhookSignature(secret, Math.floor(now().getTime() / 1000), deliveryId, body),
      };
      return post(url, host, pinned, headers, body);
    },
    close: () => undefined,
  };
}
