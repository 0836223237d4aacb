// The Kubernetes manifests (infra/k8s), checked offline: rendered as kustomize would, validated
// against the Kubernetes API schemas (kubernetes-models, plus a refusal of fields the API does not
// have), then held to what the code reads: its services and ports (infra/service-env.mjs), the
// settings production refuses to start without (@homeward/service-kit, @homeward/security), every
// variable its sources read (code-settings.ts), its health routes and its migrations.
// Nothing here talks to a cluster (kubectl kustomize, where installed, needs none): no cluster has run these manifests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { personalDataServices } from '@homeward/infra/common.mjs';
import { migrationExports } from '@homeward/infra/migrate.mjs';
import { databaseNameFor, rolesFor, servicesWithDatabase } from '@homeward/infra/postgres.mjs';
import { allServices, grpcBindVar, grpcServices, grpcUrlVar } from '@homeward/infra/service-env.mjs';
import { brokerConfigFromEnv } from '@homeward/messaging';
import { grpcCallerAuthFromEnv, missingForProduction, tokenVerifierConfigFromEnv, type ProductionNeeds } from '@homeward/security';
import { productionNeeds } from '@homeward/service-kit';
import { readByCode } from './code-settings.js';
import { podContainers, renderKustomization, type KubeObject } from './kustomize.js';
import {
  allowed,
  containerEnvironment,
  find,
  mebibytes,
  millicores,
  missingFile,
  podLabelsOf,
  podSpecOf,
  selects,
  type Container,
  type PodSpec,
} from './manifests.js';

const workspace = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const k8s = path.join(workspace, 'infra/k8s');
const base = renderKustomization(path.join(k8s, 'base'));
const site = renderKustomization(path.join(k8s, 'overlays/example'));
const read = readByCode(workspace);
const backEnds = grpcServices as ReadonlyArray<{ name: string; port: number }>;

/** The gateway's production needs, as its main.ts states them: requireProductionSettings('gateway', { … }). */
function gatewayNeeds(): ProductionNeeds {
  const main = readFileSync(path.join(workspace, 'services/gateway/src/main.ts'), 'utf8');
  const literal = /requireProductionSettings\('gateway', (\{[^}]*\})\)/.exec(main)?.[1];
  if (!literal) throw new Error('services/gateway/src/main.ts no longer calls requireProductionSettings with its needs inline');
  return JSON.parse(literal.replace(/(\w+):/g, '"$1":').replaceAll("'", '"')) as ProductionNeeds;
}
const needs: Record<string, ProductionNeeds> = { ...productionNeeds, gateway: gatewayNeeds() };

/** Read by the code and deliberately not set by the manifests: production keeps the code's default. */
const leftToDefault: Record<string, string> = {
  HOMEWARD_DEV: 'the development switch: production never sets it (checked below)',
  JWT_PUBLIC_KEY_FILE: 'the development key; production verifies tokens against JWKS_URL',
  GRPC_CALLER_SECRET: 'the development stand-in for mutual TLS, which production requires',
  WEBHOOK_ALLOW_LOOPBACK: 'development only',
  WEBHOOK_SECRET: 'obsolete: notifications warns when it is set',
  AUDIT_LOG_SIGNER_KEY: 'the key is mounted as a file instead (AUDIT_LOG_SIGNER_KEY_FILE)',
  KAFKA_TOPIC_PREFIX: 'one deployment per Kafka cluster; prefixes are for test runs sharing a broker',
  KAFKA_GROUP_PREFIX: 'as KAFKA_TOPIC_PREFIX',
  AUDIT_CONSUMER_GROUP: 'group and topic names: tests override them, a deployment keeps them',
  IDENTITY_DOCUMENTS_ERASURE_GROUP: 'as AUDIT_CONSUMER_GROUP',
  IDENTITY_DOCUMENTS_INTAKE_TOPIC: 'as AUDIT_CONSUMER_GROUP',
  LEGAL_RULES_GROUP: 'as AUDIT_CONSUMER_GROUP',
  NOTIFICATIONS_CONSUMER_GROUP: 'as AUDIT_CONSUMER_GROUP',
  NOTIFICATIONS_INTAKE_TOPIC: 'as AUDIT_CONSUMER_GROUP',
  JWT_CLOCK_TOLERANCE_SECONDS: 'token policy: the defaults of docs/configuration.md',
  JWT_MAX_AGE_SECONDS: 'as JWT_CLOCK_TOLERANCE_SECONDS',
  JWT_AUTHORIZED_PARTIES: 'as JWT_CLOCK_TOLERANCE_SECONDS',
  AUDIT_RECONCILE_GRACE_SECONDS: 'the default (60 s) of docs/configuration.md',
  GATEWAY_DOCS: 'unset: production does not serve /docs',
  NOTIFICATIONS_SIDE_EFFECTS: 'on, the default: production sends',
  WELFARE_CHECK_POLL_MS: "tuning: the defaults of notifications' config.ts",
  DELIVERY_POLL_MS: 'as WELFARE_CHECK_POLL_MS',
  NOTIFY_SEND_TIMEOUT_MS: 'as WELFARE_CHECK_POLL_MS',
  NOTIFY_MAX_ATTEMPTS: 'as WELFARE_CHECK_POLL_MS',
  NOTIFY_RETRY_BASE_MS: 'as WELFARE_CHECK_POLL_MS',
  NOTIFY_RETRY_MAX_MS: 'as WELFARE_CHECK_POLL_MS',
};
/** Upper-case literals in files that read the environment which are not variables. */
const notSettings: Record<string, string> = {
  TOPIC_ALREADY_EXISTS: 'a Kafka error type',
  LOG_KEYS: 'a Nest injection token',
};
/** Every container of every Deployment and Job, with its pod and its resolved environment. */
const workloads = site
  .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
  .flatMap((object) =>
    podContainers(object).map((raw) => {
      const container = raw as Container;
      return { object, pod: podSpecOf(object)!, container, ...containerEnvironment(container, site) };
    }),
  );
