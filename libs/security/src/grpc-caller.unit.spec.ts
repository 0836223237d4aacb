import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { devGrpcCallerSecret, grpcCallerAuthFromEnv, secretMatches } from './grpc-caller.js';

const secret = 's'.repeat(40);

describe('grpcCallerAuthFromEnv', () => {
  it('takes GRPC_CALLER_SECRET when set, in development', () => {
    expect(grpcCallerAuthFromEnv({ HOMEWARD_DEV: '1', GRPC_CALLER_SECRET: secret })).toEqual({ secret });
  });

  it('refuses a short secret', () => {
    expect(() => grpcCallerAuthFromEnv({ HOMEWARD_DEV: '1', GRPC_CALLER_SECRET: 'short' })).toThrow(/at least 32/);
  });

  it('refuses to start in production (no HOMEWARD_DEV=1) without mutual TLS: a shared secret alone is not enough', () => {
    expect(() => grpcCallerAuthFromEnv({})).toThrow(/mutual TLS/);
    expect(() => grpcCallerAuthFromEnv({ NODE_ENV: 'development', GRPC_CALLER_SECRET: secret })).toThrow(/mutual TLS/);
  });

  it('reads the three TLS files, and only all three', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'grpc-tls-'));
    for (const name of ['ca', 'cert', 'key']) writeFileSync(path.join(dir, name), `${name}-pem`);
    const files = { GRPC_TLS_CA: path.join(dir, 'ca'), GRPC_TLS_CERT: path.join(dir, 'cert'), GRPC_TLS_KEY: path.join(dir, 'key') };
    const auth = grpcCallerAuthFromEnv(files);
    expect(auth.secret).toBeUndefined();
    expect(auth.tls?.cert.toString()).toBe('cert-pem');
    expect(() => grpcCallerAuthFromEnv({ HOMEWARD_DEV: '1', GRPC_TLS_CA: files.GRPC_TLS_CA })).toThrow(/together/);
  });
});

describe('devGrpcCallerSecret', () => {
  it('makes a random secret once and returns the same one afterwards', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'grpc-secret-')), 'dev', 'grpc-caller.secret');
    const first = devGrpcCallerSecret(file);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(devGrpcCallerSecret(file)).toBe(first);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });
});

describe('secretMatches', () => {
  it('matches the same secret only', () => {
    expect(secretMatches(secret, secret)).toBe(true);
    expect(secretMatches(secret, `${secret}x`)).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
  });
});
