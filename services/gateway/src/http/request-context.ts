import { correlationIdFrom, correlationIdHeader, type Logger } from '@homeward/observability';
import type { Principal } from '@homeward/security';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's x-correlation-id, or a new UUID v7; echoed on the response. */
    correlationId: string;
    /** Set by the auth guard on every route that is not public. */
    principal: Principal | null;
  }
}

/**
 * Gives every request a correlation id and logs one line per response: method, route pattern,
 * status, duration and correlation id. Never the URL (it holds ids), the headers or the body.
 */
export function registerRequestContext(fastify: FastifyInstance, logger: Logger): void {
  fastify.decorateRequest('correlationId', '');
  fastify.decorateRequest('principal', null);
  fastify.addHook('onRequest', (request, reply, done) => {
    request.correlationId = correlationIdFrom(request.headers[correlationIdHeader]);
    reply.header(correlationIdHeader, request.correlationId);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    logger.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        correlationId: request.correlationId,
      },
      'request',
    );
    done();
  });
}
