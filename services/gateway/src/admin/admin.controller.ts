import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { uuidPattern } from '@homeward/vocabulary';
import {
  adminTargets,
  callOptions,
  commandDeadlineMs,
  healthDeadlineMs,
  unary,
  type AdminClient,
  type AdminClients,
} from '../grpc/grpc-clients.js';
import { NoBody } from '../http/no-body.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { ProblemException } from '../problems/problem.js';
import type { AccessVolume } from '../access/access-volume.js';
import { ACCESS_VOLUME, ADMIN_CLIENTS, RECONCILER } from '../tokens.js';
import {
  DeadLettersList,
  deadLetterView,
  JobView,
  jobView,
  ProjectionsList,
  projectionView,
  RetryView,
  StreamVerificationView,
} from './admin.views.js';
import { mergeMetrics } from './metrics-text.js';
import type { Reconciler } from './reconciliation/reconciler.js';
import { ReplayBody } from './replay.dto.js';

type Target = (typeof adminTargets)[number];

const serviceParam = ApiParam({ name: 'service', enum: adminTargets });

/** `<service>:<id>`, the form of job and dead-letter ids across services. */
function splitId(value: string, field: string, idPattern: RegExp): [Target, string] {
  const at = value.indexOf(':');
  const service = value.slice(0, at);
  const id = value.slice(at + 1);
  if (at < 0 || !(adminTargets as string[]).includes(service) || !idPattern.test(id)) {
    throw new ProblemException('validation-failed', `${field} must be <service>:<id>`, {
      errors: [{ field, rule: 'isServiceId', message: `${field} must be <service>:<id>` }],
    });
  }
  return [service as Target, id];
}

/**
 * The operator surface across services: read models and their rebuilds, jobs, dead letters,
 * replays and stream verification. Every answer holds names, counts, positions and ids: no
 * event data, so no personal field.
 */
@ApiTags('operations')
@ApiBearerAuth(bearerScheme)
@Controller()
export class AdminController {
  constructor(
    @Inject(ADMIN_CLIENTS) private readonly clients: AdminClients,
    @Inject(ACCESS_VOLUME) private readonly accessVolume: AccessVolume,
    @Inject(RECONCILER) private readonly reconciler: Reconciler,
  ) {}

  private client(service: string): AdminClient {
    if (!(adminTargets as string[]).includes(service))
      throw new ProblemException('not-found', 'no such service', { code: 'admin.unknown-service' });
    const client = this.clients[service as Target];
    if (!client) throw new ProblemException('unavailable', 'this service has no admin channel', { code: 'admin.service-unavailable' });
    return client;
  }

