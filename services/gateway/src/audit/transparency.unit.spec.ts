import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { roles, type Role } from '@homeward/security';
import { of } from 'rxjs';
import { routeRoles } from '../auth/route-roles.js';
import { emptyHash, grpcFailure, leafBytes, personId, signedCheckpoint, startGateway, type Harness } from '../testing/gateway-harness.js';

let gateway: Harness;
let auditor: string;
let witness: string;
beforeAll(async () => {
  gateway = await startGateway();
  auditor = await gateway.token(['auditor'], { sub: 'auditor-7' });
  witness = await gateway.token(['witness'], { sub: 'witness-org' });
}, 30_000);
afterAll(() => gateway.close());
beforeEach(() => gateway.reset());

const get = (url: string, bearer = auditor) => gateway.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
const post = (url: string, payload: unknown, bearer = auditor) =>
  gateway.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${bearer}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const eventId = '01936b2e-7a4c-7d1e-9f3a-000000000001';
const accessId = '01936b2e-7a4c-7d1e-9f3a-0000000000a1';
const note = signedCheckpoint().note;
const cosignature =
  '\u2014 witness.example/w1 ' +
  'AAAAAAAAAABnAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n';

/** Each route of the log, called as it would be, with the roles it admits. */
const logRoutes: Array<{ method: 'GET' | 'POST'; url: string; payload?: unknown; admits: Role[] }> = [
  { method: 'GET', url: '/v1/audit/key', admits: ['auditor', 'admin', 'witness'] },
  { method: 'GET', url: '/v1/audit/checkpoint', admits: ['auditor', 'admin', 'witness'] },
  { method: 'GET', url: '/v1/audit/checkpoints', admits: ['auditor', 'admin'] },
  { method: 'GET', url: '/v1/audit/checkpoints/1', admits: ['auditor', 'admin', 'witness'] },
  { method: 'POST', url: '/v1/audit/checkpoints', admits: ['auditor', 'admin'] },
  { method: 'POST', url: '/v1/audit/checkpoints/1/cosignatures', payload: { signatureLine: cosignature }, admits: ['witness'] },
  { method: 'GET', url: `/v1/audit/proofs/inclusion?eventId=${eventId}`, admits: ['auditor', 'admin'] },
  { method: 'GET', url: '/v1/audit/proofs/consistency?from=1', admits: ['auditor', 'admin', 'witness'] },
  { method: 'GET', url: `/v1/audit/leaves?personId=${personId}`, admits: ['auditor', 'admin'] },
  { method: 'GET', url: `/v1/audit/leaves/manifest?personId=${personId}`, admits: ['auditor', 'admin'] },
];

describe('who may read the transparency log', () => {
  it('lists every route of the log here', () => {
    const listed = logRoutes.map(({ method, url }) => `${method} ${url.split('?')[0]!.replace(/\/1(\/|$)/, '/:treeSize$1')}`);
    const granted = Object.entries(routeRoles).filter(
      ([route, access]) => access !== 'public' && (access.includes('witness') || /\/v1\/audit\/(key|checkpoint|proofs|leaves)/.test(route)),
    );
    expect(listed.sort()).toEqual(granted.map(([route]) => route).sort());
  });

  it.each(roles)('answers %s exactly on the routes that admit it', async (role) => {
    const token = await gateway.token([role]);
    const answers = [];
    for (const { method, url, payload, admits } of logRoutes) {
      const response = method === 'GET' ? await get(url, token) : await post(url, payload, token);
      answers.push({
        route: `${method} ${url}`,
        status: response.statusCode,
        expected: admits.includes(role) ? (method === 'POST' ? 201 : 200) : 403,
      });
    }
    expect(answers.filter((answer) => answer.status !== answer.expected)).toEqual([]);
  });

  it('refuses the witness a leaf, the auditor a cosignature and the operator the log, without asking audit', async () => {
    expect((await get(`/v1/audit/leaves?personId=${personId}`, witness)).statusCode).toBe(403);
    expect((await get(`/v1/audit/proofs/inclusion?eventId=${eventId}`, witness)).statusCode).toBe(403);
    expect((await post('/v1/audit/checkpoints/1/cosignatures', { signatureLine: cosignature })).statusCode).toBe(403);
    const operator = await gateway.token(['operator']);
    expect((await get('/v1/audit/checkpoint', operator)).statusCode).toBe(403);
    expect((await get('/v1/audit/key', operator)).statusCode).toBe(403);
    expect(gateway.audit.calls).toHaveLength(0);
  });
});

