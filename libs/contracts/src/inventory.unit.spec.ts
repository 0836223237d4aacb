// The inventory of personal data: the build refuses a field without a privacy class, and the
// classes the code relies on are the ones proto/ declares.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { inventory } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, '../scripts/inventory.mjs');
const scratch = mkdtempSync(path.join(tmpdir(), 'homeward-inventory-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the build's check on a proto tree holding privacy.proto and one file of ours. */
function check(name: string, body: string) {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'homeward/common/v1'), { recursive: true });
  mkdirSync(path.join(dir, 'homeward/sample/v1'), { recursive: true });
  copyFileSync(path.join(here, '../../../proto/homeward/common/v1/privacy.proto'), path.join(dir, 'homeward/common/v1/privacy.proto'));
  writeFileSync(path.join(dir, 'buf.yaml'), 'version: v2\nmodules:\n  - path: .\n');
  writeFileSync(
    path.join(dir, 'homeward/sample/v1/sample.proto'),
    `syntax = "proto3";\npackage homeward.sample.v1;\nimport "homeward/common/v1/privacy.proto";\n${body}\n`,
  );
  const out = path.join(dir, 'inventory.ts');
  const run = spawnSync(process.execPath, [script, dir, out], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('the inventory check of the contracts build', () => {
  it('passes when every field is classified', () => {
    const result = check(
      'complete',
      'message Noted {\n  string person_id = 1 [(common.v1.privacy) = PRIVACY_OPERATIONAL];\n' +
        '  string note = 2 [(common.v1.privacy) = PRIVACY_PERSONAL];\n}',
    );
    expect(result).toEqual({ status: 0, stderr: '' });
  });

  it('fails the build on a field added without a class, naming it', () => {
    const result = check(
      'unclassified',
      'message Noted {\n  string person_id = 1 [(common.v1.privacy) = PRIVACY_OPERATIONAL];\n  string nickname = 2;\n}',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('homeward.sample.v1.Noted.nickname: no privacy class');
  });

  it('fails the build on a personal field that is not a string, which could not be encrypted', () => {
    const result = check('not-a-string', 'message Noted {\n  uint32 age = 1 [(common.v1.privacy) = PRIVACY_PERSONAL];\n}');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('homeward.sample.v1.Noted.age: only strings may be personal');
  });
});

describe('the inventory of proto/', () => {
  it.each([
    ['homeward.intake.v1.PersonRegistered', 'fullName', 'personal'],
    ['homeward.intake.v1.PersonRegistered', 'birthDate', 'personal'],
    ['homeward.intake.v1.PersonRegistered', 'occupation', 'identifying'],
    ['homeward.intake.v1.ImprisonmentRecorded', 'charges', 'identifying'],
    ['homeward.intake.v1.PrisonerDeported', 'borderCrossing', 'identifying'],
    ['homeward.intake.v1.PrisonerDeported', 'toCountry', 'operational'],
    ['homeward.identity_documents.v1.PassportDestroyed', 'account', 'personal'],
    ['homeward.legal.v1.EvidenceAttached', 'description', 'personal'],
    ['homeward.legal.v1.ViolationDismissed', 'reasoning', 'personal'],
    ['homeward.notifications.v1.RecipientRegistered', 'address', 'personal'],
    ['homeward.common.v1.EventEnvelope', 'subject', 'operational'],
  ])('%s.%s is %s', (message, field, privacy) => expect(inventory[message]?.[field]).toEqual({ privacy }));

  it('names the message a nested field holds', () =>
    expect(inventory['homeward.intake.v1.PersonFile']?.['episodes']).toEqual({ message: 'homeward.intake.v1.CustodyEpisode' }));
});
