/** Injection tokens: explicit, because swc's decorator metadata cannot name interfaces. */
export const INTAKE_CLIENT = Symbol('IntakeServiceClient');
export const LEGAL_CLIENT = Symbol('LegalServiceClient');
export const IDENTITY_DOCUMENTS_CLIENT = Symbol('IdentityDocumentsServiceClient');
export const NOTIFICATIONS_CLIENT = Symbol('NotificationsServiceClient');
export const AUDIT_CLIENT = Symbol('AuditServiceClient');
export const ADMIN_CLIENTS = Symbol('AdminServiceClients');
export const TOKEN_VERIFIER = Symbol('TokenVerifier');
export const LOGGER = Symbol('Logger');
export const RATE_LIMITER = Symbol('RateLimiter');
export const ACCESS_VOLUME = Symbol('AccessVolume');
export const RECONCILER = Symbol('Reconciler');
