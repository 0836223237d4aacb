import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@homeward/observability';
import type { FastifyRequest } from 'fastify';
import { fieldsShown } from '../auth/field-table.js';
import type { ReadAnswer } from '../auth/field-views.js';
import { callOptions, commandDeadlineMs, unary, type AuditClient } from '../grpc/grpc-clients.js';
import { grpcStatusName, isGrpcError } from '../problems/grpc-problem.js';
import { ProblemException } from '../problems/problem.js';
import { ACCESS_VOLUME, AUDIT_CLIENT, LOGGER } from '../tokens.js';
import type { AccessVolume } from './access-volume.js';

/**
 * Every read of personal data is in the audit service's access log before it is answered: who
 * (token subject and roles), through which route, the people the answer names and the fields the
 * reader's roles were shown. Fail closed: a read that cannot be logged is refused (503), because
 * an unlogged read of a person at risk is worse than no read.
 */
@Injectable()
export class AccessLog {
  constructor(
    @Inject(AUDIT_CLIENT) private readonly audit: AuditClient,
    @Inject(ACCESS_VOLUME) private readonly volume: AccessVolume,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(request: FastifyRequest, answer: ReadAnswer, personIds: string[]): Promise<void> {
    const actor = request.principal?.sub ?? '';
    const roles = request.principal?.roles ?? [];
    try {
      await unary(
        this.audit.recordAccess(
          {
            actor,
            roles,
            personId: personIds.length === 1 ? personIds[0]! : '',
            personIds,
            fields: fieldsShown(answer.table, roles),
            at: new Date().toISOString(),
            correlationId: request.correlationId,
            route: `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url ?? ''}`,
          },
          ...callOptions(commandDeadlineMs, request),
        ),
      );
    } catch (error) {
      const status = isGrpcError(error) ? grpcStatusName(error.code) : 'not-grpc';
      this.logger.error(
        { correlationId: request.correlationId, route: request.routeOptions.url, grpcStatus: status },
        'read refused: the access log did not record it',
      );
      throw new ProblemException('unavailable', 'The read could not be written to the access log, so it is refused', {
        code: 'audit.access-not-recorded',
      });
    }
    this.volume.count(actor, personIds);
  }
}
