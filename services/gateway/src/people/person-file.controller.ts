import { status as grpcStatus } from '@grpc/grpc-js';
import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Logger } from '@homeward/observability';
import type { FastifyRequest } from 'fastify';
import { visible } from '../auth/field-table.js';
import { personFile } from '../auth/field-views.js';
import { personDocumentsView } from '../documents/person-documents.view.js';
import {
  callOptions,
  commandDeadlineMs,
  unary,
  type IdentityDocumentsClient,
  type IntakeClient,
  type LegalClient,
  type NotificationsClient,
} from '../grpc/grpc-clients.js';
import { uuidParam } from '../http/validation.js';
import { legalCaseDetailView } from '../legal/legal-case.view.js';
import { deliveryView, welfareCheckView } from '../notifications/notifications.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { grpcStatusName, isGrpcError } from '../problems/grpc-problem.js';
import { IDENTITY_DOCUMENTS_CLIENT, INTAKE_CLIENT, LEGAL_CLIENT, LOGGER, NOTIFICATIONS_CLIENT } from '../tokens.js';
import { PersonFileQuery } from './person-file.query.js';
import { personFileView, PersonFileView } from './person-file.view.js';

/** A person's cases and notifications; more than this is not a file anyone reads in one go. */
const itemsPerSection = 100;

type Section = 'documents' | 'legal' | 'notifications';

/**
 * A person's whole file, composed from the services that own its parts. Intake is required;
 * a section from another service that fails is left out and named in `partial`.
 */
@ApiTags('people')
@ApiBearerAuth(bearerScheme)
@Controller('v1/people')
export class PersonFileController {
  constructor(
    @Inject(INTAKE_CLIENT) private readonly intake: IntakeClient,
    @Inject(IDENTITY_DOCUMENTS_CLIENT) private readonly documents: IdentityDocumentsClient,
    @Inject(LEGAL_CLIENT) private readonly legal: LegalClient,
    @Inject(NOTIFICATIONS_CLIENT) private readonly notifications: NotificationsClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':personId')
  @ApiOperation({
    summary: "A person's whole file: the person, status, timeline, documents status, legal cases and flags, notification state",
  })
  @ApiParam({ name: 'personId', format: 'uuid' })
  @ApiOkResponse({ type: PersonFileView })
  @ApiGuardedProblems(400, 404, 409)
  async get(
    @Param('personId', uuidParam('personId')) personId: string,
    @Query() query: PersonFileQuery,
    @Req() request: FastifyRequest,
  ): Promise<PersonFileView> {
    const options = () => callOptions(commandDeadlineMs, request);
    const partial: Section[] = [];
    // A section the caller's roles may not see is not even asked for.
    const roles = request.principal?.roles ?? [];
    const section = <T>(name: Section, load: () => Promise<T>): Promise<T | null> =>
      !visible(personFile, [name], roles)
        ? Promise.resolve(null)
        : load().catch((error: unknown) => {
            // No documents recorded yet is an answer, not a failure.
            if (name === 'documents' && isGrpcError(error) && error.code === grpcStatus.NOT_FOUND) return null;
            partial.push(name);
            const status = isGrpcError(error) ? grpcStatusName(error.code) : 'not-grpc';
            this.logger.warn(
              { correlationId: request.correlationId, section: name, grpcStatus: status },
              'person file served without a section',
            );
            return null;
          });

    const [file, documents, legal, notifications] = await Promise.all([
      unary(this.intake.getPerson({ personId, minVersion: query.minVersion }, ...options())),
      section('documents', async () => personDocumentsView(await unary(this.documents.getDocuments({ personId }, ...options())))),
      section('legal', async () => {
        const page = await unary(this.legal.listCases({ personId, provision: '', limit: itemsPerSection, cursor: '' }, ...options()));
        return { cases: (page.items ?? []).map(legalCaseDetailView) };
      }),
      section('notifications', async () => {
        const [deliveries, checks] = await Promise.all([
          unary(this.notifications.listDeliveries({ personId, limit: itemsPerSection, cursor: '' }, ...options())),
          unary(this.notifications.listWelfareChecks({ personId, overdue: false, limit: itemsPerSection, cursor: '' }, ...options())),
        ]);
        return { deliveries: (deliveries.items ?? []).map(deliveryView), welfareChecks: (checks.items ?? []).map(welfareCheckView) };
      }),
    ]);
    // Logged and cut to the caller's roles on the way out (ReadAnswerInterceptor, field-views.ts).
    return personFileView(file, { documents, legal, notifications, partial: partial.sort() });
  }
}