describe('GET /v1/audit/key and the checkpoints as text', () => {
  it('answers the verifier key as one text line', async () => {
    const response = await get('/v1/audit/key', witness);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe('homeward.test/audit+00000000+AQ==\n');
  });

  it('answers the latest checkpoint as the signed note, cosignatures included', async () => {
    const cosigned = `${note}${cosignature}`;
    gateway.audit.answers.latestCheckpoint = () => of(signedCheckpoint({ note: cosigned, cosigners: ['witness.example/w1'] }));
    const response = await get('/v1/audit/checkpoint');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(cosigned);
  });

  it('answers 404 problem+json when no checkpoint has been issued', async () => {
    gateway.audit.answers.latestCheckpoint = () =>
      grpcFailure(status.NOT_FOUND, 'none yet', { kind: 'not-found', code: 'audit.no-checkpoint' });
    const response = await get('/v1/audit/checkpoint');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 404, code: 'audit.no-checkpoint' });
  });

  it('answers one checkpoint by its size, and 404 for a size never checkpointed', async () => {
    const response = await get('/v1/audit/checkpoints/1');
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(note);
    expect(gateway.audit.calls[0]).toMatchObject({ method: 'getCheckpoint', request: { treeSize: 1 } });
    gateway.audit.answers.getCheckpoint = () =>
      grpcFailure(status.NOT_FOUND, 'no such checkpoint', { kind: 'not-found', code: 'audit.checkpoint-unknown' });
    expect((await get('/v1/audit/checkpoints/7')).statusCode).toBe(404);
  });

  it.each(['0', 'x', '1.5', '-1', '99999999999999999', '1e3'])('refuses the size %s with 400, without asking audit', async (size) => {
    const response = await get(`/v1/audit/checkpoints/${size}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gateway.audit.calls).toHaveLength(0);
  });
});

describe('GET /v1/audit/checkpoints', () => {
  it('pages the history newest first, sizes as numbers', async () => {
    gateway.audit.answers.listCheckpoints = () =>
      of({
        items: [signedCheckpoint({ treeSize: 9 }), signedCheckpoint({ treeSize: 4, cosigners: ['witness.example/w1'] })],
        nextCursor: 'c2',
      });
    const response = await get('/v1/audit/checkpoints?limit=2&cursor=c1');
    expect(gateway.audit.calls[0]!.request).toEqual({ limit: 2, cursor: 'c1' });
    expect(response.json()).toEqual({
      items: [
        { treeSize: 9, rootHash: emptyHash, note, issuedAt: '2025-10-01T10:00:00.000Z', cosigners: [] },
        { treeSize: 4, rootHash: emptyHash, note, issuedAt: '2025-10-01T10:00:00.000Z', cosigners: ['witness.example/w1'] },
      ],
      nextCursor: 'c2',
    });
  });

  it('refuses a page size out of range', async () => {
    expect((await get('/v1/audit/checkpoints?limit=0')).statusCode).toBe(400);
    expect((await get('/v1/audit/checkpoints?limit=101')).statusCode).toBe(400);
  });
});

describe('POST /v1/audit/checkpoints', () => {
  it('signs one now and answers it with 201', async () => {
    gateway.audit.answers.issueCheckpoint = () => of(signedCheckpoint({ treeSize: 12 }));
    const response = await post('/v1/audit/checkpoints', undefined);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ treeSize: 12, note, cosigners: [] });
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['issueCheckpoint']);
  });

  it('refuses a body', async () => {
    expect((await post('/v1/audit/checkpoints', { treeSize: 3 })).statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });
});

describe('POST /v1/audit/checkpoints/{treeSize}/cosignatures', () => {
  it("passes the witness's line to audit, without its newline, and answers the cosigned checkpoint", async () => {
    gateway.audit.answers.addCosignature = (request) =>
      of(signedCheckpoint({ treeSize: request.treeSize, note: `${note}${request.signatureLine}\n`, cosigners: ['witness.example/w1'] }));
    const response = await post('/v1/audit/checkpoints/1/cosignatures', { signatureLine: cosignature }, witness);
    expect(response.statusCode).toBe(201);
    expect(gateway.audit.calls[0]).toMatchObject({
      method: 'addCosignature',
      request: { treeSize: 1, signatureLine: cosignature.slice(0, -1) },
    });
    expect(response.json()).toMatchObject({ treeSize: 1, note: `${note}${cosignature}`, cosigners: ['witness.example/w1'] });
  });

  it.each([
    ['no em dash', cosignature.replace('\u2014', '-')],
    ['two lines', `${cosignature}${cosignature}`],
    ['no signature', '\u2014 witness.example/w1\n'],
    ['not base64', '\u2014 witness.example/w1 not*base64\n'],
    ['over 1 KiB', `\u2014 witness.example/w1 ${'A'.repeat(1100)}\n`],
  ])('refuses a signature line with %s (400), without asking audit', async (_case, signatureLine) => {
    const response = await post('/v1/audit/checkpoints/1/cosignatures', { signatureLine }, witness);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'signatureLine' })] });
    expect(gateway.audit.calls).toHaveLength(0);
  });

  it('refuses a body without the line, or with more', async () => {
    expect((await post('/v1/audit/checkpoints/1/cosignatures', {}, witness)).statusCode).toBe(400);
    expect((await post('/v1/audit/checkpoints/1/cosignatures', { signatureLine: cosignature, note }, witness)).statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });

  it('answers 403 for a witness audit does not know, and 400 for a cosignature that does not verify', async () => {
    gateway.audit.answers.addCosignature = () =>
      grpcFailure(status.PERMISSION_DENIED, 'unknown witness', { kind: 'forbidden', code: 'audit.witness-unknown' });
    const unknown = await post('/v1/audit/checkpoints/1/cosignatures', { signatureLine: cosignature }, witness);
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json()).toMatchObject({ code: 'audit.witness-unknown' });
    gateway.audit.answers.addCosignature = () =>
      grpcFailure(status.INVALID_ARGUMENT, 'bad signature', { kind: 'validation-failed', code: 'audit.cosignature-invalid' });
    const forged = await post('/v1/audit/checkpoints/1/cosignatures', { signatureLine: cosignature }, witness);
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'audit.cosignature-invalid' });
  });
});

describe('GET /v1/audit/proofs/inclusion', () => {
  it("proves an event's or an access entry's inclusion, at a size or the latest checkpoint", async () => {
    gateway.audit.answers.inclusionProof = (request) =>
      of({ leafIndex: 5, treeSize: request.treeSize || 8, leafHash: emptyHash, path: [emptyHash, emptyHash, emptyHash] });
    const response = await get(`/v1/audit/proofs/inclusion?eventId=${eventId}&treeSize=6`);
    expect(response.json()).toEqual({ leafIndex: 5, treeSize: 6, leafHash: emptyHash, path: [emptyHash, emptyHash, emptyHash] });
    expect(gateway.audit.calls[0]!.request).toEqual({ eventId, accessId: '', treeSize: 6 });
    expect((await get(`/v1/audit/proofs/inclusion?accessId=${accessId}`)).json()).toMatchObject({ treeSize: 8 });
    expect(gateway.audit.calls[1]!.request).toEqual({ eventId: '', accessId, treeSize: 0 });
  });

  it.each([
    ['both ids', `eventId=${eventId}&accessId=${accessId}`],
    ['no id', 'treeSize=3'],
    ['an id that is not a uuid', 'eventId=42'],
    ['a size that is not a number', `eventId=${eventId}&treeSize=abc`],
    ['a negative size', `eventId=${eventId}&treeSize=-1`],
  ])('refuses %s with 400', async (_case, query) => {
    const response = await get(`/v1/audit/proofs/inclusion?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gateway.audit.calls).toHaveLength(0);
  });

  it('answers 404 for an entry not (yet) in a checkpointed tree', async () => {
    gateway.audit.answers.inclusionProof = () =>
      grpcFailure(status.NOT_FOUND, 'not in the tree', { kind: 'not-found', code: 'audit.leaf-not-checkpointed' });
    expect((await get(`/v1/audit/proofs/inclusion?eventId=${eventId}`)).statusCode).toBe(404);
  });
});

