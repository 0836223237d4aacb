import { describe, expect, it } from '@jest/globals';
import { isDevelopment, missingForProduction, requireProductionSettings } from './deployment.js';

const service = { personalData: true, kafka: true, databaseUrls: ['DATABASE_URL'] };
const complete = {
  GRPC_TLS_CA: '/etc/homeward/ca.pem',
  GRPC_TLS_CERT: '/etc/homeward/intake.pem',
  GRPC_TLS_KEY: '/etc/homeward/intake.key',
  HOMEWARD_MASTER_KEYS: 'k1:base64',
  KAFKA_SSL: 'true',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'intake',
  KAFKA_SASL_PASSWORD: 'not-a-real-one',
  DATABASE_URL: 'postgres://intake_app:pw@db:5432/homeward_intake?sslmode=verify-full',
};

describe('the development switch', () => {
  it('is HOMEWARD_DEV=1 and nothing else: NODE_ENV never turns production off', () => {
    expect(isDevelopment({ HOMEWARD_DEV: '1' })).toBe(true);
    for (const env of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { HOMEWARD_DEV: 'true' }, { HOMEWARD_DEV: '0' }])
      expect(isDevelopment(env)).toBe(false);
  });
});

describe('what production needs', () => {
  it('names every missing setting of a service at once, never a value', () => {
    expect(missingForProduction(service, {})).toEqual([
      'mutual TLS for gRPC (GRPC_TLS_CA, GRPC_TLS_CERT, GRPC_TLS_KEY)',
      'HOMEWARD_MASTER_KEYS',
      'KAFKA_SSL=true',
      'KAFKA_SASL_MECHANISM',
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD',
      'DATABASE_URL (with sslmode=verify-full)',
    ]);
    expect(missingForProduction(service, complete)).toEqual([]);
  });

  it('refuses a database URL without TLS or without a password, and a shared gRPC secret alone', () => {
    expect(missingForProduction(service, { ...complete, DATABASE_URL: 'postgres://postgres@db:5432/homeward_intake' })).toEqual([
      'DATABASE_URL with TLS (sslmode=verify-full, or require / verify-ca)',
    ]);
    expect(missingForProduction(service, { ...complete, DATABASE_URL: 'postgres://intake_app@db:5432/x?sslmode=require' })).toEqual([
      'DATABASE_URL with a password',
    ]);
    const { GRPC_TLS_KEY: _key, ...secretOnly } = { ...complete, GRPC_CALLER_SECRET: 's'.repeat(40) };
    expect(missingForProduction(service, secretOnly)).toEqual(['mutual TLS for gRPC (GRPC_TLS_KEY)']);
  });

  it("asks audit for the log's signing key, inline or as a file", () => {
    expect(missingForProduction({ signsLog: true }, complete)).toEqual(['AUDIT_LOG_SIGNER_KEY or AUDIT_LOG_SIGNER_KEY_FILE']);
    expect(missingForProduction({ signsLog: true }, { ...complete, AUDIT_LOG_SIGNER_KEY_FILE: '/run/secrets/log-signer' })).toEqual([]);
  });

  it('asks the gateway for a JWKS over https and an issuer', () => {
    expect(missingForProduction({ verifiesTokens: true }, { ...complete, JWKS_URL: 'http://id.example/jwks' })).toEqual([
      'JWKS_URL (https)',
      'JWT_ISSUER',
    ]);
  });

  it('refuses to start naming what is missing, and lets development through', () => {
    expect(() => requireProductionSettings('intake', service, { NODE_ENV: 'development' })).toThrow(
      /intake runs as production \(HOMEWARD_DEV=1 is not set\) and refuses to start without: mutual TLS/,
    );
    expect(() => requireProductionSettings('intake', service, { HOMEWARD_DEV: '1' })).not.toThrow();
    expect(() => requireProductionSettings('intake', service, complete)).not.toThrow();
    try {
      requireProductionSettings('intake', service, { ...complete, DATABASE_URL: 'postgres://u:hunter2@db/x' });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
