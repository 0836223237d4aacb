// Services know their caller: under mutual TLS the client certificate names it (grpc-callers.ts
// says which caller may call which method); without TLS, in development only, a shared secret in
// the call metadata stands for the gateway. Calls made for a user carry the user's token, which the
// service verifies itself: a command's actor is the token's subject. All before any handler runs.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ChannelCredentials,
  credentials,
  InterceptingCall,
  ServerCredentials,
  ServerInterceptingCall,
  status,
  type Interceptor,
  type Metadata,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
} from '@grpc/grpc-js';

import { isDevelopment } from './deployment.js';
import { callerOfCertificate, grpcCallerTable, grpcMethodAccess, secretCaller, type GrpcMethodAccess } from './grpc-callers.js';
import { TokenVerifierUnavailableError, type Principal, type TokenVerifier } from './token-verifier.js';

export const grpcCallerMetadataKey = 'x-homeward-caller-secret';

export interface GrpcTlsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** How the gateway and the services recognise each other; at least one of the two is set. */
export interface GrpcCallerAuth {
  secret?: string;
  tls?: GrpcTlsFiles;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const devGrpcCallerSecretFile = path.join(repoRoot, '.local/dev-keys/grpc-caller.secret');
const minimumSecretLength = 32;

/**
 * The development secret, shared by every process of this checkout through a git-ignored file:
 * made once (atomically, as several processes may start at the same moment) and reused.
 */
export function devGrpcCallerSecret(file = devGrpcCallerSecretFile): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(32).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch {
      // Another process made it first: use theirs.
    } finally {
      unlinkSync(draft);
    }
    return readFileSync(file, 'utf8').trim();
  }
}

/**
 * GRPC_CALLER_SECRET (at least 32 characters), and mutual TLS when GRPC_TLS_CA, GRPC_TLS_CERT and
 * GRPC_TLS_KEY name PEM files. Production requires mutual TLS (a shared secret alone proves only
 * that the caller read a file); a development process (HOMEWARD_DEV=1) without either uses the
 * secret under .local.
 */
export function grpcCallerAuthFromEnv(env: NodeJS.ProcessEnv = process.env): GrpcCallerAuth {
  const files = [env['GRPC_TLS_CA'], env['GRPC_TLS_CERT'], env['GRPC_TLS_KEY']];
  if (files.some(Boolean) && !files.every(Boolean))
    throw new Error('GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY are set together or not at all');
  const [ca, cert, key] = files as string[];
  const tls = ca ? { ca: readFileSync(ca), cert: readFileSync(cert!), key: readFileSync(key!) } : undefined;
  let secret = env['GRPC_CALLER_SECRET'] || undefined;
  if (secret !== undefined && secret.length < minimumSecretLength)
    throw new Error(`GRPC_CALLER_SECRET must be at least ${minimumSecretLength} characters`);
  if (!tls && !isDevelopment(env)) throw new Error('production requires mutual TLS for gRPC: GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY');
  if (!secret && !tls) secret = devGrpcCallerSecret();
  return { ...(secret ? { secret } : {}), ...(tls ? { tls } : {}) };
}

