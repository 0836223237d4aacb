// Architecture tests that prove themselves: each fixture breaks one boundary rule of
// eslint.config.mjs (@nx/enforce-module-boundaries), and lint, run with the repository's own
// configuration, must fail on it with that rule. Fixtures are linted as text under a path inside
// the project they pretend to belong to (lintText with filePath), so Nx sees them in the right
// project and nothing is ever written to the tree.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ESLint } from 'eslint';
import ts from 'typescript';

jest.setTimeout(60_000);

const workspace = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rule = '@nx/enforce-module-boundaries';
let eslint: ESLint;

beforeAll(async () => {
  // Without a cached project graph the rule skips every file and says so only on stdout, so lint
  // would pass anything. npm test builds through Nx first; a bare jest run has Nx make the graph.
  if (!existsSync(path.join(workspace, '.nx/workspace-data/project-graph.json'))) {
    spawnSync('npx', ['nx', 'show', 'projects'], { cwd: workspace, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
  }
  eslint = new ESLint({ cwd: workspace });
});

/** Lints `code` as if it were `file` (relative to the repository); the messages, rule and text. */
async function lint(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(workspace, file) });
  return (result?.messages ?? []).map(({ ruleId, message }) => ({ ruleId, message }));
}

const importing = (specifier: string) => `import * as imported from '${specifier}';\nexport const used = imported;\n`;
const domainFile = 'libs/intake-domain/src/architecture-fixture.ts';
const serviceFile = 'services/legal/src/architecture-fixture.ts';
const bannedInDomain = (what: string) => `A project tagged with "type:domain" is not allowed to import "${what}"`;

describe('a domain lib is pure', () => {
  it.each(['@nestjs/common', 'pg', 'kafkajs', 'typeorm', '@grpc/grpc-js', 'nodemailer', 'pino'])(
    'importing %s fails lint',
    async (library) => {
      expect(await lint(domainFile, importing(library))).toEqual([{ ruleId: rule, message: bannedInDomain(library) }]);
    },
  );

  it.each([
    ['a type-only import', "import type { Pool } from 'pg';\nexport type Used = Pool;\n", 'pg'],
    ['a dynamic import', "export const load = () => import('kafkajs');\n", 'kafkajs'],
    ['a re-export', "export { Injectable } from '@nestjs/common';\n", '@nestjs/common'],
  ])('%s of infrastructure fails lint too', async (_how, code, library) => {
    expect(await lint(domainFile, code)).toEqual([{ ruleId: rule, message: bannedInDomain(library) }]);
  });

  it('importing a lib that is not a domain lib or a contract (the event store) fails lint', async () => {
    expect(await lint(domainFile, importing('@homeward/eventsourcing'))).toEqual([
      { ruleId: rule, message: 'A project tagged with "type:domain" can only depend on libs tagged with "type:domain", "type:contracts"' },
    ]);
  });
});

describe('a context sees its own code and shared code only', () => {
  it('a service importing another service fails lint', async () => {
    expect(await lint(serviceFile, importing('@homeward/intake'))).toEqual([
      {
        ruleId: rule,
        message: 'A project tagged with "type:service" can only depend on libs tagged with "type:lib", "type:domain", "type:contracts"',
      },
    ]);
  });

  it('a service reaching into another service by a relative path fails lint', async () => {
    expect(await lint(serviceFile, importing('../../intake/src/main.js'))).toEqual([
      { ruleId: rule, message: 'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope' },
    ]);
  });

  it.each([
    ['a context domain lib', domainFile, '@homeward/legal-domain', 'scope:intake', ['scope:intake']],
    ['a service', serviceFile, '@homeward/intake-domain', 'scope:legal', ['scope:legal']],
    ['the gateway', 'services/gateway/src/architecture-fixture.ts', '@homeward/intake-domain', 'scope:shared', []],
    ['a shared lib', 'libs/eventsourcing/src/architecture-fixture.ts', '@homeward/legal-domain', 'scope:shared', []],
  ])('%s importing another context’s lib (%s → %s) fails lint', async (_who, file, specifier, scope, own) => {
    const allowed = [...own, 'scope:shared'].map((tag) => `"${tag}"`).join(', ');
    expect(await lint(file, importing(specifier))).toEqual([
      { ruleId: rule, message: `A project tagged with "${scope}" can only depend on libs tagged with ${allowed}` },
    ]);
  });

  it('the contracts importing a domain lib fails lint', async () => {
    expect(await lint('libs/contracts/src/architecture-fixture.ts', importing('@homeward/decider'))).toEqual([
      { ruleId: rule, message: 'A project tagged with "type:contracts" can only depend on libs tagged with "type:contracts"' },
    ]);
  });
});

