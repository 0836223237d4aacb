// Production is the default. The development defaults (the development JWT key, a master key
// under .local or one thrown away with the process, the .local gRPC caller secret, plaintext gRPC
// and Kafka, passwordless database URLs) apply only under an explicit switch, HOMEWARD_DEV=1,
// which `npm start`, `npm test` and the benchmark set. NODE_ENV plays no part: a mistyped or
// missing NODE_ENV must never turn a production deployment into a development one.

export const developmentSwitch = 'HOMEWARD_DEV';

export const isDevelopment = (env: NodeJS.ProcessEnv = process.env): boolean => env[developmentSwitch] === '1';

export interface ProductionNeeds {
  /** Verifies users' tokens against the identity provider: the gateway, and every service behind it. */
  verifiesTokens?: boolean;
  /** Holds data keys of people or recipients, wrapped by the master key. */
  personalData?: boolean;
  /** Signs the audit log's checkpoints with the organisation's key. */
  signsLog?: boolean;
  /** Talks to Kafka. */
  kafka?: boolean;
  /** Environment variables holding database URLs it connects with. */
  databaseUrls?: readonly string[];
}

const tlsModes = ['require', 'verify-ca', 'verify-full'];

function databaseUrlProblem(name: string, value: string | undefined): string | null {
  if (!value) return `${name} (with sslmode=verify-full)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} as a postgres:// URL`;
  }
  const mode = url.searchParams.get('sslmode');
  if (!mode || !tlsModes.includes(mode)) return `${name} with TLS (sslmode=verify-full, or require / verify-ca)`;
  if (!url.password) return `${name} with a password`;
  return null;
}

/**
 * What a production process lacks, each named by its setting (never a value): mutual TLS for
 * gRPC (a shared secret alone is not enough), and as the process needs them a JWKS URL (https)
 * and issuer, the master key, Kafka over TLS with SASL, database URLs with TLS and a password.
 */
export function missingForProduction(needs: ProductionNeeds, env: NodeJS.ProcessEnv = process.env): string[] {
  const missing: string[] = [];
  if (needs.verifiesTokens) {
    if (!env['JWKS_URL']?.startsWith('https://')) missing.push('JWKS_URL (https)');
    if (!env['JWT_ISSUER']) missing.push('JWT_ISSUER');
  }
  const tls = ['GRPC_TLS_CA', 'GRPC_TLS_CERT', 'GRPC_TLS_KEY'].filter((name) => !env[name]);
  if (tls.length > 0) missing.push(`mutual TLS for gRPC (${tls.join(', ')})`);
  if (needs.personalData && !env['HOMEWARD_MASTER_KEYS']?.trim()) missing.push('HOMEWARD_MASTER_KEYS');
  if (needs.signsLog && !env['AUDIT_LOG_SIGNER_KEY']?.trim() && !env['AUDIT_LOG_SIGNER_KEY_FILE']?.trim())
    missing.push('AUDIT_LOG_SIGNER_KEY or AUDIT_LOG_SIGNER_KEY_FILE');
  if (needs.kafka) {
    if (env['KAFKA_SSL'] !== 'true' && !env['KAFKA_SSL_CA_FILE']) missing.push('KAFKA_SSL=true');
    for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) if (!env[name]) missing.push(name);
  }
  for (const name of needs.databaseUrls ?? []) {
    const problem = databaseUrlProblem(name, env[name]);
    if (problem) missing.push(problem);
  }
  return missing;
}

/** Refuses to start a production process that lacks anything production needs, naming all of it at once. */
export function requireProductionSettings(processName: string, needs: ProductionNeeds, env: NodeJS.ProcessEnv = process.env): void {
  if (isDevelopment(env)) return;
  const missing = missingForProduction(needs, env);
  if (missing.length === 0) return;
  throw new Error(
    `${processName} runs as production (${developmentSwitch}=1 is not set) and refuses to start without: ${missing.join('; ')}`,
  );
}
