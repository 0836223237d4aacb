import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { startGateway } from '../testing/gateway-harness.js';

const gatewayRoot = join(import.meta.dirname, '..', '..');
const redocly = join(gatewayRoot, '..', '..', 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

interface LintReport {
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

it("the document the gateway serves passes Redocly's recommended rules (redocly.yaml), warnings included", async () => {
  const gateway = await startGateway();
  const dir = mkdtempSync(join(tmpdir(), 'homeward-openapi-'));
  try {
    const response = await gateway.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    writeFileSync(join(dir, 'openapi.json'), response.body);
    const lint = spawnSync(
      process.execPath,
      [redocly, 'lint', '--config', join(gatewayRoot, 'redocly.yaml'), '--format', 'json', join(dir, 'openapi.json')],
      {
        encoding: 'utf8',
        // No telemetry and no update check: the run needs nothing from outside.
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{'))) as LintReport;
    expect(
      report.problems.map(({ ruleId, severity, message, location }) => `${severity} ${ruleId} at ${location[0]?.pointer}: ${message}`),
    ).toEqual([]);
    expect(lint.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await gateway.close();
  }
}, 60_000);
