// Signed notes, cosignatures and checkpoints, against the vector published with Go's sumdb/note.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { checkpointBody, parseCheckpoint } from './checkpoint.js';
import { leafHash, rootOf } from './merkle.js';
import {
  COSIGNATURE_V1,
  cosignerKeyOf,
  cosignNote,
  ed25519KeyFromSeed,
  keyIdOf,
  NOTE_ED25519,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  publicKeyOf,
  signerKeyOf,
  signNote,
  verifierKeyOf,
} from './signed-note.js';

// golang.org/x/mod/sumdb/note example_test.go: the signer key PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 || seed)>.
const goSeed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const goVerifierKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const goNote = `${goText}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const keyPair = () => generateKeyPairSync('ed25519').privateKey;
const log = keyPair();
const logKey = verifierKeyOf('homeward.example/audit', publicKeyOf(log));
const rootHash = rootOf(['a', 'b', 'c'].map((s) => leafHash(Buffer.from(s))));
const body = checkpointBody({ origin: 'homeward.example/audit', size: 3, rootHash });

describe('signed notes (C2SP signed-note)', () => {
  describe('given the key and note published with Go’s sumdb/note', () => {
    const goKey = ed25519KeyFromSeed(goSeed);
    it('then the verifier key is the published one', () => expect(verifierKeyOf('PeterNeumann', publicKeyOf(goKey))).toBe(goVerifierKey));
    it('then signing gives the published note, byte for byte', () => expect(signNote(goText, 'PeterNeumann', goKey)).toBe(goNote));
    it('then opening answers the text and the signer', () => {
      expect(openNote(goNote, [goVerifierKey])).toEqual({
        ok: true,
        body: goText,
        signers: [{ name: 'PeterNeumann', keyId: 'c74f20a3', type: NOTE_ED25519 }],
        ignored: 0,
      });
    });
  });

  describe('given a checkpoint signed by the log', () => {
    const note = signNote(body, 'homeward.example/audit', log);
    it('then it opens with the log’s key and its body parses back', () => {
      const opened = openNote(note, [logKey]);
      expect(opened.ok && opened.body).toBe(body);
      const checkpoint = { origin: 'homeward.example/audit', size: 3, rootHash };
      expect(opened.ok && parseCheckpoint(opened.body)).toEqual({ ok: true, checkpoint });
    });
    it('then another key of the same name does not open it: its signature is ignored as unknown', () => {
      const stranger = verifierKeyOf('homeward.example/audit', publicKeyOf(keyPair()));
      expect(openNote(note, [stranger])).toMatchObject({ ok: false, code: 'unverified-note' });
    });
    it('then a modified body is refused', () => {
      expect(openNote(note.replace('\n3\n', '\n4\n'), [logKey])).toMatchObject({ ok: false, code: 'invalid-signature' });
    });
    it('then a signature line under the right name with a wrong key id is ignored, and the log’s own still counts', () => {
      const forged = signNote(body, 'homeward.example/audit', keyPair()).slice(body.length + 1);
      expect(openNote(`${note}${forged}`, [logKey])).toMatchObject({ ok: true, ignored: 1 });
      expect(openNote(`${body}\n${forged}`, [logKey])).toMatchObject({ ok: false, code: 'unverified-note' });
    });
    it('then a known key id and name with a signature that does not verify refuses the whole note', () => {
      const line = note.slice(body.length + 1);
      const bytes = Buffer.from(line.trim().split(' ')[2]!, 'base64');
      bytes[10] = bytes[10]! ^ 1;
      const broken = `— homeward.example/audit ${bytes.toString('base64')}\n`;
      expect(openNote(`${note}${broken}`.replace(line, broken), [logKey])).toMatchObject({ ok: false, code: 'invalid-signature' });
    });
    it.each([
      ['no blank line', body],
      ['no signature', `${body}\n`],
      ['a hyphen for the em dash', note.replace('—', '-')],
      ['a short signature', `${note}— homeward.example/audit AAAA\n`],
      ['non-canonical base64', `${note}— x AAAAAAAB\n`.replace('AAAAAAAB', 'AAAAAAB=')],
      ['a control character', note.replace('homeward', 'home\tward')],
      ['no final newline', note.slice(0, -1)],
    ])('then a note with %s is malformed', (_, text) => {
      expect(openNote(text, [logKey])).toMatchObject({ ok: false, code: 'malformed-note' });
    });
    it('then a malformed verifier key is refused', () => {
      const wrongId = logKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
      expect(openNote(note, [wrongId])).toMatchObject({ ok: false, code: 'malformed-verifier-key' });
      expect(parseVerifierKey('a+b')).toBeNull();
    });
  });

  describe('given a witness cosigning the log’s checkpoint (C2SP tlog-cosignature/v1)', () => {
    const witness = keyPair();
    const witnessKey = cosignerKeyOf('witness.example/w1', publicKeyOf(witness));
    const cosigned = cosignNote(signNote(body, 'homeward.example/audit', log), 'witness.example/w1', witness, 1679315147);
    it('then the key id uses the cosignature type byte 0x04, and the signature carries the time', () => {
      expect(witnessKey.split('+')[1]).toBe(Buffer.from(keyIdOf('witness.example/w1', 0x04, publicKeyOf(witness))).toString('hex'));
      const bytes = Buffer.from(cosigned.trim().split('\n').pop()!.split(' ')[2]!, 'base64');
      expect(bytes.length).toBe(4 + 8 + 64);
      expect(bytes.readBigUInt64BE(4)).toBe(1679315147n);
    });
    it('then log and witness both verify, and the witness answers its time', () => {
      expect(openNote(cosigned, [logKey, witnessKey])).toMatchObject({
        ok: true,
        signers: [{ name: 'homeward.example/audit' }, { name: 'witness.example/w1', type: 0x04, timestamp: 1679315147 }],
      });
    });
    it('then the witness key as a plain note key (type 0x01) does not match its cosignature', () => {
      const asNoteKey = verifierKeyOf('witness.example/w1', publicKeyOf(witness));
      expect(openNote(cosigned, [asNoteKey])).toMatchObject({ ok: false, code: 'unverified-note' });
    });
    it('then a changed time is refused', () => {
      const line = cosigned.trim().split('\n').pop()!;
      const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
      bytes.writeBigUInt64BE(1679315148n, 4);
      const moved = cosigned.replace(line, `— witness.example/w1 ${bytes.toString('base64')}`);
      expect(openNote(moved, [witnessKey])).toMatchObject({ ok: false, code: 'invalid-signature' });
    });
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  it('given the spec’s example, then it parses and prints back', () => {
    const example = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    const parsed = parseCheckpoint(example);
    expect(parsed).toMatchObject({ ok: true, checkpoint: { origin: 'example.com/behind-the-sofa', size: 20852163 } });
    expect(parsed.ok && checkpointBody(parsed.checkpoint)).toBe(example);
    expect(parseCheckpoint(`${example}ext\n`)).toMatchObject({ ok: true, checkpoint: { extensions: ['ext'] } });
  });
  it.each([
    ['a leading zero', 'o\n07\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n'],
    ['a short hash', 'o\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n'],
    ['no root', 'o\n7\n'],
    ['an empty extension line', 'o\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\nx\n'],
    ['no final newline', 'o\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I='],
  ])('given %s, then it is malformed', (_, text) => {
    expect(parseCheckpoint(text)).toMatchObject({ ok: false, code: 'malformed-checkpoint' });
  });
});

describe('signer keys', () => {
  const seed = new Uint8Array(32).fill(7);

  it('round-trips a log key and a witness key, their verifier keys matching', () => {
    for (const type of [NOTE_ED25519, COSIGNATURE_V1] as const) {
      const text = signerKeyOf('homeward.test/audit', seed, type);
      expect(text).toMatch(/^PRIVATE\+KEY\+homeward\.test\/audit\+[0-9a-f]{8}\+/);
      const key = parseSignerKey(text)!;
      expect(key.type).toBe(type);
      const publicKey = publicKeyOf(ed25519KeyFromSeed(seed));
      expect(key.verifierKey).toBe(
        type === NOTE_ED25519 ? verifierKeyOf('homeward.test/audit', publicKey) : cosignerKeyOf('homeward.test/audit', publicKey),
      );
    }
  });

  it('signs notes the verifier key opens', () => {
    const key = parseSignerKey(signerKeyOf('homeward.test/audit', seed))!;
    const opened = openNote(signNote('hello\n', key.name, key.privateKey), [key.verifierKey]);
    expect(opened.ok).toBe(true);
  });

  it('refuses a key whose id does not match, or that is not a signer key', () => {
    const text = signerKeyOf('homeward.test/audit', seed);
    const id = text.split('+')[3];
    expect(parseSignerKey(text.replace(`+${id}+`, '+00000000+'))).toBeNull();
    expect(parseSignerKey(text.replace('PRIVATE+KEY+', ''))).toBeNull();
    expect(parseSignerKey('PRIVATE+KEY+name')).toBeNull();
  });
});
