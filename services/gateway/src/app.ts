import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { isDevelopment } from '@homeward/security';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayModule, type GatewayDependencies } from './gateway.module.js';
import { registerRequestContext } from './http/request-context.js';
import { NestLogger } from './nest-logger.js';
import { serveOpenApi } from './openapi/openapi.js';
import { problem, problemContentType } from './problems/problem.js';

export const bodyLimitBytes = 1024 * 1024;

/** The /docs page is a development aid: in production only when GATEWAY_DOCS=1. */
export const docsEnabled = (env: NodeJS.ProcessEnv = process.env) => isDevelopment(env) || env['GATEWAY_DOCS'] === '1';

/**
 * Fastify's router refuses a malformed address (bad percent-encoding, a parameter over 100
 * characters) before any hook or Nest runs, and by default answers in its own JSON quoting the
 * path. Answered here as the problem every other refusal is; written raw, as no route exists.
 */
function answerRouterError(_error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const instance = (request.raw.url ?? '/').split('?')[0] ?? '/';
  const body = JSON.stringify(problem('validation-failed', 'The address is not valid', instance));
  reply.raw.writeHead(400, { 'content-type': problemContentType, 'content-length': Buffer.byteLength(body) }).end(body);
}

/**
 * The gateway, initialised but not listening: main.ts listens, tests use `app.inject()`.
 * One construction for both, so tests exercise the real pipeline (hooks, guard, pipes, filter).
 */
export async function createGatewayApp(dependencies: GatewayDependencies): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.register(dependencies),
    new FastifyAdapter({ bodyLimit: bodyLimitBytes, frameworkErrors: answerRouterError }),
    // Nest's body parsers would add urlencoded bodies; the API takes JSON only (Fastify's own
    // parser, under bodyLimit). Anything else is refused as an unsupported media type.
    { logger: new NestLogger(dependencies.logger), abortOnError: false, bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  registerRequestContext(fastify, dependencies.logger);
  const { onClose } = dependencies;
  if (onClose) fastify.addHook('onClose', async () => onClose());
  serveOpenApi(app, { ui: dependencies.docs ?? docsEnabled() });
  await app.init();
  await fastify.ready();
  return app;
}