const mainContainer = (name: string) => workloads.find(({ object, container }) => object.kind === 'Deployment' && container.name === name);
const image = mainContainer('gateway')!.container.image;

/**
 * The API server's verdict, offline: the schema of the object's kind (kubernetes-models), and no
 * field the schema does not name. kubernetes-models alone lets unknown fields through (a typo such
 * as `readinesProbe` would pass), so the validation runs on a proxy that records which fields the
 * schema read: a field of an object the schema never read (nor enumerated, as it does for maps) is unknown.
 */
async function schemaProblems(object: KubeObject): Promise<string[]> {
  const module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
  const Model = module[object.kind] as (new (data: unknown) => object) & { prototype: { validate(): void } };
  if (!Model) return [`${object.apiVersion} ${object.kind}: no such kind`];
  const records = new Map<object, { read: Set<string>; enumerated: boolean; at: string }>();
  const watch = (value: unknown, at: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const record = records.get(value) ?? { read: new Set<string>(), enumerated: false, at };
    records.set(value, record);
    return new Proxy(value, {
      get: (target, key, receiver) => {
        if (typeof key === 'string') record.read.add(key);
        return watch(Reflect.get(target, key, receiver), `${at}/${String(key)}`);
      },
      has: (target, key) => {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys: (target) => {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  const problems: string[] = [];
  try {
    Model.prototype.validate.call(watch(new Model(object), ''));
  } catch (error) {
    problems.push((error as Error).message);
  }
  for (const [target, { read, enumerated, at }] of records) {
    if (enumerated || Array.isArray(target)) continue;
    for (const key of Object.keys(target)) if (!read.has(key)) problems.push(`${at}/${key}: no such field in the API`);
  }
  return problems;
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
const kubectlKustomize = kubectl.status === 0 ? /Kustomize Version: (\S+)/.exec(kubectl.stdout)?.[1] : undefined;
const byId = (objects: readonly KubeObject[]) =>
  Object.fromEntries(objects.map((object) => [`${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, object]));

describe('the manifests render and validate against the Kubernetes API schemas', () => {
  it('refuses what the API server would: a wrong type, an unknown field (the check itself)', async () => {
    const deployment = structuredClone(find(site, 'Deployment', 'intake')!);
    const container = podSpecOf(deployment)!.containers[0]!;
    container['readinesProbe'] = container['readinessProbe'];
    container.ports![0]!.containerPort = '50051' as unknown as number;
    const problems = await schemaProblems(deployment);
    expect(problems.join('\n')).toMatch(/containerPort must be integer/);
    expect(problems.join('\n')).toMatch(/containers\/0\/readinesProbe: no such field/);
  });

  // kubectl renders a kustomization without a cluster: where this machine has kubectl, the
  // renderer here must agree with it object for object. Without kubectl it is skipped and says so.
  (kubectlKustomize ? it : it.skip).each([
    ['base', base],
    ['overlays/example', site],
  ])(`%s renders as kubectl kustomize does (kustomize ${kubectlKustomize ?? 'absent: no kubectl here'})`, (dir, objects) => {
    const rendered = spawnSync('kubectl', ['kustomize', path.join(k8s, dir)], { encoding: 'utf8', timeout: 60_000 });
    expect([rendered.status, rendered.stderr]).toEqual([0, '']);
    expect(byId(objects)).toEqual(byId(parseAllDocuments(rendered.stdout).map((document) => document.toJS() as KubeObject)));
  });

  it.each([
    ['base', base],
    ['overlays/example', site],
  ])('%s: every object is valid', async (_name, objects) => {
    const problems = (
      await Promise.all(objects.map(async (o) => (await schemaProblems(o)).map((p) => `${o.kind}/${o.metadata.name}: ${p}`)))
    ).flat();
    expect(problems).toEqual([]);
    expect(objects.length).toBeGreaterThan(20);
  });

  it('places everything in the namespace and runs the one image the overlay names', () => {
    expect(site.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'homeward')).toEqual([]);
    expect(image).toMatch(/^registry\.example\.org\/homeward:/);
    expect(workloads.filter(({ container }) => container.image !== image).map(({ container }) => container.name)).toEqual([]);
  });
});

describe('every service the code has, as the code runs it', () => {
  it.each(allServices.map((name: string) => [name]))('%s: a Deployment of 2+ replicas, its Service, PDB and topology spread', (name) => {
    const deployment = find(site, 'Deployment', name)!;
    const spec = deployment['spec'] as { replicas: number; selector: { matchLabels: Record<string, string> } };
    const labels = podLabelsOf(deployment);
    expect(spec.replicas).toBeGreaterThanOrEqual(2);
    expect(selects(spec.selector, labels)).toBe(true);
    expect(mainContainer(name)?.env['SERVICE_NAME']).toBe(name); // the image's entrypoint runs services/<SERVICE_NAME>/dist/main.js
    expect(selects((find(site, 'Service', name)?.['spec'] as { selector: Record<string, string> }).selector, labels)).toBe(true);
    const pdb = find(site, 'PodDisruptionBudget', name)?.['spec'] as {
      maxUnavailable: number;
      selector: { matchLabels: Record<string, string> };
    };
    expect(selects(pdb.selector, labels)).toBe(true);
    expect(pdb.maxUnavailable).toBeLessThan(spec.replicas);
    const spread = (podSpecOf(deployment)!['topologySpreadConstraints'] ?? []) as Array<{ topologyKey: string; labelSelector: never }>;
    expect(spread.map((constraint) => constraint.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const constraint of spread) expect(selects(constraint.labelSelector, labels)).toBe(true);
  });

  it.each(backEnds.map((s) => [s.name, s.port] as [string, number]))(
    '%s listens on %i, its Service exposes it, the gateway reaches it there',
    (name, port) => {
      const { container, env } = mainContainer(name)!;
      expect(container.ports).toEqual([{ name: 'grpc', containerPort: port }]);
      expect(env[grpcBindVar(name)]).toBe(`0.0.0.0:${port}`);
      const service = find(site, 'Service', name)?.['spec'] as { ports: Array<{ port: number; targetPort: string }> };
      expect(service.ports).toEqual([expect.objectContaining({ port, targetPort: 'grpc' })]);
      expect(mainContainer('gateway')!.env[grpcUrlVar(name)]).toBe(`${name}:${port}`);
    },
  );

  it('the gateway listens where its probes, its Service and GATEWAY_PORT say, on every interface', () => {
    const { container, env } = mainContainer('gateway')!;
    const port = Number(env['GATEWAY_PORT']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(env['GATEWAY_HOST']).toBe('0.0.0.0');
    const servicePorts = (find(site, 'Service', 'gateway')?.['spec'] as { ports: Array<{ name: string }> }).ports;
    expect(servicePorts).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    // The one way in, the Ingress, ends at that Service and port.
    const ingress = find(site, 'Ingress', 'gateway')?.['spec'] as { rules: Array<{ http: { paths: Array<{ backend: unknown }> } }> };
    expect(ingress.rules.flatMap((rule) => rule.http.paths.map((p) => p.backend))).toEqual([
      { service: { name: 'gateway', port: { name: 'http' } } },
    ]);
  });

  it("probes the health the services have: the gateway's public /health and /health/live, the services' gRPC port", () => {
    const routes = readFileSync(path.join(workspace, 'services/gateway/src/auth/route-roles.ts'), 'utf8');
    const probe = (name: string, kind: string) =>
      mainContainer(name)!.container[kind] as { httpGet?: { path: string; port: string }; tcpSocket?: { port: string } };
    for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const { httpGet } = probe('gateway', kind);
      expect(httpGet?.port).toBe('http');
      expect(routes).toContain(`'GET ${httpGet!.path}': 'public'`);
      for (const { name } of backEnds) expect(probe(name, kind)).toMatchObject({ tcpSocket: { port: 'grpc' } });
    }
    // Readiness asks every service's Health (its database included); liveness calls nothing.
    expect(probe('gateway', 'readinessProbe').httpGet!.path).toBe('/health');
    expect(probe('gateway', 'livenessProbe').httpGet!.path).toBe('/health/live');
  });
});

describe('the settings the code reads', () => {
  it.each(allServices.map((name: string) => [name]))('%s has all that production refuses to start without', (name) => {
    const { env, unresolved } = mainContainer(name)!;
    expect(unresolved).toEqual([]);
    expect(missingForProduction(needs[name]!, env)).toEqual([]);
    expect(env['HOMEWARD_MASTER_KEYS'] !== undefined).toBe(personalDataServices.includes(name));
    if (!servicesWithDatabase.includes(name)) expect(env['DATABASE_URL']).toBeUndefined();
  });

  it.each(allServices.map((name: string) => [name]))("%s: the libraries' own readers accept its settings as production", (name) => {
    // The files the settings name, stood in for by placeholder files: the readers read them, they do not parse certificates.
    const files = mkdtempSync(path.join(tmpdir(), 'homeward-k8s-'));
    const env = Object.fromEntries(
      Object.entries(mainContainer(name)!.env).map(([key, value]) => {
        if (!value.startsWith('/etc/')) return [key, value];
        const file = path.join(files, value.replaceAll('/', '_'));
        writeFileSync(file, 'placeholder');
        return [key, file];
      }),
    );
    try {
      expect(grpcCallerAuthFromEnv(env).tls).toBeDefined();
      expect(tokenVerifierConfigFromEnv(env).key).toEqual({ jwksUrl: env['JWKS_URL'] });
      if (name !== 'gateway')
        expect(brokerConfigFromEnv(name, env)).toMatchObject({ ssl: { ca: ['placeholder'] }, sasl: { mechanism: 'scram-sha-512' } });
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
  });

  it('every variable the code reads is set where it is read, or left to its default for a stated reason', () => {
    const unset: string[] = [];
    for (const [name, files] of read) {
      if (name in leftToDefault || name in notSettings) continue;
      // Read in one service's sources: that service must have it; read in a library: some workload.
      const owner = files.every((file) => file.startsWith('services/')) ? files[0]!.split('/')[1] : undefined;
      const holders = workloads.filter(
        ({ object, container }) => object.kind === 'Deployment' && container.name === (owner ?? container.name),
      );
      if (!holders.some(({ env }) => name in env)) unset.push(`${name} (read in ${files.join(', ')})`);
    }
    expect(unset).toEqual([]);
    const stale = [...Object.keys(leftToDefault), ...Object.keys(notSettings)].filter((name) => !read.has(name));
    expect(stale).toEqual([]);
  });

  it('sets no variable the code does not read (a typo would go unnoticed) and never the development switch', () => {
    const unknown = workloads.flatMap(({ container, env }) =>
      Object.keys(env)
        .filter((name) => name !== 'SERVICE_NAME' && !read.has(name))
        .map((name) => `${container.name}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(workloads.filter(({ env }) => 'HOMEWARD_DEV' in env).map(({ container }) => container.name)).toEqual([]);
  });

  it('every file a setting names is mounted, from a Secret that has it', () => {
    const files = workloads.flatMap(({ pod, container, env }) =>
      Object.values(env)
        .flatMap((value) => (value.startsWith('postgres://') ? [new URL(value).searchParams.get('sslrootcert') ?? ''] : [value]))
        .filter((value) => value.startsWith('/etc/'))
        .map((file) => ({ pod, container, file })),
    );
    expect(files.length).toBeGreaterThan(20);
    expect(files.map(({ pod, container, file }) => missingFile(pod as PodSpec, container, file, site)).filter(Boolean)).toEqual([]);
  });

  it('each database URL names its own database, the runtime role for DATABASE_URL and the owner for DATABASE_MIGRATION_URL', () => {
    for (const name of servicesWithDatabase as string[]) {
      const { env } = mainContainer(name)!;
      const database = databaseNameFor(name, 'homeward');
      const runtime = new URL(env['DATABASE_URL']!);
      const owner = new URL(env['DATABASE_MIGRATION_URL']!);
      expect([runtime.pathname, runtime.username]).toEqual([`/${database}`, rolesFor(database).runtime]);
      expect([owner.pathname, owner.username]).toEqual([`/${database}`, rolesFor(database).owner]);
    }
  });

  it('the example Secrets hold placeholders only', () => {
    const values = site
      .filter((o) => o.kind === 'Secret')
      .flatMap((o) =>
        Object.entries((o['stringData'] ?? {}) as Record<string, string>).map(([key, value]) => ({ secret: o.metadata.name, key, value })),
      );
    expect(values.length).toBeGreaterThan(30);
    expect(values.filter(({ key, value }) => key !== 'username' && !value.includes('REPLACE_ME'))).toEqual([]);
    expect(site.filter((o) => o.kind === 'Secret' && 'data' in o)).toEqual([]);
  });
});

describe('the migration Job runs before the services', () => {
  it.each((servicesWithDatabase as string[]).map((name) => [name]))(
    '%s: its Job migrates as the owner, its pods wait for the schema',
    (name) => {
      const job = workloads.find(({ object }) => object.kind === 'Job' && object.metadata.name === `${name}-migrate`)!;
      const service = mainContainer(name)!;
      expect(job.container.args).toEqual(['node', 'infra/migrate.mjs']);
      expect(job.env).toEqual({
        SERVICE_NAME: name,
        DATABASE_URL: service.env['DATABASE_URL'],
        DATABASE_MIGRATION_URL: service.env['DATABASE_MIGRATION_URL'],
      });
      const waiting = podSpecOf(find(site, 'Deployment', name))!.initContainers!;
      expect(waiting.map((c) => c.args)).toEqual([['node', 'infra/migrate.mjs', '--wait']]);
      const waitingEnv = containerEnvironment(waiting[0]!, site).env;
      expect(waitingEnv).toEqual({ SERVICE_NAME: name, DATABASE_URL: service.env['DATABASE_URL'] }); // the runtime role only
      // The list infra/migrate.mjs runs is the one the service's runtime runs.
      const migrations = readFileSync(path.join(workspace, `services/${name}/src/migrations.ts`), 'utf8');
      const serviceMain = readFileSync(path.join(workspace, `services/${name}/src/service.ts`), 'utf8');
      const exported = migrationExports[name as keyof typeof migrationExports];
      expect(migrations).toMatch(new RegExp(`export const ${exported} = \\[`));
      expect(serviceMain).toMatch(new RegExp(`import \\{ ${exported} \\} from './migrations.js'`));
      expect(existsSync(path.join(workspace, 'infra/migrate.mjs'))).toBe(true);
    },
  );
  it('under Argo CD too: the Secrets and ConfigMaps, then the Jobs, then the Deployments (sync waves)', () => {
    const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const waves = (kind: string) => site.filter((o) => o.kind === kind).map(wave);
    const jobs = site.filter((o) => o.kind === 'Job');
    // A PreSync hook would run before the Secrets it reads exist, on a first sync.
    expect(new Set(jobs.map((o) => o.metadata.annotations?.['argocd.argoproj.io/hook']))).toEqual(new Set(['Sync']));
    expect(Math.max(...waves('Secret'), ...waves('ConfigMap'))).toBeLessThan(Math.min(...waves('Job')));
    expect(Math.max(...waves('Job'))).toBeLessThan(Math.min(...waves('Deployment')));
  });
});

describe('the network allows only gateway → services and services → Kafka and PostgreSQL, plus DNS', () => {
  const labelsOf = (name: string) => podLabelsOf(find(site, 'Deployment', name) ?? find(site, 'Job', name));
  const brokerPort = Number(mainContainer('intake')!.env['KAFKA_BROKERS']!.split(',')[0]!.split(':')[1]);
  const postgresPort = Number(new URL(mainContainer('intake')!.env['DATABASE_URL']!).port);

  it.each(backEnds.map((s) => [s.name, s.port] as [string, number]))('%s: in from the gateway on %i only', (name, port) => {
    const target = labelsOf(name);
    expect(allowed(site, 'Ingress', target, { labels: labelsOf('gateway') }, port)).toBe(true);
    expect(allowed(site, 'Egress', labelsOf('gateway'), { labels: target }, port)).toBe(true);
    for (const other of [...backEnds.map((s) => s.name).filter((n) => n !== name), `${name}-migrate`]) {
      expect(allowed(site, 'Ingress', target, { labels: labelsOf(other) }, port)).toBe(false);
      expect(allowed(site, 'Egress', labelsOf(other), { labels: target }, port)).toBe(false);
    }
    expect(allowed(site, 'Ingress', target, { labels: {}, namespace: 'ingress-nginx' }, port)).toBe(false);
  });

  it('services reach Kafka and PostgreSQL, the Jobs PostgreSQL, the gateway neither', () => {
    const kafka = { labels: { 'strimzi.io/cluster': 'homeward' }, namespace: 'kafka' };
    const postgres = { labels: { 'cnpg.io/cluster': 'homeward-db' }, namespace: 'postgres' };
    for (const { name } of backEnds) {
      expect(allowed(site, 'Egress', labelsOf(name), kafka, brokerPort)).toBe(true);
      expect(allowed(site, 'Egress', labelsOf(name), postgres, postgresPort)).toBe(true);
      expect(allowed(site, 'Egress', labelsOf(`${name}-migrate`), postgres, postgresPort)).toBe(true);
      expect(allowed(site, 'Egress', labelsOf(`${name}-migrate`), kafka, brokerPort)).toBe(false);
    }
    expect(allowed(site, 'Egress', labelsOf('gateway'), kafka, brokerPort)).toBe(false);
    expect(allowed(site, 'Egress', labelsOf('gateway'), postgres, postgresPort)).toBe(false);
  });

  it('DNS for every pod; the outside world only on 443 (JWKS) and, for notifications, SMTP', () => {
    const dns = { labels: { 'k8s-app': 'kube-dns' }, namespace: 'kube-system' };
    for (const name of [...allServices, 'intake-migrate']) expect(allowed(site, 'Egress', labelsOf(name), dns, 53)).toBe(true);
    for (const name of allServices) expect(allowed(site, 'Egress', labelsOf(name), { external: true }, 443)).toBe(true);
    expect(allowed(site, 'Egress', labelsOf('intake-migrate'), { external: true }, 443)).toBe(false);
    expect(allowed(site, 'Egress', labelsOf('notifications'), { external: true }, 465)).toBe(true);
    expect(allowed(site, 'Egress', labelsOf('legal'), { external: true }, 465)).toBe(false);
    expect(allowed(site, 'Ingress', labelsOf('gateway'), { labels: {}, namespace: 'ingress-nginx' }, 3000)).toBe(true);
  });
});

describe('resources come from the benchmark (test/bench/results/latest.json)', () => {
  // The benchmark's steady rate; the replicas of a Deployment share it.
  const commandsPerSecond = 200;
  const bench = JSON.parse(readFileSync(path.join(workspace, 'test/bench/results/latest.json'), 'utf8')) as {
    details: { system: { rss: Record<string, number>; propagationCpu: { perUnit: Record<string, number> } } };
  };

  it.each(allServices.map((name: string) => [name]))('%s: memory above its peak RSS, CPU for its share at 200 commands/s', (name) => {
    const deployment = find(site, 'Deployment', name)!;
    const { resources } = mainContainer(name)!.container;
    const replicas = (deployment['spec'] as { replicas: number }).replicas;
    const peakRss = bench.details.system.rss[name]!;
    expect(mebibytes(resources!.requests!['memory']!)).toBeGreaterThanOrEqual(peakRss * 1.25);
    expect(mebibytes(resources!.limits!['memory']!)).toBeGreaterThanOrEqual(peakRss * 2);
    const cpuMsPerCommand = bench.details.system.propagationCpu.perUnit[name]!;
    expect(millicores(resources!.requests!['cpu']!) * replicas).toBeGreaterThanOrEqual(cpuMsPerCommand * commandsPerSecond);
    // No CPU limit: a throttled Node process stalls its event loop, and the requests already reserve the share.
    expect(resources!.limits!['cpu']).toBeUndefined();
  });
});