  /** Asks every service; the ones that do not answer are named, not fatal. */
  private async everyService<T>(
    ask: (client: AdminClient, service: Target) => Promise<T[]>,
  ): Promise<{ items: T[]; unavailable: string[] }> {
    const answers = await Promise.allSettled(
      adminTargets.map((service) => (this.clients[service] ? ask(this.clients[service], service) : Promise.reject(new Error('no client')))),
    );
    return {
      items: answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : [])),
      unavailable: adminTargets.filter((_, index) => answers[index]!.status === 'rejected'),
    };
  }

  @Get('v1/admin/projections')
  @ApiOperation({ summary: 'Every read model of every service: kind, state, checkpoint and rows' })
  @ApiOkResponse({ type: ProjectionsList })
  @ApiGuardedProblems()
  async projections(@Req() request: FastifyRequest): Promise<ProjectionsList> {
    return this.everyService(async (client) => {
      const answer = await unary(client.listProjections({}, ...callOptions(commandDeadlineMs, request.correlationId)));
      return (answer.projections ?? []).map(projectionView);
    });
  }

  @Post('v1/admin/projections/:service/:name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild a read model beside the live one and swap it in; the live one keeps serving' })
  @serviceParam
  @ApiParam({ name: 'name', example: 'person_file' })
  @ApiAcceptedResponse({ type: JobView, description: 'The rebuild job; follow it at /v1/admin/jobs/{jobId}' })
  @ApiGuardedProblems(400, 404, 422)
  async rebuild(
    @Param('service') service: string,
    @Param('name') name: string,
    @NoBody() _none: undefined,
    @Req() request: FastifyRequest,
  ): Promise<JobView> {
    const client = this.client(service);
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
      throw new ProblemException('validation-failed', 'name must be a read model name', {
        errors: [{ field: 'name', rule: 'isTableName', message: 'name must be a read model name' }],
      });
    }
    const answer = await unary(client.rebuildProjection({ name }, ...callOptions(commandDeadlineMs, request.correlationId)));
    return jobView(service, answer.job);
  }

  @Get('v1/admin/jobs/:jobId')
  @ApiOperation({ summary: 'Where a rebuild or replay job stands' })
  @ApiParam({ name: 'jobId', description: '<service>:<uuid>' })
  @ApiOkResponse({ type: JobView })
  @ApiGuardedProblems(400, 404)
  async job(@Param('jobId') jobId: string, @Req() request: FastifyRequest): Promise<JobView> {
    const [service, id] = splitId(jobId, 'jobId', uuidPattern);
    const answer = await unary(this.client(service).getJob({ id }, ...callOptions(commandDeadlineMs, request.correlationId)));
    return jobView(service, answer.job);
  }

  @Get('v1/admin/dead-letters')
  @ApiOperation({ summary: 'Messages a consumer could not apply, in every service (never their content)' })
  @ApiOkResponse({ type: DeadLettersList })
  @ApiGuardedProblems()
  async deadLetters(@Req() request: FastifyRequest): Promise<DeadLettersList> {
    return this.everyService(async (client, service) => {
      const answer = await unary(client.listDeadLetters({ limit: 1000 }, ...callOptions(commandDeadlineMs, request.correlationId)));
      return (answer.deadLetters ?? []).map((letter) => deadLetterView(service, letter));
    });
  }

  @Post('v1/admin/dead-letters/:deadLetterId/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: "Re-apply a dead letter through its consumer's handler, once",
    description: 'A second retry of the same id applies nothing',
  })
  @ApiParam({ name: 'deadLetterId', description: '<service>:<n>' })
  @ApiOkResponse({ type: RetryView })
  @ApiGuardedProblems(400, 404, 422)
  async retry(@Param('deadLetterId') deadLetterId: string, @NoBody() _none: undefined, @Req() request: FastifyRequest): Promise<RetryView> {
    const [service, id] = splitId(deadLetterId, 'deadLetterId', /^\d{1,18}$/);
    const answer = await unary(this.client(service).retryDeadLetter({ id }, ...callOptions(commandDeadlineMs, request.correlationId)));
    return { deadLetterId, outcome: answer.outcome };
  }

  @Post('v1/admin/replays')
  @HttpCode(202)
  @ApiOperation({
    summary: "Re-publish a stream or a time range of a service's own events to its topic, in order",
    description: 'Consumers deduplicate by event id',
  })
  @ApiAcceptedResponse({ type: JobView })
  @ApiGuardedProblems(400, 422)
  async replay(@Body() body: ReplayBody, @Req() request: FastifyRequest): Promise<JobView> {
    if (!body.streamId && !body.from && !body.to) {
      throw new ProblemException('validation-failed', 'give a streamId or a time range', {
        errors: [{ field: 'streamId', rule: 'streamOrRange', message: 'streamId or from/to is required' }],
      });
    }
    const answer = await unary(
      this.client(body.service).republishEvents(
        { streamId: body.streamId ?? '', from: body.from ?? '', to: body.to ?? '' },
        ...callOptions(commandDeadlineMs, request.correlationId),
      ),
    );
    return jobView(body.service, answer.job);
  }

  @Get('v1/admin/streams/:service/:streamId/verify')
  @ApiOperation({ summary: "Verify a stream's hash chain in its service's event store; names the first broken event" })
  @serviceParam
  @ApiParam({ name: 'streamId', example: 'person-01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f70' })
  @ApiOkResponse({ type: StreamVerificationView })
  @ApiGuardedProblems(404)
  async verify(
    @Param('service') service: string,
    @Param('streamId') streamId: string,
    @Req() request: FastifyRequest,
  ): Promise<StreamVerificationView> {
    const client = this.client(service);
    const answer = await unary(client.verifyStream({ streamId }, ...callOptions(commandDeadlineMs, request.correlationId)));
    return {
      service,
      streamId: answer.streamId,
      eventsChecked: answer.eventsChecked,
      valid: answer.valid,
      firstBroken: answer.firstBroken
        ? { eventId: answer.firstBroken.eventId, streamVersion: answer.firstBroken.streamVersion, reason: answer.firstBroken.reason }
        : null,
    };
  }

  /** Prometheus scrape target: every service's metrics and the gateway's own in one text (public, counts only). */
  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(@Req() request: FastifyRequest): Promise<string> {
    const texts = await Promise.allSettled(
      adminTargets.map(async (service) => {
        const client = this.clients[service];
        if (!client) throw new Error('no client');
        return (await unary(client.metrics({}, ...callOptions(healthDeadlineMs * 2, request.correlationId)))).text;
      }),
    );
    const up = adminTargets.map(
      (service, index) => `homeward_admin_up{service="${service}"} ${texts[index]!.status === 'fulfilled' ? 1 : 0}`,
    );
    return mergeMetrics([
      ...texts.flatMap((text) => (text.status === 'fulfilled' ? [text.value] : [])),
      `# TYPE homeward_admin_up gauge\n${up.join('\n')}\n`,
      this.accessVolume.metricsText(),
      this.reconciler.metricsText(),
    ]);
  }
}
