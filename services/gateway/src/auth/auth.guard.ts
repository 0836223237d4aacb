import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import {
  InvalidTokenError,
  TokenVerifierUnavailableError,
  type InvalidTokenReason,
  type Principal,
  type TokenVerifier,
} from '@homeward/security';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../problems/problem.js';
import { RateLimiter } from '../http/rate-limit.js';
import { RATE_LIMITER, TOKEN_VERIFIER } from '../tokens.js';
import { accessFor } from './route-roles.js';

const challenge = (error?: string) => ({ 'www-authenticate': `Bearer realm="homeward"${error ? `, error="${error}"` : ''}` });

const reasons: Record<InvalidTokenReason, string> = {
  expired: 'The bearer token has expired',
  signature: 'The bearer token is not signed by a trusted key',
  claims: 'The bearer token was not issued for this API',
  malformed: 'The bearer token is malformed',
};

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Every Nest route passes here: 'public' routes go through, all others need a valid bearer token
 * (401) and one of the roles the route table lists for them (403; none listed, none allowed).
 * Each caller spends from its own rate limit (429): a verified token's subject, else the address,
 * so a flood of bad tokens is limited as well.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(RATE_LIMITER) private readonly limiter?: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const access = accessFor(request.method, request.routeOptions.url);
    if (access === 'public') return true;

    const principal = await this.authenticate(request.headers.authorization).catch((error: unknown) => {
      this.limit(`ip:${request.ip}`);
      throw error;
    });
    this.limit(`sub:${principal.sub}`);
    request.principal = principal;
    if (access === undefined) throw new ProblemException('forbidden', 'No role may call this route');
    if (!principal.roles.some((role) => access.includes(role))) {
      throw new ProblemException('forbidden', `This route needs one of the roles: ${access.join(', ')}`);
    }
    return true;
  }

  private limit(key: string): void {
    const admission = this.limiter?.take(key);
    if (admission && !admission.allowed) {
      throw new ProblemException('rate-limited', 'Too many requests; try again later', {
        headers: { 'retry-after': String(admission.retryAfterSeconds) },
      });
    }
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    const token = bearerToken(header);
    if (!token) throw new ProblemException('unauthenticated', 'A bearer token is required', { headers: challenge() });
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        throw new ProblemException('unauthenticated', reasons[error.reason], { headers: challenge('invalid_token') });
      }
      if (error instanceof TokenVerifierUnavailableError) throw new ProblemException('unavailable', 'Tokens cannot be verified right now');
      throw error;
    }
  }
}
