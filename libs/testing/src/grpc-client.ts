// A plain gRPC client of one of our services, from the same proto and loader options the gateway
// uses, with promises instead of callbacks: for tests that boot a service in-process.
import net from 'node:net';
import path from 'node:path';
import { InterceptingCall, loadPackageDefinition, type Client, type Interceptor, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { grpcLoaderOptions, grpcServices, protoRoot } from '@homeward/contracts';
import { bearerMetadataKey, grpcCallerAuthFromEnv, grpcClientSecurity, type GrpcCallerAuth } from '@homeward/security';
import { defaultTestUser, devUserToken } from './dev-token.js';

type RawClient = Client & Record<string, (request: unknown, callback: (error: ServiceError | null, response: unknown) => void) => void>;

/**
 * Which user's token a test call carries, as the gateway forwards its user's: by default a
 * development token for the actor the command's metadata names (so a test that acts "as
 * caseworker-1" is caseworker-1 to the service), `test-user` when it names none; a token of the
 * test's own; or null for none at all.
 */
export type TestUserToken = string | null | undefined;

const actorOf = (message: unknown): string => {
  const actor = (message as { metadata?: { actor?: unknown } | null } | null)?.metadata?.actor;
  return typeof actor === 'string' && actor !== '' ? actor : defaultTestUser;
};

/** Adds the user's token to every call; the default token waits for the message that names the actor. */
function userTokenInterceptor(token: TestUserToken): Interceptor[] {
  if (token === null) return [];
  return [
    (options, nextCall) => {
      let startWith: ((sub: string) => void) | undefined;
      const begin = (sub: string) => {
        startWith?.(sub);
        startWith = undefined;
      };
      return new InterceptingCall(nextCall(options), {
        start(metadata, listener, next) {
          startWith = (sub) => {
            metadata.set(bearerMetadataKey, `Bearer ${token ?? devUserToken(sub)}`);
            next(metadata, listener);
          };
          if (token !== undefined) begin(defaultTestUser);
        },
        sendMessage(message, next) {
          begin(actorOf(message));
          next(message);
        },
        halfClose(next) {
          begin(defaultTestUser);
          next();
        },
      });
    },
  ];
}

/**
 * What a test client needs to be let in, as the gateway is: the caller secret (from the
 * environment or the dev file, like the service under test), TLS when configured, and a user's
 * token (see TestUserToken). For a Nest gRPC client's options; `rawGrpcClient(…, null, null)` calls
 * with no credentials at all.
 */
export function grpcCallerClientOptions(callerAuth: GrpcCallerAuth = grpcCallerAuthFromEnv(), token?: TestUserToken) {
  const security = grpcClientSecurity(callerAuth);
  return {
    credentials: security.credentials,
    channelOptions: { interceptors: [...security.interceptors, ...userTokenInterceptor(token)] },
  };
}

/** The raw grpc-js client of a service (for streaming calls a test drives itself). */
export function rawGrpcClient(
  service: keyof typeof grpcServices,
  url: string,
  callerAuth: GrpcCallerAuth | null = grpcCallerAuthFromEnv(),
  token?: TestUserToken,
): RawClient {
  const { package: packageName, service: serviceName, file } = grpcServices[service];
  const loaded = loadPackageDefinition(loadSync(path.join(protoRoot, file), grpcLoaderOptions)) as unknown as Record<string, unknown>;
  const namespace = packageName.split('.').reduce<Record<string, unknown>>((scope, part) => scope[part] as Record<string, unknown>, loaded);
  const Constructor = namespace[serviceName] as new (url: string, credentials: unknown, options: unknown) => Client;
  const security = grpcClientSecurity(callerAuth ?? {});
  return new Constructor(url, security.credentials, {
    interceptors: [...security.interceptors, ...userTokenInterceptor(token)],
  }) as RawClient;
}

/**
 * A promise per unary method, named as in the generated client (`registerPerson` calls
 * `RegisterPerson`); `close()` closes the channel. The caller states the interface it expects.
 */
export function grpcTestClient<T extends { close(): void }>(
  service: keyof typeof grpcServices,
  url: string,
  callerAuth?: GrpcCallerAuth | null,
  token?: TestUserToken,
): T {
  const client = rawGrpcClient(service, url, callerAuth === undefined ? grpcCallerAuthFromEnv() : callerAuth, token);
  return new Proxy({} as T, {
    get(_target, method: string) {
      if (method === 'close') return () => client.close();
      if (method === 'then') return undefined; // not a thenable: it can be returned from async functions
      const rpc = method.charAt(0).toUpperCase() + method.slice(1);
      return (request: unknown) =>
        new Promise((resolve, reject) => client[rpc]!(request, (error, response) => (error ? reject(error) : resolve(response))));
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
