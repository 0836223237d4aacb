/** The gateway's settings, from the environment; the token settings are read by @homeward/security. */
export interface GatewayConfig {
  host: string;
  port: number;
  intakeGrpcUrl: string;
  legalGrpcUrl: string;
  identityDocumentsGrpcUrl: string;
  notificationsGrpcUrl: string;
  auditGrpcUrl: string;
}

export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const port = Number(env['GATEWAY_PORT'] || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('GATEWAY_PORT must be a port number');
  return {
    host: env['GATEWAY_HOST'] || '127.0.0.1',
    port,
    intakeGrpcUrl: env['INTAKE_GRPC_URL'] || '127.0.0.1:50051',
    legalGrpcUrl: env['LEGAL_GRPC_URL'] || '127.0.0.1:50053',
    identityDocumentsGrpcUrl: env['IDENTITY_DOCUMENTS_GRPC_URL'] || '127.0.0.1:50052',
    notificationsGrpcUrl: env['NOTIFICATIONS_GRPC_URL'] || '127.0.0.1:50054',
    auditGrpcUrl: env['AUDIT_GRPC_URL'] || '127.0.0.1:50055',
  };
}
