// Services answer gRPC calls from the gateway only: the gateway proves itself with a shared secret
// in the call metadata, or with a client certificate (mutual TLS), or both. Everything else gets
// UNAUTHENTICATED before any handler runs.
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
  type ServerInterceptor,
} from '@grpc/grpc-js';

import { isDevelopment } from './deployment.js';

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
  if (files.some(Boolean) && !files.every(Boolean)) throw new Error('GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY are set together or not at all');
  const [ca, cert, key] = files as string[];
  const tls = ca ? { ca: readFileSync(ca), cert: readFileSync(cert!), key: readFileSync(key!) } : undefined;
  let secret = env['GRPC_CALLER_SECRET'] || undefined;
  if (secret !== undefined && secret.length < minimumSecretLength) throw new Error(`GRPC_CALLER_SECRET must be at least ${minimumSecretLength} characters`);
  if (!tls && !isDevelopment(env)) throw new Error('production requires mutual TLS for gRPC: GRPC_TLS_CA, GRPC_TLS_CERT and GRPC_TLS_KEY');
  if (!secret && !tls) secret = devGrpcCallerSecret();
  return { ...(secret ? { secret } : {}), ...(tls ? { tls } : {}) };
}

/** Constant-time comparison; hashing first makes the lengths equal, so the length leaks nothing. */
export function secretMatches(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/** The server side: its credentials (client certificates required under TLS) and the secret check. */
export function grpcServerSecurity(auth: GrpcCallerAuth): { credentials: ServerCredentials; interceptors: ServerInterceptor[] } {
  const serverCredentials = auth.tls
    ? ServerCredentials.createSsl(auth.tls.ca, [{ cert_chain: auth.tls.cert, private_key: auth.tls.key }], true)
    : ServerCredentials.createInsecure();
  const { secret } = auth;
  if (!secret) return { credentials: serverCredentials, interceptors: [] };
  const check: ServerInterceptor = (_method, call) =>
    new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, pass) {
            const given = metadata.get(grpcCallerMetadataKey)[0];
            if (typeof given === 'string' && secretMatches(secret, given)) {
              // Handlers never see the secret, so it cannot end up in a log line.
              metadata.remove(grpcCallerMetadataKey);
              pass(metadata);
            } else {
              call.sendStatus({ code: status.UNAUTHENTICATED, details: 'The caller is not the gateway' });
            }
          },
        });
      },
    });
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