/** Constant-time comparison; hashing first makes the lengths equal, so the length leaks nothing. */
export function secretMatches(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The metadata that carries the end user's bearer token from the gateway to a service. */
export const bearerMetadataKey = 'authorization';

/** Why a call is refused, as the status it ends with. */
class Refusal {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {}
}

/** A command's actor is the verified token's subject, whatever the caller wrote in its metadata. */
function actAs(message: unknown, sub: string): void {
  const metadata = (message as { metadata?: unknown } | null)?.metadata;
  if (typeof metadata === 'object' && metadata !== null) (metadata as { actor?: string }).actor = sub;
}

export interface GrpcServerSecurityOptions {
  /** Verifies the end user's token on the methods that carry one (the gateway's verifier, same settings). */
  verifier: TokenVerifier;
  /** Who may call what; the one table unless a test brings its own. */
  callers?: Readonly<Record<string, GrpcMethodAccess>>;
}

/**
 * The server side: its credentials (client certificates required under TLS) and one interceptor
 * that runs before any handler. It names the caller (client certificate CN, else the secret for
 * the gateway; a wrong or missing secret is UNAUTHENTICATED), checks it against the method's row
 * of the caller table (PERMISSION_DENIED otherwise, and for a method with no row), and where the
 * row says so verifies the user's bearer token (UNAUTHENTICATED when missing or invalid,
 * UNAVAILABLE when the key set cannot be fetched) and sets the actor of a command's metadata to
 * the token's subject. Handlers never see the secret or the token.
 */
export function grpcServerSecurity(
  auth: GrpcCallerAuth,
  { verifier, callers = grpcCallerTable }: GrpcServerSecurityOptions,
): { credentials: ServerCredentials; interceptors: ServerInterceptor[] } {
  const serverCredentials = auth.tls
    ? ServerCredentials.createSsl(auth.tls.ca, [{ cert_chain: auth.tls.cert, private_key: auth.tls.key }], true)
    : ServerCredentials.createInsecure();
  const { secret, tls } = auth;

  async function admit(methodPath: string, metadata: Metadata, call: ServerInterceptingCallInterface): Promise<Principal | null | Refusal> {
    const given = metadata.get(grpcCallerMetadataKey)[0];
    metadata.remove(grpcCallerMetadataKey);
    if (secret !== undefined && !(typeof given === 'string' && secretMatches(secret, given)))
      return new Refusal(status.UNAUTHENTICATED, 'The caller is not the gateway');
    const caller = tls ? callerOfCertificate(call.getAuthContext().sslPeerCertificate) : secretCaller;
    const access = grpcMethodAccess(methodPath, callers);
    if (!caller || !access?.callers.includes(caller)) return new Refusal(status.PERMISSION_DENIED, 'This caller may not call this method');

    const header = metadata.get(bearerMetadataKey)[0];
    metadata.remove(bearerMetadataKey);
    if (access.token === 'none') return null;
    const token = typeof header === 'string' ? /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header)?.[1] : undefined;
    if (!token) return new Refusal(status.UNAUTHENTICATED, 'A user token is required');
    try {
      return await verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenVerifierUnavailableError) return new Refusal(status.UNAVAILABLE, 'Tokens cannot be verified right now');
      return new Refusal(status.UNAUTHENTICATED, 'The user token is not valid');
    }
  }

  const check: ServerInterceptor = (method, call) => {
    // The message waits for the metadata's verdict: a token check may have to fetch the key set.
    let admission: Promise<Principal | null | Refusal> = Promise.resolve(new Refusal(status.INTERNAL, 'No metadata'));
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            admission = admit(method.path, metadata, call)
              .catch(() => new Refusal(status.INTERNAL, 'The caller could not be checked'))
              .then((verdict) => {
                if (verdict instanceof Refusal) call.sendStatus({ code: verdict.code, details: verdict.details });
                else pass(metadata);
                return verdict;
              });
          },
          onReceiveMessage(message, pass) {
            void admission.then((verdict) => {
              if (verdict instanceof Refusal) return;
              if (verdict) actAs(message, verdict.sub);
              pass(message);
            });
          },
        });
      },
    });
  };
  return { credentials: serverCredentials, interceptors: [check] };
}

/** The client side: what the gateway (and a test client) adds to every call. */
export function grpcClientSecurity(auth: GrpcCallerAuth): { credentials: ChannelCredentials; interceptors: Interceptor[] } {
  const channelCredentials = auth.tls ? credentials.createSsl(auth.tls.ca, auth.tls.key, auth.tls.cert) : credentials.createInsecure();
  const { secret } = auth;
  if (!secret) return { credentials: channelCredentials, interceptors: [] };
  const attach: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(grpcCallerMetadataKey, secret);
        next(metadata, listener);
      },
    });
  return { credentials: channelCredentials, interceptors: [attach] };
}
