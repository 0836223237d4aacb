import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { brokerConfigFromEnv } from './kafka.js';

const dev = { HOMEWARD_DEV: '1' };

describe('brokerConfigFromEnv', () => {
  it('is plain, local Kafka in development unless told otherwise', () => {
    expect(brokerConfigFromEnv('c', dev)).toEqual({ clientId: 'c', brokers: ['127.0.0.1:9092'] });
    expect(brokerConfigFromEnv('c', { ...dev, KAFKA_BROKERS: 'a:9093, b:9093', KAFKA_SSL: 'false' })).toEqual({
      clientId: 'c',
      brokers: ['a:9093', 'b:9093'],
    });
  });

  it('refuses plaintext or unauthenticated Kafka in production (no HOMEWARD_DEV=1), whatever NODE_ENV says', () => {
    expect(() => brokerConfigFromEnv('c', {})).toThrow(/TLS with SASL/);
    expect(() => brokerConfigFromEnv('c', { NODE_ENV: 'development', KAFKA_SSL: 'true' })).toThrow(/TLS with SASL/);
  });

  it('reads TLS and SASL/SCRAM for a production cluster', () => {
    const env = {
      KAFKA_BROKERS: 'k1:9094',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'intake',
      KAFKA_SASL_PASSWORD: 'pw',
    };
    expect(brokerConfigFromEnv('c', env)).toEqual({
      clientId: 'c',
      brokers: ['k1:9094'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'intake', password: 'pw' },
    });
  });

  it('trusts a private CA from a file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kafka-ca-')), 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    expect(brokerConfigFromEnv('c', { ...dev, KAFKA_SSL_CA_FILE: file }).ssl).toEqual({
      ca: ['-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n'],
    });
  });

  it('refuses incomplete or unsafe settings', () => {
    expect(() => brokerConfigFromEnv('c', { ...dev, KAFKA_SSL: 'yes' })).toThrow(/true or false/);
    expect(() =>
      brokerConfigFromEnv('c', { ...dev, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
    ).toThrow(/scram-sha-256/);
    expect(() => brokerConfigFromEnv('c', { ...dev, KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' })).toThrow(
      /KAFKA_SASL_PASSWORD/,
    );
    expect(() =>
      brokerConfigFromEnv('c', { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
    ).toThrow(/TLS with SASL/);
  });

  it('never puts the password in an error message', () => {
    const error = (() => {
      try {
        brokerConfigFromEnv('c', {
          KAFKA_SASL_MECHANISM: 'scram-sha-256',
          KAFKA_SASL_USERNAME: 'u',
          KAFKA_SASL_PASSWORD: 'hunter2-secret',
        });
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).not.toContain('hunter2-secret');
  });
});
