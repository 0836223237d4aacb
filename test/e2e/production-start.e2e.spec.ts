// Production is the default: each built service and the gateway, started as a deployment would
// start them but with nothing configured (no NODE_ENV, no HOMEWARD_DEV=1), refuses to start and
// names everything it lacks, before it opens a connection. With the switch, every other test of
// this suite shows development working as before.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { root } from '@homeward/infra/common.mjs';

// Services verify the users' tokens the gateway forwards, so they need the identity provider too.
const serviceNeeds = [
  'JWKS_URL (https)',
  'JWT_ISSUER',
  'mutual TLS for gRPC',
  'KAFKA_SSL=true',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'DATABASE_URL',
  'DATABASE_MIGRATION_URL',
];
const expected: Record<string, string[]> = {
  intake: [...serviceNeeds, 'HOMEWARD_MASTER_KEYS'],
  'identity-documents': [...serviceNeeds, 'HOMEWARD_MASTER_KEYS'],
  legal: [...serviceNeeds, 'HOMEWARD_MASTER_KEYS'],
  notifications: [...serviceNeeds, 'HOMEWARD_MASTER_KEYS'],
  audit: [...serviceNeeds, 'AUDIT_LOG_SIGNER_KEY or AUDIT_LOG_SIGNER_KEY_FILE'],
  gateway: ['JWKS_URL (https)', 'JWT_ISSUER', 'mutual TLS for gRPC'],
};

/** Runs a built main.ts with only PATH and HOME set; answers its exit code and everything it printed. */
function start(service: string): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'services', service, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

describe('a process started with no development switch', () => {
  it.each(Object.keys(expected))(
    '%s refuses to start, naming every setting production needs',
    async (service) => {
      const { code, output } = await start(service);
      expect(code).toBe(1);
      expect(output).toContain(`${service} runs as production (HOMEWARD_DEV=1 is not set) and refuses to start without:`);
      for (const need of expected[service]!) expect(output).toContain(need);
      // It stopped before opening anything: no connection was attempted.
      expect(output).not.toMatch(/ECONNREFUSED|runtime started|listening/);
    },
    30_000,
  ); // a Node start on a loaded machine; the child is killed at 30 s anyway
});
