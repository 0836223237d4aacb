import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayModule, type GatewayDependencies } from './gateway.module.js';
import { registerRequestContext } from './http/request-context.js';
import { NestLogger } from './nest-logger.js';
import { serveOpenApi } from './openapi/openapi.js';

export const bodyLimitBytes = 1024 * 1024;

/**
 * The gateway, initialised but not listening: main.ts listens, tests use `app.inject()`.
 * One construction for both, so tests exercise the real pipeline (hooks, guard, pipes, filter).
 */
export async function createGatewayApp(dependencies: GatewayDependencies): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.register(dependencies),
    new FastifyAdapter({ bodyLimit: bodyLimitBytes }),
    // Nest's body parsers would add urlencoded bodies; the API takes JSON only (Fastify's own
    // parser, under bodyLimit). Anything else is refused as an unsupported media type.
    { logger: new NestLogger(dependencies.logger), abortOnError: false, bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  registerRequestContext(fastify, dependencies.logger);
  const { onClose } = dependencies;
  if (onClose) fastify.addHook('onClose', async () => onClose());
  serveOpenApi(app);
  await app.init();
  await fastify.ready();
  return app;
}
