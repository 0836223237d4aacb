// A plain gRPC client of one of our services, from the same proto and loader options the gateway
// uses, with promises instead of callbacks: for tests that boot a service in-process.
import net from 'node:net';
import path from 'node:path';
import { loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcLoaderOptions, grpcServices, protoRoot } from '@homeward/contracts';
import { grpcCallerAuthFromEnv, grpcClientSecurity, type GrpcCallerAuth } from '@homeward/security';

type RawClient = Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: unknown) => void) => void>;

/**
 * What a test client needs to be let in, as the gateway is: the caller secret (from the
 * environment or the dev file, like the service under test) and TLS when configured. For a
 * Nest gRPC client's options; `rawGrpcClient(…, null)` calls with no credentials at all.
 */
export function grpcCallerClientOptions(callerAuth: GrpcCallerAuth = grpcCallerAuthFromEnv()) {
  const security = grpcClientSecurity(callerAuth);
  return { credentials: security.credentials, channelOptions: { interceptors: security.interceptors } };
}

/** The raw grpc-js client of a service (for streaming calls a test drives itself). */
export function rawGrpcClient(service: keyof typeof grpcServices, url: string, callerAuth: GrpcCallerAuth | null = grpcCallerAuthFromEnv()): RawClient {
  const { package: packageName, service: serviceName, file } = grpcServices[service];
  const loaded = loadPackageDefinition(loadSync(path.join(protoRoot, file), grpcLoaderOptions)) as unknown as Record<string, unknown>;
  const namespace = packageName.split('.').reduce<Record<string, unknown>>((scope, part) => scope[part] as Record<string, unknown>, loaded);
  const Constructor = namespace[serviceName] as new (url: string, credentials: unknown, options: unknown) => Client;
  const security = grpcClientSecurity(callerAuth ?? {});
  return new Constructor(url, security.credentials, { interceptors: security.interceptors }) as RawClient;
}

/**
 * A promise per unary method, named as in the generated client (`registerPerson` calls
 * `RegisterPerson`); `close()` closes the channel. The caller states the interface it expects.
 */
export function grpcTestClient<T extends { close(): void }>(service: keyof typeof grpcServices, url: string, callerAuth?: GrpcCallerAuth | null): T {
  const client = rawGrpcClient(service, url, callerAuth === undefined ? grpcCallerAuthFromEnv() : callerAuth);
  return new Proxy({} as T, {
    get(_target, method: string) {
      if (method === 'close') return () => client.close();
      if (method === 'then') return undefined; // not a thenable: it can be returned from async functions
      const rpc = method.charAt(0).toUpperCase() + method.slice(1);
      return (request: unknown) => new Promise((resolve, reject) => client[rpc]!(request, (error, response) => (error ? reject(error) : resolve(response))));
    },
  });
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
