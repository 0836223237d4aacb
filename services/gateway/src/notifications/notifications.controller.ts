import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type NotificationsClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { idempotencyKeyHeader as idempotencyKey, ifMatchHeader, repeatedResponse as repeated } from '../http/command-route.js';
import { NoBody } from '../http/no-body.js';
import { uuidParam } from '../http/validation.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { NOTIFICATIONS_CLIENT } from '../tokens.js';
import { ChangeFollowsBody } from './change-follows.dto.js';
import { defaultPageSize, ListDeliveriesQuery, ListWelfareChecksQuery } from './notifications.queries.js';
import { DeliveriesPage, deliveryView, welfareCheckView, WelfareChecksPage } from './notifications.view.js';
import { RegisterRecipientBody } from './register-recipient.dto.js';

const ifMatch = ifMatchHeader("Expected version of the recipient's stream; a stale one answers 409");
const created = ApiCreatedResponse({ type: CommandResultView, description: 'Recorded' });
const recipientIdParam = ApiParam({ name: 'recipientId', format: 'uuid' });

/** Who must know, and did they hear: recipients, deliveries and welfare checks. */
@ApiTags('notifications')
@ApiBearerAuth(bearerScheme)
@Controller('v1/notifications')
export class NotificationsController {
  constructor(@Inject(NOTIFICATIONS_CLIENT) private readonly notifications: NotificationsClient) {}

  @Post('recipients')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a recipient: who is told, how, and about whom', description: 'The service assigns the recipient id' })
  @idempotencyKey
  @created
  @repeated
  @ApiGuardedProblems(400, 413, 422)
  async registerRecipient(
    @Body() body: RegisterRecipientBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(
      this.notifications.registerRecipient(
        { metadata, recipientId: '', role: body.role, channel: body.channel, address: body.address, consent: body.consent, follows: body.follows ?? [] },
        ...callOptions(commandDeadlineMs, metadata.correlationId),
      ),
    );
    return commandAnswer(result, reply);
  }

  @Post('recipients/:recipientId/consent-withdrawal')
  @HttpCode(201)
  @ApiOperation({ summary: 'Withdraw a recipient\'s consent: nothing more is queued or sent to them, not even what is queued already' })
  @recipientIdParam
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 404, 409, 422)
  async withdrawConsent(
    @Param('recipientId', uuidParam('recipientId')) recipientId: string,
    @NoBody() _none: undefined,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(this.notifications.withdrawConsent({ metadata, recipientId }, ...callOptions(commandDeadlineMs, metadata.correlationId)));
    return commandAnswer(result, reply);
  }

  @Post('recipients/:recipientId/follows')
  @HttpCode(201)
  @ApiOperation({ summary: 'Replace the set of people a recipient follows' })
  @recipientIdParam
  @idempotencyKey
  @ifMatch
  @created
  @repeated
  @ApiGuardedProblems(400, 404, 409, 413, 422)
  async changeFollows(
    @Param('recipientId', uuidParam('recipientId')) recipientId: string,
    @Body() body: ChangeFollowsBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    const result = await unary(this.notifications.changeFollows({ metadata, recipientId, follows: body.follows }, ...callOptions(commandDeadlineMs, metadata.correlationId)));
    return commandAnswer(result, reply);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'The notifications about a person and where each delivery stands (never the address)' })
  @ApiOkResponse({ type: DeliveriesPage })
  @ApiGuardedProblems(400)
  async deliveries(@Query() query: ListDeliveriesQuery, @Req() request: FastifyRequest): Promise<DeliveriesPage> {
    const page = await unary(
      this.notifications.listDeliveries(
        { personId: query.personId, limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request.correlationId),
      ),
    );
    return { items: (page.items ?? []).map(deliveryView), nextCursor: page.nextCursor || null };
  }

  @Get('welfare-checks')
  @ApiOperation({ summary: 'Welfare checks by due time; ?overdue=true for those overdue and not cleared' })
  @ApiOkResponse({ type: WelfareChecksPage })
  @ApiGuardedProblems(400)
  async welfareChecks(@Query() query: ListWelfareChecksQuery, @Req() request: FastifyRequest): Promise<WelfareChecksPage> {
    const page = await unary(
      this.notifications.listWelfareChecks(
        { overdue: query.overdue ?? false, personId: query.personId ?? '', limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request.correlationId),
      ),
    );
    return { items: (page.items ?? []).map(welfareCheckView), nextCursor: page.nextCursor || null };
  }
}
