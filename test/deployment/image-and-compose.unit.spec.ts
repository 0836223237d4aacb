// The Dockerfile and docker-compose.yml, checked offline against what the code reads: the same
// sources of truth as the Kubernetes checks (infra/service-env.mjs for services and ports, the
// code's own reads for variables, the gateway's public routes for the health check, infra's
// development keys for the files a development stack reads). No container engine runs here:
// neither the image nor the compose stack has been built or started by these tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { root } from '@homeward/infra/common.mjs';
import { DEV_AUDIENCE, DEV_ISSUER, devKeysDir, devLogSignerPath, devPublicKeyPath } from '@homeward/infra/dev-keys.mjs';
import { databaseNameFor, rolesFor, servicesWithDatabase } from '@homeward/infra/postgres.mjs';
import { allServices, DEFAULT_GATEWAY_PORT, grpcBindVar, grpcServices, grpcUrlVar, mainPathFor } from '@homeward/infra/service-env.mjs';
import { readByCode, scriptSettings } from './code-settings.js';

const workspace = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = readFileSync(path.join(workspace, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(path.join(workspace, '.dockerignore'), 'utf8').split('\n');
interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}
// YAML merge keys (<<: *app) as docker compose applies them.
const compose = parse(readFileSync(path.join(workspace, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const read = readByCode(workspace);
const backEnds = grpcServices as ReadonlyArray<{ name: string; port: number }>;
const environment = (name: string) =>
  Object.fromEntries(Object.entries(compose.services[name]?.environment ?? {}).map(([k, v]) => [k, String(v)]));
const healthcheck = (name: string) => (compose.services[name]?.healthcheck?.test ?? []).join(' ');

/** The image's working directory: where the code's repository root is inside the container. */
const workdir = [...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)?.[1] ?? '';
const inImage = (file: string) => path.posix.join(workdir, path.relative(root, file));

describe('the image', () => {
  it('runs services/<SERVICE_NAME>/dist/main.js from the repository root, as the launcher does, and names every service', () => {
    expect(workdir).toBe('/app');
    expect(path.relative(root, mainPathFor('intake'))).toBe('services/intake/dist/main.js');
    expect(dockerfile).toContain('main="services/${SERVICE_NAME}/dist/main.js"');
    expect(dockerfile).toContain('exec node "$main"');
    expect(dockerfile).toContain(`SERVICE_NAME is not set (${['gateway', ...backEnds.map((s) => s.name)].join(', ')})`);
    expect(new Set(allServices)).toEqual(new Set(['gateway', ...backEnds.map((s) => s.name)]));
  });

  it('runs its arguments instead, for the one-shot tasks (the migration Job runs infra/migrate.mjs)', () => {
    expect(dockerfile).toContain('if [ "$#" -gt 0 ]; then exec "$@"; fi');
    expect(existsSync(path.join(workspace, 'infra/migrate.mjs'))).toBe(true);
    expect(dockerignore).not.toContain('infra');
  });

  it('exposes the ports the services listen on by default', () => {
    const exposed = (/^EXPOSE (.+)$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).map(Number);
    expect(exposed.sort()).toEqual([DEFAULT_GATEWAY_PORT, ...backEnds.map((s) => s.port)].sort());
  });

  it('runs as node (uid 1000, as the manifests say), never bakes in local keys or state', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerignore).toEqual(expect.arrayContaining(['.local', '.env', '**/node_modules', '**/dist']));
  });
});

describe('docker-compose.yml', () => {
  it('runs every service from the one image, with its SERVICE_NAME', () => {
    for (const name of allServices) {
      expect(compose.services[name]?.image).toBe('homeward:local');
      expect(environment(name)['SERVICE_NAME']).toBe(name);
      expect(compose.services[name]?.command).toBeUndefined();
    }
  });

  it.each(backEnds.map((s) => [s.name, s.port] as [string, number]))(
    '%s listens on %i, its health check and the gateway use that port',
    (name, port) => {
      expect(environment(name)[grpcBindVar(name)]).toBe(`0.0.0.0:${port}`);
      expect(healthcheck(name)).toContain(`connect(${port}, '127.0.0.1')`);
      expect(environment('gateway')[grpcUrlVar(name)]).toBe(`${name}:${port}`);
    },
  );

  it('the gateway listens on its published port, and its health check asks the public /health there', () => {
    const port = Number(environment('gateway')['GATEWAY_PORT']);
    const routes = readFileSync(path.join(workspace, 'services/gateway/src/auth/route-roles.ts'), 'utf8');
    expect(environment('gateway')['GATEWAY_HOST']).toBe('0.0.0.0');
    expect(compose.services['gateway']?.ports?.map((mapping) => Number(mapping.split(':').at(-1)))).toEqual([port]);
    expect(healthcheck('gateway')).toContain(`fetch('http://127.0.0.1:${port}/health')`);
    expect(routes).toContain("'GET /health': 'public'");
  });

  it('sets no variable that neither the code nor the scripts init runs read', () => {
    // NODE_ENV: for the dependencies (the code itself ignores it, see @homeward/security's deployment.ts).
    const known = (name: string) => read.has(name) || name === 'SERVICE_NAME' || name === 'NODE_ENV';
    const unknown = allServices.flatMap((name: string) => Object.keys(environment(name)).filter((variable) => !known(variable)));
    expect(unknown).toEqual([]);
    const command = compose.services['init']?.command?.join(' ') ?? '';
    const scripts = [...command.matchAll(/node (infra\/\S+\.mjs)/g)].map(([, script]) => script!);
    expect(scripts).toEqual(['infra/postgres.mjs', 'infra/topics.mjs', 'infra/dev-keys.mjs']);
    const scriptsRead = scriptSettings(workspace, [...scripts, 'infra/common.mjs']).names;
    expect(Object.keys(environment('init')).filter((variable) => !scriptsRead.has(variable) && !known(variable))).toEqual([]);
  });

  it('is a development stack whose services find the development keys init makes, where the code looks for them', () => {
    const mount = `dev-keys:${inImage(devKeysDir)}:ro`;
    for (const name of allServices) {
      expect(environment(name)['HOMEWARD_DEV']).toBe('1');
      expect(compose.services[name]?.volumes).toEqual([mount]);
    }
    expect(compose.services['init']?.volumes).toEqual([`dev-keys:${inImage(devKeysDir)}`]);
    expect(environment('audit')['AUDIT_LOG_SIGNER_KEY_FILE']).toBe(inImage(devLogSignerPath));
    expect(environment('gateway')).toMatchObject({
      JWT_PUBLIC_KEY_FILE: inImage(devPublicKeyPath),
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: DEV_AUDIENCE,
    });
  });

  it("runs each service as its database's runtime role and migrates as its owner, as npm start does; the gateway has none", () => {
    for (const name of allServices) {
      const env = environment(name);
      if (name !== 'gateway') expect(env['KAFKA_BROKERS']).toBe('kafka:9092');
      if (!servicesWithDatabase.includes(name)) {
        expect([env['DATABASE_URL'], env['DATABASE_MIGRATION_URL']]).toEqual([undefined, undefined]);
        continue;
      }
      const database = databaseNameFor(name, 'homeward');
      const runtime = new URL(env['DATABASE_URL']!);
      const owner = new URL(env['DATABASE_MIGRATION_URL']!);
      expect([runtime.host, runtime.pathname, runtime.username]).toEqual(['postgres:5432', `/${database}`, rolesFor(database).runtime]);
      expect([owner.host, owner.pathname, owner.username]).toEqual(['postgres:5432', `/${database}`, rolesFor(database).owner]);
    }
    // The roles have passwords init does not hand out: the server trusts its private network instead.
    expect(environment('postgres')['POSTGRES_HOST_AUTH_METHOD']).toBe('trust');
    expect(compose.services['postgres']?.ports).toBeUndefined();
    expect(environment('kafka')['KAFKA_ADVERTISED_LISTENERS']).toBe('PLAINTEXT://kafka:9092');
  });
});
