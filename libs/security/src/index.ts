export { isRole, roles, type Role } from './roles.js';
export {
  createTokenVerifier,
  defaultAudience,
  defaultMaxTokenAgeSeconds,
  defaultIssuer,
  defaultPublicKeyFile,
  InvalidTokenError,
  maxClockToleranceSeconds,
  tokenVerifierConfigFromEnv,
  TokenVerifierUnavailableError,
  type InvalidTokenReason,
  type Principal,
  type TokenKeySource,
  type TokenVerifier,
  type TokenVerifierConfig,
} from './token-verifier.js';
export {
  bearerMetadataKey,
  devGrpcCallerSecret,
  devGrpcCallerSecretFile,
  grpcCallerAuthFromEnv,
  grpcCallerMetadataKey,
  grpcClientSecurity,
  grpcServerSecurity,
  secretMatches,
  type GrpcCallerAuth,
  type GrpcServerSecurityOptions,
  type GrpcTlsFiles,
} from './grpc-caller.js';
export {
  callerOfCertificate,
  grpcCallerNames,
  grpcCallerTable,
  grpcMethodAccess,
  secretCaller,
  type GrpcCallerName,
  type GrpcMethodAccess,
} from './grpc-callers.js';
export { developmentSwitch, isDevelopment, missingForProduction, requireProductionSettings, type ProductionNeeds } from './deployment.js';
