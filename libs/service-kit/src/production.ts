// What each back-end service needs before it may start as production (see @homeward/security,
// deployment.ts): called first thing in each service's main.ts, before anything opens.
import { requireProductionSettings, type ProductionNeeds } from '@homeward/security';

// Every service verifies the users' tokens the gateway forwards, as the gateway does. Exported for
// the deployment checks (test/deployment), which hold the manifests to the same list.
export const productionNeeds: Readonly<Record<string, ProductionNeeds>> = {
  intake: { verifiesTokens: true, personalData: true, kafka: true, databaseUrls: ['DATABASE_URL', 'DATABASE_MIGRATION_URL'] },
  'identity-documents': { verifiesTokens: true, personalData: true, kafka: true, databaseUrls: ['DATABASE_URL', 'DATABASE_MIGRATION_URL'] },
  legal: { verifiesTokens: true, personalData: true, kafka: true, databaseUrls: ['DATABASE_URL', 'DATABASE_MIGRATION_URL'] },
  notifications: { verifiesTokens: true, personalData: true, kafka: true, databaseUrls: ['DATABASE_URL', 'DATABASE_MIGRATION_URL'] },
  audit: { verifiesTokens: true, signsLog: true, kafka: true, databaseUrls: ['DATABASE_URL', 'DATABASE_MIGRATION_URL'] },
};

/** Exits with 1 and one line naming all that is missing, when production lacks anything. */
export function requireProductionReady(service: keyof typeof productionNeeds, env: NodeJS.ProcessEnv = process.env): void {
  try {
    requireProductionSettings(service, productionNeeds[service]!, env);
  } catch (error) {
    process.stderr.write(`[${service}] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