describe('code that keeps the rules', () => {
  it.each([
    [
      'a domain lib importing its own files, shared domain code and the contracts',
      domainFile,
      ['./person.decider.js', '@homeward/decider', '@homeward/contracts'],
    ],
    [
      'a service importing its own domain lib, shared libs and infrastructure',
      serviceFile,
      ['@homeward/legal-domain', '@homeward/eventsourcing', '@nestjs/common', 'pg'],
    ],
    [
      'the gateway importing the contracts and shared libs',
      'services/gateway/src/architecture-fixture.ts',
      ['@homeward/contracts', '@homeward/service-kit', '@nestjs/common'],
    ],
  ])('%s passes lint', async (_what, file, specifiers) => {
    const code = specifiers
      .map((specifier, index) => `import * as imported${index} from '${specifier}';\nexport const used${index} = imported${index};\n`)
      .join('');
    expect(await lint(file, code)).toEqual([]);
  });
});

// The store's boundary (EventStore's API): a service appends, checks, writes alongside and scrubs
// its requests' fingerprints through the store, and never opens the store's transaction nor
// touches its tables. A service's migrations (migrations.ts) are left out: they are the database's
// history, applied once in order, and two of them moved data of those tables before the API did.
const storeTables = ['events', 'streams', 'outbox', 'idempotency_keys', 'checkpoints', 'inbox', 'dead_letters'];
const namesStoreTable = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\\s+(?:ONLY\\s+)?(${storeTables.join('|')})\\b`, 'gi');

/** Where `code` opens the store's transaction or names a store table in SQL (a string or template's text). */
function storeBreaches(file: string, code: string): string[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const breaches: string[] = [];
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && /store\??\.dataSource\??\.transaction$/i.test(node.expression.getText(source).replace(/\s/g, ''))) {
      breaches.push(`${at(node)} opens the store's transaction`);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
      for (const [, table] of node.text.matchAll(namesStoreTable)) breaches.push(`${at(node)} names the store's table ${table}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return breaches;
}

/** Every production source of every service (no specs, no testing/ helpers, no migrations). */
function serviceSources(): string[] {
  const services = path.join(workspace, 'services');
  return readdirSync(services).flatMap((service) =>
    (readdirSync(path.join(services, service, 'src'), { recursive: true }) as string[])
      .map((file) => path.join('services', service, 'src', file))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.endsWith('migrations.ts'))
      .filter((file) => !file.split(path.sep).includes('testing')),
  );
}

describe("a service keeps to the event store's API", () => {
  it.each([
    [
      'opening the store’s transaction',
      'await this.store.dataSource.transaction(async (tx) => tx.query(`SELECT 1`));',
      "opens the store's transaction",
    ],
    ['opening it through options', 'await options.store.dataSource.transaction((tx) => work(tx));', "opens the store's transaction"],
    [
      'writing idempotency_keys',
      "await tx.query(`UPDATE idempotency_keys SET request_hash = 'forgotten' WHERE key = $1`, [key]);",
      'idempotency_keys',
    ],
    ['reading events', "await tx.query('SELECT DISTINCT metadata FROM events WHERE type = $1', [type]);", 'events'],
    ['joining the outbox', 'await tx.query(`SELECT 1 FROM deliveries d JOIN outbox o ON o.event_id = d.cause_event_id`);', 'outbox'],
    ['moving a checkpoint', "await tx.query(`DELETE FROM checkpoints WHERE group_id = 'rules'`);", 'checkpoints'],
  ])('%s is a breach', (_what, code, breach) => {
    expect(storeBreaches('services/legal/src/fixture.ts', code)).toEqual([expect.stringContaining(breach)]);
  });

  it('its own transaction, tables and words are not', () => {
    const code = [
      'await dataSource.transaction(async (tx) => tx.query(`SELECT id FROM deliveries WHERE status = $1 FOR UPDATE`, [status]));',
      "await tx.query('UPDATE welfare_check_timers SET status = $2 WHERE check_id = $1', [id, status]);",
      "await tx.query('SELECT count(*) FROM audit_events');",
      "// written FROM events of intake's topic\nlogger.info('the outbox relay woke up');",
    ].join('\n');
    expect(storeBreaches('services/notifications/src/fixture.ts', code)).toEqual([]);
  });

  it('no service opens the store’s transaction or names its tables', () => {
    const sources = serviceSources();
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.flatMap((file) => storeBreaches(file, readFileSync(path.join(workspace, file), 'utf8')))).toEqual([]);
  });
});
