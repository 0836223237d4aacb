import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { audit } from '@homeward/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type AuditClient } from '../grpc/grpc-clients.js';
import { defaultPageSize } from '../http/page.query.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { ProblemException } from '../problems/problem.js';
import { AccessLog } from '../access/access-log.js';
import { shape } from '../auth/field-table.js';
import { readAnswers } from '../auth/field-views.js';
import { AUDIT_CLIENT } from '../tokens.js';
import { AccessLogQuery, AuditEventFilterQuery, SearchAuditEventsQuery, VerifyQuery } from './audit.queries.js';
import {
  accessEntryView,
  AccessLogPage,
  auditEventView,
  AuditEventsPage,
  SourceVerificationView,
  StreamVerificationView,
  streamVerificationView,
} from './audit.view.js';

export const ndjsonContentType = 'application/x-ndjson';

/** A verification over a whole context reads every stream of it: more time than a command. */
const verifyDeadlineMs = 60_000;
/** An export may run long; it is bounded, not unbounded. */
const exportDeadlineMs = 10 * 60_000;

const filterOf = (query: AuditEventFilterQuery): audit.EventFilter => ({
  personId: query.personId ?? '',
  streamId: query.streamId ?? '',
  type: query.type ?? '',
  actor: query.actor ?? '',
  from: query.from ?? '',
  to: query.to ?? '',
  through: '',
});

/**
 * The audit trail, read-only: auditors (and admins) search and export the verbatim copy of every
 * event, verify hash chains, and see who read which person's file. There is no command here.
 */
@ApiTags('audit')
@ApiBearerAuth(bearerScheme)
@ApiExtraModels(StreamVerificationView, SourceVerificationView)
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(AUDIT_CLIENT) private readonly audit: AuditClient,
    @Inject(AccessLog) private readonly reads: AccessLog,
  ) {}

  @Get('events')
  @ApiOperation({
    summary: 'Search the events of every context by person, stream, type, actor and time',
    description: 'Events come verbatim, personal fields included as the producer stored them',
  })
  @ApiOkResponse({ type: AuditEventsPage })
  @ApiGuardedProblems(400)
  async search(@Query() query: SearchAuditEventsQuery, @Req() request: FastifyRequest): Promise<AuditEventsPage> {
    const page = await unary(
      this.audit.searchEvents(
        { filter: filterOf(query), limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(auditEventView), nextCursor: page.nextCursor || null, total: page.total };
  }

  @Get('events/export')
  @ApiOperation({ summary: 'Every event matching the filter, one JSON object per line, streamed as it is read' })
  @ApiProduces(ndjsonContentType)
  @ApiOkResponse({ description: 'NDJSON: one AuditEvent per line', content: { [ndjsonContentType]: { schema: { type: 'string' } } } })
  @ApiGuardedProblems(400)
  async export(@Query() query: AuditEventFilterQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Streamed, so the interceptor never sees it: logged first with everyone the export will name
    // (up to the position audit answers, which bounds the export), then each line shaped.
    const answer = readAnswers['GET /v1/audit/events/export']!;
    const named = await unary(this.audit.subjectsOf(filterOf(query), ...callOptions(exportDeadlineMs, request)));
    await this.reads.record(request, answer, named.subjects ?? []);
    const roles = request.principal?.roles ?? [];
    const events = this.audit.exportEvents({ ...filterOf(query), through: named.through }, ...callOptions(exportDeadlineMs, request));
    const body = new Readable({ read() {} });
    // Answer only once the first event (or the end) has come, so that a refusal before any line
    // (a bad filter, audit unavailable) is still a problem document and not a broken 200.
    await new Promise<void>((resolve, reject) => {
      let started = false;
      const start = () => {
        if (started) return;
        started = true;
        void reply.type(ndjsonContentType).send(body);
        resolve();
      };
      events.subscribe({
        next: (event) => {
          start();
          body.push(`${JSON.stringify(shape(auditEventView(event), answer.table, roles))}\n`);
        },
        complete: () => {
          start();
          body.push(null);
        },
        error: (error: unknown) => {
          if (!started) {
            started = true;
            reject(error);
            return;
          }
          // Headers are gone: cut the stream, so a client never takes a truncated export for a whole one.
          body.destroy(error instanceof Error ? error : new Error('export failed'));
        },
      });
    });
  }

  @Get('verify')
  @ApiOperation({ summary: "Recompute a stream's hash chain (?streamId=) or every stream of a context (?source=) from the audit copy" })
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(StreamVerificationView) }, { $ref: getSchemaPath(SourceVerificationView) }] } })
  @ApiGuardedProblems(400, 404)
  async verify(@Query() query: VerifyQuery, @Req() request: FastifyRequest): Promise<StreamVerificationView | SourceVerificationView> {
    if (Boolean(query.streamId) === Boolean(query.source))
      throw new ProblemException('validation-failed', 'Give exactly one of streamId and source', { code: 'audit.verify-target' });
    const options = callOptions(verifyDeadlineMs, request);
    if (query.streamId) return streamVerificationView(await unary(this.audit.verifyStream({ streamId: query.streamId }, ...options)));
    const result = await unary(this.audit.verifySource({ source: query.source! }, ...options));
    const broken = (result.broken ?? []).map(streamVerificationView);
    return {
      source: result.source,
      streamsChecked: result.streamsChecked,
      eventsChecked: result.eventsChecked,
      valid: broken.length === 0,
      broken,
    };
  }

  @Get('access-log')
  @ApiOperation({
    summary: 'Who read which people, when, through which route, and which fields they were shown',
    description:
      'Every read of personal data through the gateway writes one entry before it is answered; ' +
      '?personId= finds the entries naming that person, a list read among them',
  })
  @ApiOkResponse({ type: AccessLogPage })
  @ApiGuardedProblems(400)
  async accessLog(@Query() query: AccessLogQuery, @Req() request: FastifyRequest): Promise<AccessLogPage> {
    const page = await unary(
      this.audit.listAccessLog(
        {
          personId: query.personId ?? '',
          actor: query.actor ?? '',
          from: query.from ?? '',
          to: query.to ?? '',
          limit: query.limit ?? defaultPageSize,
          cursor: query.cursor ?? '',
        },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(accessEntryView), nextCursor: page.nextCursor || null };
  }
}
