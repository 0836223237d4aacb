import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { common } from '@homeward/contracts';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import {
  callOptions,
  healthDeadlineMs,
  unary,
  type AuditClient,
  type IdentityDocumentsClient,
  type IntakeClient,
  type LegalClient,
  type NotificationsClient,
} from '../grpc/grpc-clients.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { grpcStatusName, isGrpcError } from '../problems/grpc-problem.js';
import { AUDIT_CLIENT, IDENTITY_DOCUMENTS_CLIENT, INTAKE_CLIENT, LEGAL_CLIENT, NOTIFICATIONS_CLIENT } from '../tokens.js';

export class ServiceHealthView {
  @ApiProperty() ready!: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: "The service's own checks" })
  checks?: Record<string, string>;
  @ApiPropertyOptional({ example: 'UNAVAILABLE', description: 'gRPC status when the service did not answer' })
  error?: string;
}

export class HealthView {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ServiceHealthView) } })
  services!: Record<string, ServiceHealthView>;
}

function probe(call: Observable<common.HealthResponse>): Promise<ServiceHealthView> {
  return unary(call).then(
    (answer) => ({ ready: answer.ready, checks: answer.checks ?? {} }),
    (error: unknown) => ({ ready: false, error: isGrpcError(error) ? grpcStatusName(error.code) : 'UNKNOWN' }),
  );
}

/** Ready when every service the gateway calls says it is, each asked with a 1 s deadline. */
@ApiTags('operations')
@ApiExtraModels(ServiceHealthView)
@Controller('health')
export class HealthController {
  constructor(
    @Inject(INTAKE_CLIENT) private readonly intake: IntakeClient,
    @Inject(LEGAL_CLIENT) private readonly legal: LegalClient,
    @Inject(IDENTITY_DOCUMENTS_CLIENT) private readonly identityDocuments: IdentityDocumentsClient,
    @Inject(NOTIFICATIONS_CLIENT) private readonly notifications: NotificationsClient,
    @Inject(AUDIT_CLIENT) private readonly audit: AuditClient,
  ) {}

  /** Liveness: the gateway process answers. No service is called (a load balancer's probe, and the benchmark's no-op baseline). */
  @Get('live')
  @ApiOperation({ summary: 'Liveness of the gateway alone: calls no service (no token needed)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness for a load balancer or an orchestrator: the verdict only, nothing about what is behind it. */
  @Get()
  @ApiOperation({
    summary:
      'Readiness of the gateway and the services behind it: the verdict only (no token needed; ' +
      'the details are at /health/details, operator role)',
  })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } })
  @ApiServiceUnavailableResponse({
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['unavailable'] } } },
    description: 'At least one service is not ready',
  })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<Pick<HealthView, 'status'>> {
    const { status } = await this.details(reply);
    return { status };
  }

  @Get('details')
  @ApiBearerAuth(bearerScheme)
  @ApiGuardedProblems()
  @ApiOperation({
    summary: "Readiness of the gateway and of each service behind it, with each service's own checks (operator role, rate limited)",
  })
  @ApiOkResponse({ type: HealthView })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'At least one service is not ready' })
  async details(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthView> {
    const [intake, legal, identityDocuments, notifications, audit] = await Promise.all([
      probe(this.intake.health({}, ...callOptions(healthDeadlineMs))),
      probe(this.legal.health({}, ...callOptions(healthDeadlineMs))),
      probe(this.identityDocuments.health({}, ...callOptions(healthDeadlineMs))),
      probe(this.notifications.health({}, ...callOptions(healthDeadlineMs))),
      probe(this.audit.health({}, ...callOptions(healthDeadlineMs))),
    ]);
    const services = { intake, legal, 'identity-documents': identityDocuments, notifications, audit };
    const ready = Object.values(services).every((service) => service.ready);
    reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', services };
  }
}
