// The transparency log of a real audit service (PostgreSQL and Kafka): copied events and access
// entries become leaves in the order they were stored; checkpoints are signed notes whose roots
// match a tree rebuilt independently from the stored rows; inclusion and consistency proofs verify;
// witnesses not on the list are refused. Invented people only.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventEnvelope } from '@homeward/messaging';
import { eventually } from '@homeward/testing';
import {
  cosignNote,
  cosignerKeyOf,
  ed25519KeyFromSeed,
  leafHash,
  openNote,
  parseCheckpoint,
  publicKeyOf,
  rootOf,
  signerKeyOf,
  parseSignerKey,
  verifyConsistency,
  verifyInclusion,
} from '@homeward/transparency';
import { v7 as uuidv7 } from 'uuid';
import { TransparencyLog1764000000700 } from '../migrations.js';
import type { AuditTestClient } from '../testing/audit-client.js';
import { startAuditHarness, type AuditHarness } from '../testing/audit-harness.js';
import { chain, intakeStory, newPersonId } from '../testing/events.js';

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

describe('the transparency log', () => {
  let audit: AuditHarness;
  let client: AuditTestClient;
  const signer = parseSignerKey(signerKeyOf('homeward.test/audit', randomBytes(32)))!;
  const witnessSeed = randomBytes(32);
  const witnessKey = ed25519KeyFromSeed(witnessSeed);
  const witness = cosignerKeyOf('partner.test/witness', publicKeyOf(witnessKey));

  const sql = <T>(text: string, parameters: unknown[] = []) => audit.sql<T>(text, parameters);
  const publish = (context: string, ...events: EventEnvelope[]) => audit.publish(context, ...events);
  const logged = (ids: string[]) =>
    eventually(
      () => sql<{ n: string }>(`SELECT count(*) AS n FROM tlog_leaves WHERE entry_id = ANY($1::uuid[])`, [ids]),
      ([row]) => Number(row!.n) === ids.length,
      { what: 'entries logged' },
    );
  const access = (personIds: string[], actor = 'auditor-1') =>
    client.recordAccess({
      actor,
      roles: ['auditor'],
      personId: '',
      personIds,
      fields: ['status'],
      at: new Date().toISOString(),
      correlationId: uuidv7(),
      route: 'GET /v1/people/:personId',
    });

  const personA = newPersonId();
  const personB = newPersonId();
  const storyA = intakeStory(personA);
  const storyB = intakeStory(personB);

  beforeAll(async () => {
    audit = await startAuditHarness('tlog_int', { logKeys: { signer, witnesses: [witness] }, checkpointIntervalMs: 60_000 });
    client = audit.client;
    await publish('intake', ...storyA);
    await logged(storyA.map((event) => event.eventId));
    await access([personA]);
    await publish('intake', ...storyB);
    await logged(storyB.map((event) => event.eventId));
  }, 90_000);

  afterAll(() => audit?.stop());

  /** Every leaf's bytes as the bundle gives them, read through ListLeaves at a size. */
  async function allLeaves(treeSize: number) {
    const leaves: Array<{ index: number; bytes: string; path: string[] }> = [];
    let cursor = '';
    do {
      const page = await client.listLeaves({ personId: '', streamId: '', all: true, treeSize, limit: 2, cursor });
      leaves.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return leaves;
  }

  it('logs copied events and access entries in the order audit stored them, each once, as signed checkpoints cover them', async () => {
    const key = await client.getLogKey({});
    expect(key).toEqual({ origin: 'homeward.test/audit', verifierKey: signer.verifierKey, witnessKeys: [witness] });
    const checkpoint = await client.issueCheckpoint({});
    expect(checkpoint.treeSize).toBe(storyA.length + 1 + storyB.length);

    const opened = openNote(checkpoint.note, [key.verifierKey]);
    expect(opened.ok).toBe(true);
    const body = parseCheckpoint(opened.ok ? opened.body : '');
    expect(body.ok && body.checkpoint).toEqual({
      origin: 'homeward.test/audit',
      size: checkpoint.treeSize,
      rootHash: bytes(checkpoint.rootHash),
    });

    const leaves = await allLeaves(checkpoint.treeSize);
    expect(leaves.map((leaf) => leaf.index)).toEqual([...Array(checkpoint.treeSize).keys()]);
    const entries = leaves.map((leaf) => JSON.parse(leaf.bytes) as { kind: string; entry: { eventId?: string; personIds?: string[] } });
    expect(entries.map((e) => e.entry.eventId ?? `access:${e.entry.personIds}`)).toEqual([
      ...storyA.map((event) => event.eventId),
      `access:${personA}`,
      ...storyB.map((event) => event.eventId),
    ]);
    // The leaf is the event as published, canonical JSON; the root is rebuilt here from those bytes alone.
    expect(entries[0]).toEqual({ kind: 'event', entry: storyA[0] });
    expect(leaves[0]!.bytes).toBe(JSON.stringify(JSON.parse(leaves[0]!.bytes))); // no white space
    expect(Buffer.from(rootOf(leaves.map((leaf) => leafHash(Buffer.from(leaf.bytes, 'utf8'))))).toString('base64')).toBe(
      checkpoint.rootHash,
    );
    for (const leaf of leaves) {
      expect(
        verifyInclusion(
          leafHash(Buffer.from(leaf.bytes)),
          leaf.index,
          checkpoint.treeSize,
          leaf.path.map(bytes),
          bytes(checkpoint.rootHash),
        ),
      ).toBe(true);
    }
    // Issued again without growth: the same checkpoint.
    expect((await client.issueCheckpoint({})).treeSize).toBe(checkpoint.treeSize);
  });

  it('proves an event and an access entry included, and each checkpoint consistent with the last', async () => {
    const first = await client.issueCheckpoint({});
    const { accessId } = await access([personB]);
    const later = chain('intake', `person-${newPersonId()}`, newPersonId(), [{ type: 'PersonRegistered', data: { note: 'marker' } }]);
    await publish('intake', ...later);
    await logged([accessId, later[0]!.eventId]);
    const second = await client.issueCheckpoint({});
    expect(second.treeSize).toBe(first.treeSize + 2);

    for (const request of [
      { eventId: storyB[1]!.eventId, accessId: '' },
      { eventId: '', accessId },
    ]) {
      const proof = await client.inclusionProof({ ...request, treeSize: 0 });
      expect(proof.treeSize).toBe(second.treeSize);
      expect(verifyInclusion(bytes(proof.leafHash), proof.leafIndex, proof.treeSize, proof.path.map(bytes), bytes(second.rootHash))).toBe(
        true,
      );
    }
    // Not yet in the older tree: refused, never a proof over nothing.
    await expect(client.inclusionProof({ eventId: '', accessId, treeSize: first.treeSize })).rejects.toThrow(/not in the tree/);
    await expect(client.inclusionProof({ eventId: 'not-a-uuid', accessId: '', treeSize: 0 })).rejects.toThrow(/exactly one/);

    const consistency = await client.consistencyProof({ from: first.treeSize, to: second.treeSize });
    expect(
      verifyConsistency(first.treeSize, second.treeSize, consistency.path.map(bytes), bytes(first.rootHash), bytes(second.rootHash)),
    ).toBe(true);
    await expect(client.consistencyProof({ from: second.treeSize + 5, to: 0 })).rejects.toThrow(/at most to/);
    await expect(client.consistencyProof({ from: 1, to: second.treeSize + 1000 })).rejects.toThrow(/not reached/);

    const history = await client.listCheckpoints({ limit: 1, cursor: '' });
    expect(history.items.map((c) => c.treeSize)).toEqual([second.treeSize]);
    const older = await client.listCheckpoints({ limit: 10, cursor: history.nextCursor });
    expect(older.items.map((c) => c.treeSize)).toContain(first.treeSize);
  });

  it("lists a person's leaves (their events and the reads that named them) and signs the selection's manifest", async () => {
    const checkpoint = await client.issueCheckpoint({});
    const page = await client.listLeaves({
      personId: personA,
      streamId: '',
      all: false,
      treeSize: checkpoint.treeSize,
      limit: 100,
      cursor: '',
    });
    const kinds = page.items.map((leaf) => (JSON.parse(leaf.bytes) as { kind: string }).kind);
    expect(kinds).toEqual(['event', 'event', 'event', 'access']);
    const manifest = await client.signBundleManifest({
      personId: personA,
      streamId: '',
      all: false,
      treeSize: checkpoint.treeSize,
      limit: 0,
      cursor: '',
    });
    const digest = Buffer.from(
      await crypto.subtle.digest('SHA-256', Buffer.concat(page.items.map((leaf) => leafHash(Buffer.from(leaf.bytes))))),
    ).toString('base64');
    expect(manifest).toEqual(expect.objectContaining({ treeSize: checkpoint.treeSize, selection: `person ${personA}`, leaves: 4, digest }));
    const opened = openNote(manifest.note, [signer.verifierKey]);
    expect(opened.ok && opened.body).toBe(
      `homeward-bundle/v1\nhomeward.test/audit\n${checkpoint.treeSize}\nperson ${personA}\n4\n${digest}\n`,
    );
    await expect(client.listLeaves({ personId: personA, streamId: 'x', all: false, treeSize: 0, limit: 0, cursor: '' })).rejects.toThrow(
      /exactly one/,
    );
  });

  it('keeps the cosignature of a listed witness, and refuses one not listed or not verifying', async () => {
    const checkpoint = await client.issueCheckpoint({});
    const cosigned = cosignNote(checkpoint.note, 'partner.test/witness', witnessKey, 1_767_000_000);
    const line = cosigned.slice(checkpoint.note.length);
    const stored = await client.addCosignature({ treeSize: checkpoint.treeSize, signatureLine: line });
    expect(stored.cosigners).toEqual(['partner.test/witness']);
    expect(openNote(stored.note, [signer.verifierKey, witness])).toEqual(
      expect.objectContaining({ ok: true, signers: expect.arrayContaining([expect.objectContaining({ name: 'partner.test/witness' })]) }),
    );
    expect((await client.latestCheckpoint({})).note).toBe(stored.note);

    const stranger = ed25519KeyFromSeed(randomBytes(32));
    const strangerLine = cosignNote(checkpoint.note, 'partner.test/witness', stranger, 1_767_000_000).slice(checkpoint.note.length);
    await expect(client.addCosignature({ treeSize: checkpoint.treeSize, signatureLine: strangerLine })).rejects.toThrow(
      /not one the log accepts/,
    );
    const [older] = (await client.listCheckpoints({ limit: 10, cursor: '' })).items.filter((c) => c.treeSize < checkpoint.treeSize);
    await expect(client.addCosignature({ treeSize: older!.treeSize, signatureLine: line })).rejects.toThrow(/does not verify/);
    await expect(client.addCosignature({ treeSize: checkpoint.treeSize, signatureLine: 'not a line' })).rejects.toThrow(/signature line/);
  });

  it('gives every leaf one index under concurrent appends from the copy and the access log', async () => {
    const before = await client.issueCheckpoint({});
    const people = Array.from({ length: 20 }, () => newPersonId());
    const stories = people.map((person) => intakeStory(person));
    const [accessIds] = await Promise.all([
      Promise.all(people.map((person) => access([person]).then((answer) => answer.accessId))),
      Promise.all(stories.map((story) => publish('intake', ...story))),
    ]);
    await logged([...accessIds, ...stories.flat().map((event) => event.eventId)]);
    const after = await client.issueCheckpoint({});
    expect(after.treeSize).toBe(before.treeSize + people.length * 4);
    const leaves = await allLeaves(after.treeSize);
    expect(leaves.map((leaf) => leaf.index)).toEqual([...Array(after.treeSize).keys()]);
    expect(Buffer.from(rootOf(leaves.map((leaf) => leafHash(Buffer.from(leaf.bytes))))).toString('base64')).toBe(after.rootHash);
    // The evidence tables refuse change to the runtime role and to a plain UPDATE alike.
    await expect(sql(`UPDATE tlog_nodes SET hash = '\\x00' WHERE level = 0 AND idx = 0`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM tlog_checkpoints`)).rejects.toThrow(/append-only/);
  }, 60_000);

  // Last: it replaces the log. What audit stored before the log existed becomes its leaves, in the order stored.
  it('logs, when migrating, every event and access entry stored before the log existed', async () => {
    const [stored] = await sql<{ events: string; accesses: string }>(
      `SELECT (SELECT count(*) FROM audit_events) AS events, (SELECT count(*) FROM access_log) AS accesses`,
    );
    const runner = audit.service.runtime.dataSource.createQueryRunner();
    try {
      await new TransparencyLog1764000000700().down(runner);
      await new TransparencyLog1764000000700().up(runner);
    } finally {
      await runner.release();
    }
    const checkpoint = await client.issueCheckpoint({});
    expect(checkpoint.treeSize).toBe(Number(stored!.events) + Number(stored!.accesses));
    const leaves = await allLeaves(checkpoint.treeSize);
    expect(leaves.map((leaf) => leaf.index)).toEqual([...Array(checkpoint.treeSize).keys()]);
    expect(Buffer.from(rootOf(leaves.map((leaf) => leafHash(Buffer.from(leaf.bytes))))).toString('base64')).toBe(checkpoint.rootHash);
  }, 60_000);
});
