import { errorCodes, type FastifyInstance } from 'fastify';

/**
 * Lets one route take text/csv: the body arrives as a string, under the gateway's 1 MiB limit.
 * Every other route keeps refusing it as it refuses any body that is not JSON.
 */
export function acceptCsvOn(fastify: FastifyInstance, route: string): void {
  fastify.addContentTypeParser('text/csv', { parseAs: 'string' }, (request, body, done) => {
    if (request.routeOptions.url !== route) done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE('text/csv'), undefined);
    else done(null, body);
  });
}
