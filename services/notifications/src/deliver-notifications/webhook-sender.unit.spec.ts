// The webhook channel against a real HTTPS receiver on loopback, and against every internal
// address it must refuse. Nothing here reaches beyond this machine: the resolver is always the
// test's (invented example.org names answered with the addresses under test), and where an
// address must be refused the connect step is a stub that fails the test if it is ever called.
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NotificationMessage } from './notification-message.js';
import { webhookSender, type Resolve, type WebhookSenderOptions } from './webhook-sender.js';
import { checkWebhookSignature } from './webhook-signature.js';
import { selfSignedCertificate, startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

const name = 'hooks.partner.example.org';
const secret = 'c0ffee'.repeat(10) + 'c0ff';
const message: NotificationMessage = {
  notificationId: '0190a000-0000-7000-8000-000000000101',
  personId: '0190a000-0000-7000-8000-000000000001',
  kind: 'contact-lost',
  urgent: true,
  occurredAt: '2025-09-20T10:00:00.000Z',
  causeEventId: '0190a000-0000-7000-8000-0000000000e1',
};

/** Answers every name with these addresses, and counts the questions. */
function resolverOf(...answers: string[][]): Resolve & { asked: number } {
  const resolve = Object.assign(
    async () => {
      const addresses = answers[Math.min(resolve.asked, answers.length - 1)]!;
      resolve.asked += 1;
      return addresses.map((address) => ({ address, family: net.isIP(address) }));
    },
    { asked: 0 },
  );
  return resolve;
}

/** The connect step where no connection may happen. */
const neverConnect = (() => {
  throw new Error('the sender tried to connect to an address it must refuse');
}) as unknown as typeof https.request;

/** Listens on a free loopback port; close() also ends the connections the server still holds. */
async function onLoopback(server: net.Server): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let receiver: WebhookReceiver;
beforeAll(async () => {
  // Its certificate names the invented partner host only: TLS verifies only if SNI is that name.
  receiver = await startWebhookReceiver([name]);
});
afterAll(() => receiver.close());

const live = (overrides: Partial<WebhookSenderOptions> = {}) =>
  webhookSender({
    timeoutMs: 2_000,
    policy: { allowLoopback: true },
    resolve: resolverOf(['127.0.0.1']),
    ca: receiver.certificate,
    ...overrides,
  });

describe('a webhook delivered to a loopback https receiver (the development allowance)', () => {
  it('is signed with the recipient secret and a timestamp, carries a delivery id, and reaches the name it was given', async () => {
    receiver.trust('/signed', secret);
    expect(await live().send({ address: receiver.url('/signed', name), secret }, message)).toEqual({ ok: true });
    const call = receiver.calls.find((received) => received.path === '/signed')!;
    expect(call.signatureValid).toBe(true);
    expect(call.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Math.abs(Number(call.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(call.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(call.notificationId).toBe(message.notificationId);
    expect(call.headers['host']).toBe(`${name}:${receiver.port}`);
    expect(call.body).toEqual({ ...message });
  });

  it('gives each attempt its own delivery id', async () => {
    receiver.trust('/twice', secret);
    await live().send({ address: receiver.url('/twice', name), secret }, message);
    await live().send({ address: receiver.url('/twice', name), secret }, message);
    const calls = receiver.calls.filter((received) => received.path === '/twice');
    expect(new Set(calls.map((call) => call.deliveryId)).size).toBe(2);
    expect(calls.every((call) => call.signatureValid)).toBe(true);
  });

  it('is refused by the documented check when replayed, signed with another secret, or old', async () => {
    receiver.trust('/replayed', secret);
    await live().send({ address: receiver.url('/replayed', name), secret }, message);
    const original = receiver.calls.find((received) => received.path === '/replayed')!;
    // The same request again, byte for byte: its delivery id has been seen.
    await new Promise<void>((resolve, reject) => {
      const replay = https.request(
        {
          host: '127.0.0.1',
          port: receiver.port,
          path: '/replayed',
          method: 'POST',
          servername: name,
          ca: receiver.certificate,
          headers: original.headers,
        },
        (response) => response.resume().on('end', resolve),
      );
      replay.on('error', reject);
      replay.end(original.rawBody);
    });
    const replayed = receiver.calls.filter((received) => received.path === '/replayed');
    expect(replayed.map((call) => [call.check.valid, call.signatureValid])).toEqual([
      [true, true],
      [true, false],
    ]);
    const at = (seconds: number) => new Date((Number(original.timestamp) + seconds) * 1000);
    expect(checkWebhookSignature(secret, original.signature, original.deliveryId, original.rawBody, at(299))).toMatchObject({
      valid: true,
    });
    expect(checkWebhookSignature(secret, original.signature, original.deliveryId, original.rawBody, at(301))).toEqual({
      valid: false,
      reason: 'outside-tolerance',
    });
    expect(checkWebhookSignature('d00d'.repeat(16), original.signature, original.deliveryId, original.rawBody, at(0))).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(checkWebhookSignature(secret, original.signature, 'another-delivery-id', original.rawBody, at(0))).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(
      checkWebhookSignature(secret, original.signature, original.deliveryId, original.rawBody.replace('true', 'false'), at(0)),
    ).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('connects to the address it vetted, whatever the name resolves to afterwards (DNS rebinding)', async () => {
    const rebinding = resolverOf(['127.0.0.1'], ['10.0.0.7']);
    receiver.trust('/pinned', secret);
    expect(await live({ resolve: rebinding }).send({ address: receiver.url('/pinned', name), secret }, message)).toEqual({ ok: true });
    expect(rebinding.asked).toBe(1);
  });

  it('does not follow a redirect: it is a failure, and the receiver is called once', async () => {
    receiver.redirect('/moved', 'https://169.254.169.254/latest/meta-data/');
    expect(await live().send({ address: receiver.url('/moved', name), secret }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.redirect',
    });
    expect(receiver.calls.filter((received) => received.path === '/moved')).toHaveLength(1);
  });

  it('says 4xx or 5xx, never the status or what the receiver answered', async () => {
    receiver.plan('/failing', [503, 410]);
    expect(await live().send({ address: receiver.url('/failing', name), secret }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.http-5xx',
    });
    expect(await live().send({ address: receiver.url('/failing', name), secret }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.http-4xx',
    });
  });

  it('says webhook.tls for a certificate that does not verify', async () => {
    const untrusted = selfSignedCertificate([name]).cert;
    expect(await live({ ca: untrusted }).send({ address: receiver.url('/untrusted', name), secret }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.tls',
    });
  });

  it('says webhook.timeout when a TLS session is open and no answer comes in time', async () => {
    const { key, cert } = selfSignedCertificate([name]);
    const silent = await onLoopback(tls.createServer({ key, cert }, () => undefined));
    try {
      expect(await live({ ca: cert, timeoutMs: 300 }).send({ address: `https://${name}:${silent.port}/silent`, secret }, message)).toEqual({
        ok: false,
        errorCode: 'webhook.timeout',
      });
    } finally {
      await silent.close();
    }
  });

  it('collapses a closed port, a peer that speaks no TLS and a connect that hangs into webhook.unreachable', async () => {
    const probe = await onLoopback(net.createServer());
    await probe.close();
    const plain = await onLoopback(net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n')));
    const mute = await onLoopback(net.createServer(() => undefined));
    try {
      const outcomes = await Promise.all(
        [probe.port, plain.port, mute.port].map((port) =>
          live({ timeoutMs: 300 }).send({ address: `https://${name}:${port}/`, secret }, message),
        ),
      );
      expect(outcomes).toEqual([0, 1, 2].map(() => ({ ok: false, errorCode: 'webhook.unreachable' })));
    } finally {
      await Promise.all([plain.close(), mute.close()]);
    }
  });

  it('says webhook.unreachable for a name that does not resolve', async () => {
    const failing: Resolve = () => Promise.reject(Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await live({ resolve: failing, request: neverConnect }).send({ address: `https://${name}/`, secret }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.unreachable',
    });
  });
});

describe('a webhook that would reach an internal address', () => {
  const refusing = (resolve: Resolve) =>
    webhookSender({ timeoutMs: 2_000, policy: { allowLoopback: false }, resolve, request: neverConnect });

  it.each([
    ['loopback', ['127.0.0.1']],
    ['IPv6 loopback', ['::1']],
    ['a private address (10/8)', ['10.20.30.40']],
    ['a private address (172.16/12)', ['172.16.5.4']],
    ['a private address (192.168/16)', ['192.168.1.1']],
    ['a unique local IPv6 address', ['fd12:3456::1']],
    ['a link-local address', ['169.254.3.4']],
    ['an IPv6 link-local address', ['fe80::1']],
    ['the metadata address', ['169.254.169.254']],
    ['the AWS IPv6 metadata address', ['fd00:ec2::254']],
    ['shared address space (CGNAT)', ['100.64.0.9']],
    ['the unspecified address', ['0.0.0.0']],
    ['an IPv4-mapped private address', ['::ffff:192.168.0.1']],
    ['a public address and a private one', ['93.184.215.14', '10.0.0.1']],
  ])('refuses a name that resolves to %s, without connecting', async (_case, addresses) => {
    expect(await refusing(resolverOf(addresses)).send({ address: `https://${name}/hook`, secret }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.refused-address',
    });
  });

  it.each([
    ['plain http', 'http://hooks.partner.example.org/hook', 'webhook.https-required'],
    ['a literal private address', 'https://192.168.10.1/hook', 'webhook.refused-address'],
    ['the literal metadata address', 'https://169.254.169.254/latest/meta-data/', 'webhook.refused-address'],
    ['the metadata name', 'https://metadata.google.internal/computeMetadata/v1/', 'webhook.refused-address'],
    ['localhost', 'https://localhost:8443/hook', 'webhook.refused-address'],
  ])('refuses %s before resolving anything, for good', async (_case, address, errorCode) => {
    const resolve = resolverOf(['93.184.215.14']);
    expect(await refusing(resolve).send({ address, secret }, message)).toEqual({ ok: false, errorCode, final: true });
    expect(resolve.asked).toBe(0);
  });

  it('sends nothing to a recipient registered before secrets were their own', async () => {
    expect(await refusing(resolverOf(['93.184.215.14'])).send({ address: `https://${name}/hook`, secret: '' }, message)).toEqual({
      ok: false,
      errorCode: 'webhook.no-secret',
      final: true,
    });
  });
});
