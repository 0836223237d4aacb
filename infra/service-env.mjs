// Where each service of one launch listens and is reached, and the environment each child starts
// with: the one table of services and ports, its variable names, and the development defaults
// (keys under .local/dev-keys) applied only under HOMEWARD_DEV=1. Used by the launcher
// (services.mjs), the end-to-end tests and the bench. The variables are listed in services.mjs.
import path from 'node:path';
import { personalDataServices, root } from './common.mjs';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevKeys, ensureDevLogSigner, ensureDevMasterKeys, ensureGrpcCallerSecret } from './dev-keys.mjs';
import { serviceDatabaseEnv, servicesWithDatabase } from './postgres.mjs';

/** Back ends first, the gateway last: the order of the table, of start-up and of the echo. */
export const grpcServices = Object.freeze([
  { name: 'intake', port: 50051 },
  { name: 'identity-documents', port: 50052 },
  { name: 'legal', port: 50053 },
  { name: 'notifications', port: 50054 },
  { name: 'audit', port: 50055 },
]);
export const allServices = Object.freeze([...grpcServices.map((s) => s.name), 'gateway']);
export const DEFAULT_GATEWAY_PORT = 3000;

export const envPrefix = (name) => name.toUpperCase().replaceAll('-', '_');
export const grpcUrlVar = (name) => `${envPrefix(name)}_GRPC_URL`;
export const grpcBindVar = (name) => `${envPrefix(name)}_GRPC_BIND`;
export const mainPathFor = (name) => path.join(root, 'services', name, 'dist', 'main.js');

function hostPort(value, variable) {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(String(value).trim());
  if (!match) throw new Error(`${variable} must be host:port, got ${value}`);
  return { host: match[1], port: Number(match[2]) };
}

/**
 * Where every service listens and is reached, from the one table above and its env overrides.
 * Returns { gateway: { host, port, url }, intake: { url, bind, host, port }, … }.
 */
export function resolveEndpoints(env = process.env) {
  const endpoints = {};
  for (const { name, port } of grpcServices) {
    const url = env[grpcUrlVar(name)] ?? `127.0.0.1:${port}`;
    const bind = env[grpcBindVar(name)] ?? url;
    const { port: bindPort } = hostPort(bind, grpcBindVar(name));
    // Probe the bound port on loopback: a 0.0.0.0 bind answers there too.
    endpoints[name] = { url, bind, ...hostPort(url, grpcUrlVar(name)), probe: { host: '127.0.0.1', port: bindPort } };
  }
  const host = env.GATEWAY_HOST ?? '127.0.0.1';
  const port = Number(env.GATEWAY_PORT ?? DEFAULT_GATEWAY_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`GATEWAY_PORT must be a port number, got ${env.GATEWAY_PORT}`);
  const probeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  endpoints.gateway = { host, port, url: `http://${probeHost}:${port}`, probe: { host: probeHost, port } };
  return endpoints;
}

/** The environment of one child: the caller's, plus its name, its own database and the ports. */
export function childEnvironment(name, base, endpoints) {
  const env = { ...base, SERVICE_NAME: name };
  // Development only (HOMEWARD_DEV=1, which npm start, npm test and the bench set): one secret for
  // the gateway and every service of this launch, and the development master key. Production
  // passes its own, or the processes refuse to start.
  const development = env.HOMEWARD_DEV === '1';
  if (development && !env.GRPC_CALLER_SECRET && !env.GRPC_TLS_CA) env.GRPC_CALLER_SECRET = ensureGrpcCallerSecret();
  if (development && personalDataServices.includes(name) && !env.HOMEWARD_MASTER_KEYS) env.HOMEWARD_MASTER_KEYS = ensureDevMasterKeys();
  if (development && name === 'audit' && !env.AUDIT_LOG_SIGNER_KEY && !env.AUDIT_LOG_SIGNER_KEY_FILE)
    env.AUDIT_LOG_SIGNER_KEY_FILE = ensureDevLogSigner();
  if (servicesWithDatabase.includes(name)) {
    // Its own database (made by preparePostgres in this process): the runtime role's URL, and the
    // owner's for its migrations.
    Object.assign(env, serviceDatabaseEnv(name, base));
  } else {
    // No state, so no database: a service never reads another one's.
    delete env.DATABASE_URL;
    delete env.DATABASE_MIGRATION_URL;
  }
  if (name === 'gateway') {
    env.GATEWAY_HOST = endpoints.gateway.host;
    env.GATEWAY_PORT = String(endpoints.gateway.port);
    for (const { name: target } of grpcServices) env[grpcUrlVar(target)] = endpoints[target].url;
    if (!env.JWT_PUBLIC_KEY_FILE && !env.JWKS_URL) {
      env.JWT_PUBLIC_KEY_FILE = ensureDevKeys().publicKeyPath;
      env.JWT_ISSUER ??= DEV_ISSUER;
      env.JWT_AUDIENCE ??= DEV_AUDIENCE;
    }
  } else {
    env[grpcUrlVar(name)] = endpoints[name].url;
    env[grpcBindVar(name)] = endpoints[name].bind;
  }
  return env;
}
