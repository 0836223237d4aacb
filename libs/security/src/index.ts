export { isRole, roles, type Role } from './roles.js';
export {
  createTokenVerifier,
  defaultAudience,
  defaultIssuer,
  defaultPublicKeyFile,
  InvalidTokenError,
  tokenVerifierConfigFromEnv,
  TokenVerifierUnavailableError,
  type InvalidTokenReason,
  type Principal,
  type TokenKeySource,
  type TokenVerifier,
  type TokenVerifierConfig,
} from './token-verifier.js';