describe('GET /v1/audit/proofs/consistency', () => {
  it('proves that one size extends another, for a witness too', async () => {
    gateway.audit.answers.consistencyProof = (request) => of({ from: request.from, to: request.to || 9, path: [emptyHash] });
    expect((await get('/v1/audit/proofs/consistency?from=3&to=7', witness)).json()).toEqual({ from: 3, to: 7, path: [emptyHash] });
    expect((await get('/v1/audit/proofs/consistency?from=3')).json()).toEqual({ from: 3, to: 9, path: [emptyHash] });
    expect(gateway.audit.calls.map((call) => call.request)).toEqual([
      { from: 3, to: 7 },
      { from: 3, to: 0 },
    ]);
  });

  it.each(['', 'from=0', 'from=x', 'from=5&to=4', 'from=1&to=y'])('refuses ?%s with 400', async (query) => {
    expect((await get(`/v1/audit/proofs/consistency?${query}`)).statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });
});

describe('GET /v1/audit/leaves', () => {
  it("answers a person's leaves with their bytes and proofs, after logging the read naming them", async () => {
    const response = await get(`/v1/audit/leaves?personId=${personId}&treeSize=4&limit=500&cursor=k`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ treeSize: 4, items: [{ index: 0, leaf: leafBytes, path: [] }], nextCursor: null });
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['recordAccess', 'listLeaves']);
    expect(gateway.audit.calls[0]!.request).toMatchObject({ actor: 'auditor-7', personIds: [personId], route: 'GET /v1/audit/leaves' });
    expect(gateway.audit.calls[1]!.request).toEqual({ personId, streamId: '', all: false, treeSize: 4, limit: 500, cursor: 'k' });
  });

  it("names everyone a stream's events are about, and no one for the whole log", async () => {
    await get(`/v1/audit/leaves?streamId=person-${personId}`);
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['subjectsOf', 'recordAccess', 'listLeaves']);
    expect(gateway.audit.calls[0]!.request).toMatchObject({ streamId: `person-${personId}`, personId: '' });
    expect(gateway.audit.calls[1]!.request).toMatchObject({ personIds: [personId] });
    expect(gateway.audit.calls[2]!.request).toMatchObject({ personId: '', streamId: `person-${personId}`, all: false, limit: 100 });
    gateway.reset();
    await get('/v1/audit/leaves?all=true');
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['recordAccess', 'listLeaves']);
    expect(gateway.audit.calls[0]!.request).toMatchObject({ personIds: [], route: 'GET /v1/audit/leaves' });
    expect(gateway.audit.calls[1]!.request).toMatchObject({ all: true, treeSize: 0 });
  });

  it('gives no leaf when the read cannot be logged (503)', async () => {
    gateway.audit.answers.recordAccess = () => grpcFailure(status.UNAVAILABLE, 'down');
    const response = await get(`/v1/audit/leaves?personId=${personId}`);
    expect(response.statusCode).toBe(503);
    expect(gateway.audit.calls.map((call) => call.method)).toEqual(['recordAccess']);
  });

  it.each([
    ['no selection', ''],
    ['two selections', `personId=${personId}&all=true`],
    ['all=false', 'all=false'],
    ['a person id that is not a uuid', 'personId=someone'],
    ['a size that is not a number', 'all=true&treeSize=ten'],
    ['a page over 1000', 'all=true&limit=1001'],
  ])('refuses %s with 400, logging nothing', async (_case, query) => {
    const response = await get(`/v1/audit/leaves?${query}`);
    expect(response.statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });

  it('answers 404 for a size never checkpointed', async () => {
    gateway.audit.answers.listLeaves = () =>
      grpcFailure(status.NOT_FOUND, 'no such checkpoint', { kind: 'not-found', code: 'audit.checkpoint-unknown' });
    expect((await get('/v1/audit/leaves?all=true&treeSize=3')).statusCode).toBe(404);
  });
});

describe('GET /v1/audit/leaves/manifest', () => {
  it("answers the selection's signed count and digest", async () => {
    const manifest = { treeSize: 4, selection: `person ${personId}`, leaves: 2, digest: emptyHash, note: 'homeward.test/audit bundle\n' };
    gateway.audit.answers.signBundleManifest = () => of(manifest);
    const response = await get(`/v1/audit/leaves/manifest?personId=${personId}&treeSize=4`);
    expect(response.json()).toEqual(manifest);
    expect(gateway.audit.calls[0]).toMatchObject({
      method: 'signBundleManifest',
      request: { personId, streamId: '', all: false, treeSize: 4 },
    });
  });

  it('needs exactly one selection', async () => {
    expect((await get(`/v1/audit/leaves/manifest?streamId=s&all=true`)).statusCode).toBe(400);
    expect(gateway.audit.calls).toHaveLength(0);
  });
});
