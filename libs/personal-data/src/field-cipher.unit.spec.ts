import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { bindingOf, decryptValue, encryptValue, isCiphertext, unwrapKey, wrapKey } from './field-cipher.js';
import { masterKeysFromEnv, newMasterKeyEntry, parseMasterKeys } from './master-keys.js';

const name = 'Ales Inventovich';
const key = () => randomBytes(32);

describe('encrypting one personal value', () => {
  it('given a data key, when a name is encrypted, then the text hides it and decrypts back', () => {
    const dataKey = key();
    const text = encryptValue(dataKey, name);
    expect(isCiphertext(text)).toBe(true);
    expect(text).not.toContain('Ales');
    expect(decryptValue(dataKey, text)).toEqual({ readable: true, value: name });
  });

  it('given the same value twice, then the texts differ (a random IV per value)', () => {
    const dataKey = key();
    expect(encryptValue(dataKey, name)).not.toBe(encryptValue(dataKey, name));
  });

  it('given a tampered text, then it is corrupt, not an exception', () => {
    const dataKey = key();
    const text = encryptValue(dataKey, name);
    const raw = Buffer.from(text.slice('enc:v1:'.length), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(decryptValue(dataKey, `enc:v1:${raw.toString('base64url')}`)).toEqual({ readable: false, reason: 'corrupt' });
    expect(decryptValue(dataKey, 'enc:v1:AAAA')).toEqual({ readable: false, reason: 'corrupt' });
  });

  it('given another key, then it is corrupt', () => {
    expect(decryptValue(key(), encryptValue(key(), name))).toEqual({ readable: false, reason: 'corrupt' });
  });

  it('given no key (the person was forgotten), then it is forgotten', () => {
    expect(decryptValue(undefined, encryptValue(key(), name))).toEqual({ readable: false, reason: 'forgotten' });
  });

  it('keeps "" as "" (unknown), and passes a value written before encryption through', () => {
    expect(encryptValue(key(), '')).toBe('');
    expect(decryptValue(undefined, 'plain')).toEqual({ readable: true, value: 'plain' });
  });
});

describe('wrapping a data key', () => {
  it('unwraps with the same master key and owner only', () => {
    const master = key();
    const dataKey = key();
    const wrapped = wrapKey(master, 'person-1', dataKey);
    expect(unwrapKey(master, 'person-1', wrapped)).toEqual(dataKey);
    expect(unwrapKey(master, 'person-2', wrapped)).toBeUndefined();
    expect(unwrapKey(key(), 'person-1', wrapped)).toBeUndefined();
  });
});

describe('master keys from configuration', () => {
  it('takes the first as current and keeps the others for unwrapping', () => {
    const keys = parseMasterKeys(`${newMasterKeyEntry('k2')},${newMasterKeyEntry('k1')}`);
    expect(keys.current.id).toBe('k2');
    expect([...keys.byId.keys()]).toEqual(['k2', 'k1']);
  });

  it('refuses a short key, a missing id and a repeated id, without quoting the key', () => {
    const short = Buffer.alloc(16).toString('base64');
    expect(() => parseMasterKeys(`k1:${short}`)).toThrow(/32 bytes/);
    expect(() => parseMasterKeys(`k1:${short}`)).not.toThrow(short);
    expect(() => parseMasterKeys(Buffer.alloc(32).toString('base64'))).toThrow(/entry 1/);
    const entry = newMasterKeyEntry('k1');
    expect(() => parseMasterKeys(`${entry},${entry}`)).toThrow(/twice/);
  });

  it('is required unless HOMEWARD_DEV=1 (whatever NODE_ENV says), and random but stable for one process in development', () => {
    expect(() => masterKeysFromEnv({})).toThrow(/required in production/);
    expect(() => masterKeysFromEnv({ NODE_ENV: 'development' })).toThrow(/required in production/);
    const dev = { HOMEWARD_DEV: '1' };
    expect(masterKeysFromEnv(dev, '/nonexistent').current.key).toEqual(masterKeysFromEnv(dev, '/nonexistent').current.key);
    expect(masterKeysFromEnv({ HOMEWARD_MASTER_KEYS: newMasterKeyEntry('given') }).current.id).toBe('given');
  });

  it('reads the development key file outside production, never in production', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'homeward-keys-')), 'master-keys');
    writeFileSync(file, `${newMasterKeyEntry('dev-7')}\n`);
    expect(masterKeysFromEnv({ HOMEWARD_DEV: '1' }, file).current.id).toBe('dev-7');
    expect(() => masterKeysFromEnv({}, file)).toThrow(/required in production/);
  });
});

describe('a value bound to its owner and field (enc:v2)', () => {
  const dataKey = key();
  const text = encryptValue(dataKey, name, bindingOf('person-a', 'fullName'));

  it('decrypts with the same owner and field', () => {
    expect(text.startsWith('enc:v2:')).toBe(true);
    expect(decryptValue(dataKey, text, bindingOf('person-a', 'fullName'))).toEqual({ readable: true, value: name });
  });
  it('does not decrypt once moved to another person, even under the same key', () =>
    expect(decryptValue(dataKey, text, bindingOf('person-b', 'fullName'))).toEqual({ readable: false, reason: 'corrupt' }));
  it('does not decrypt once moved to another field', () =>
    expect(decryptValue(dataKey, text, bindingOf('person-a', 'account'))).toEqual({ readable: false, reason: 'corrupt' }));
  it('does not decrypt without a binding', () => expect(decryptValue(dataKey, text)).toEqual({ readable: false, reason: 'corrupt' }));
  it('still reads an unbound enc:v1 value written before', () =>
    expect(decryptValue(dataKey, encryptValue(dataKey, name), bindingOf('person-a', 'fullName'))).toEqual({ readable: true, value: name }));
});
