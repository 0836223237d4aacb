import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cosignerKeyOf, COSIGNATURE_V1, publicKeyOf, ed25519KeyFromSeed, signerKeyOf, verifierKeyOf } from '@homeward/transparency';
import { devLogOrigin, logKeysFromEnv } from './log-signer.js';

const seed = new Uint8Array(32).fill(3);
const key = signerKeyOf('org.example/audit', seed);
const nowhere = path.join(tmpdir(), 'no-such-log-signer.key');

describe('the log key', () => {
  it('comes from AUDIT_LOG_SIGNER_KEY or the file AUDIT_LOG_SIGNER_KEY_FILE names; its name is the origin', () => {
    expect(logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY: key }, nowhere).signer.verifierKey).toBe(
      verifierKeyOf('org.example/audit', publicKeyOf(ed25519KeyFromSeed(seed))),
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'log-signer-')), 'key');
    writeFileSync(file, `${key}\n`);
    expect(logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY_FILE: file }, nowhere).signer.name).toBe('org.example/audit');
  });

  it('is required in production, and never invented there', () => {
    expect(() => logKeysFromEnv({}, nowhere)).toThrow(/AUDIT_LOG_SIGNER_KEY or AUDIT_LOG_SIGNER_KEY_FILE is required in production/);
    expect(logKeysFromEnv({ HOMEWARD_DEV: '1' }, nowhere).signer.name).toBe(devLogOrigin);
  });

  it('refuses a malformed key or a witness key as the log key without printing it', () => {
    expect(() => logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY: key.slice(0, -4) }, nowhere)).toThrow(/not an Ed25519 note signer key/);
    const witnessSigner = signerKeyOf('org.example/audit', seed, COSIGNATURE_V1);
    expect(() => logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY: witnessSigner }, nowhere)).toThrow(/not an Ed25519 note signer key/);
    try {
      logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY: key.slice(0, -4) }, nowhere);
    } catch (error) {
      expect((error as Error).message).not.toContain(key.slice(30, 50));
    }
  });

  it('lists the witnesses whose cosignatures audit accepts, refusing a log key among them', () => {
    const witness = cosignerKeyOf('partner.example/witness', publicKeyOf(ed25519KeyFromSeed(new Uint8Array(32).fill(9))));
    expect(logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY: key, AUDIT_WITNESS_KEYS: `${witness}, ${witness}` }, nowhere).witnesses).toEqual([
      witness,
      witness,
    ]);
    const notWitness = verifierKeyOf('partner.example/witness', publicKeyOf(ed25519KeyFromSeed(seed)));
    expect(() => logKeysFromEnv({ AUDIT_LOG_SIGNER_KEY: key, AUDIT_WITNESS_KEYS: notWitness }, nowhere)).toThrow(
      /AUDIT_WITNESS_KEYS entry 1/,
    );
  });
});
