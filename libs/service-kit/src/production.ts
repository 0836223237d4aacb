// What each back-end service needs before it may start as production (see @homeward/security,
// deployment.ts): called first thing in each service's main.ts, before anything opens.
import { requireProductionSettings, type ProductionNeeds } from '@homeward/security';

const needs: Readonly<Record<string, ProductionNeeds>> = {
  intake: { personalData: true, kafka: true, databaseUrls: ['DATABASE_URL'] },
  'identity-documents': { personalData: true, kafka: true, databaseUrls: ['DATABASE_URL'] },
  legal: { personalData: true, kafka: true, databaseUrls: ['DATABASE_URL'] },
  notifications: { personalData: true, kafka: true, databaseUrls: ['DATABASE_URL'] },
  audit: { kafka: true, databaseUrls: ['DATABASE_URL'] },
};

/** Exits with 1 and one line naming all that is missing, when production lacks anything. */
export function requireProductionReady(service: keyof typeof needs, env: NodeJS.ProcessEnv = process.env): void {
  try {
    requireProductionSettings(service, needs[service]!, env);
  } catch (error) {
    process.stderr.write(`[${service}] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
