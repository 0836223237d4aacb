import { createLogger, loggableError } from '@homeward/observability';
import { createTokenVerifier, grpcCallerAuthFromEnv, requireProductionSettings, tokenVerifierConfigFromEnv } from '@homeward/security';
import { createGatewayApp } from './app.js';
import { gatewayConfigFromEnv } from './config.js';
import { connectGrpcClients } from './grpc/grpc-clients.js';
import { rateLimitConfigFromEnv } from './http/rate-limit.js';

const logger = createLogger('gateway');

async function main(): Promise<void> {
  // Before anything opens: production (anything but HOMEWARD_DEV=1) names all it lacks and stops.
  requireProductionSettings('gateway', { verifiesTokens: true });
  const config = gatewayConfigFromEnv();
  const verifier = createTokenVerifier(tokenVerifierConfigFromEnv());
  const rateLimit = rateLimitConfigFromEnv();
  const clients = connectGrpcClients(
    {
      intake: config.intakeGrpcUrl,
      legal: config.legalGrpcUrl,
      'identity-documents': config.identityDocumentsGrpcUrl,
      notifications: config.notificationsGrpcUrl,
      audit: config.auditGrpcUrl,
    },
    grpcCallerAuthFromEnv(),
  );
  const app = await createGatewayApp({ ...clients, verifier, logger, rateLimit, onClose: () => clients.close() });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.info({ host: config.host, port: config.port, intake: config.intakeGrpcUrl, legal: config.legalGrpcUrl }, 'gateway listening');
}

main().catch((error: unknown) => {
  logger.fatal({ err: loggableError(error), reason: error instanceof Error ? error.message : undefined }, 'gateway failed to start');
  process.exit(1);
});
