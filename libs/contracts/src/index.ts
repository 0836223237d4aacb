// The versioned contracts, generated from proto/ by the build (see buf.gen.yaml). Never edit generated/.
import { fileURLToPath } from 'node:url';

export * as common from './generated/homeward/common/v1/common.js';
export * as intake from './generated/homeward/intake/v1/intake.js';
export * as intakeEvents from './generated/homeward/intake/v1/events.js';
export * as legal from './generated/homeward/legal/v1/legal.js';
export * as legalEvents from './generated/homeward/legal/v1/events.js';
export * as identityDocuments from './generated/homeward/identity_documents/v1/identity_documents.js';
export * as identityDocumentsEvents from './generated/homeward/identity_documents/v1/events.js';
export * as notifications from './generated/homeward/notifications/v1/notifications.js';
export * as notificationsEvents from './generated/homeward/notifications/v1/events.js';
export * as admin from './generated/homeward/admin/v1/admin.js';
export * as audit from './generated/homeward/audit/v1/audit.js';
export { inventory, type FieldEntry, type Privacy } from './generated/inventory.js';

/** Root of the .proto files, for the gRPC loader (same path from src/ and dist/). */
export const protoRoot = fileURLToPath(new URL('../../../proto/', import.meta.url));

/** gRPC package and file of each service, as the Nest gRPC transport wants them. */
export const grpcServices = {
  intake: { package: 'homeward.intake.v1', service: 'IntakeService', file: 'homeward/intake/v1/intake.proto' },
  legal: { package: 'homeward.legal.v1', service: 'LegalService', file: 'homeward/legal/v1/legal.proto' },
  'identity-documents': {
    package: 'homeward.identity_documents.v1',
    service: 'IdentityDocumentsService',
    file: 'homeward/identity_documents/v1/identity_documents.proto',
  },
  notifications: {
    package: 'homeward.notifications.v1',
    service: 'NotificationsService',
    file: 'homeward/notifications/v1/notifications.proto',
  },
  audit: { package: 'homeward.audit.v1', service: 'AuditService', file: 'homeward/audit/v1/audit.proto' },
} as const;

/** The operator surface every service serves beside its own (see proto/homeward/admin/v1/admin.proto). */
export const adminGrpcService = { package: 'homeward.admin.v1', service: 'AdminService', file: 'homeward/admin/v1/admin.proto' } as const;

/** proto-loader options shared by every gRPC server and client, so both sides see the same shapes. */
export const grpcLoaderOptions = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
  includeDirs: [protoRoot],
};
