import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type NotificationsClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { CommandRoute, idempotencyKeyHeader, ifMatchHeader, sendCommand, uuidPathParam } from '../http/command-route.js';
import { NoBody } from '../http/no-body.js';
import { uuidParam } from '../http/validation.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { NOTIFICATIONS_CLIENT } from '../tokens.js';
import { ChangeFollowsBody } from './change-follows.dto.js';
import { defaultPageSize, ListDeliveriesQuery, ListWelfareChecksQuery } from './notifications.queries.js';
import {
  DeliveriesPage,
  deliveryView,
  RegisterRecipientResultView,
  webhookVerification,
  welfareCheckView,
  WelfareChecksPage,
} from './notifications.view.js';
import { RegisterRecipientBody } from './register-recipient.dto.js';

const onRecipient = {
  uuidParams: ['recipientId'],
  ifMatch: "Expected version of the recipient's stream; a stale one answers 409",
  created: 'Recorded',
};

/** Who must know, and did they hear: recipients, deliveries and welfare checks. */
@ApiTags('notifications')
@ApiBearerAuth(bearerScheme)
@Controller('v1/notifications')
export class NotificationsController {
  constructor(@Inject(NOTIFICATIONS_CLIENT) private readonly notifications: NotificationsClient) {}

  @Post('recipients')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Register a recipient: who is told, how, and about whom',
    description:
      'The service assigns the recipient id. A webhook must be https to a public host; its secret is answered once, as webhookSecret. ' +
      webhookVerification,
  })
  @idempotencyKeyHeader
  @ApiCreatedResponse({ type: RegisterRecipientResultView, description: 'Recorded; for a webhook with its secret, shown this once' })
  @ApiOkResponse({
    type: RegisterRecipientResultView,
    description: 'A repeated request (same Idempotency-Key): the first answer, without the secret',
  })
  @ApiGuardedProblems(400, 413, 422)
  async registerRecipient(
    @Body() body: RegisterRecipientBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisterRecipientResultView> {
    const command = {
      metadata,
      recipientId: '',
      role: body.role,
      channel: body.channel,
      address: body.address,
      consent: body.consent,
      follows: body.follows ?? [],
    };
    const result = await unary(this.notifications.registerRecipient(command, ...callOptions(commandDeadlineMs, reply.request)));
    return { ...commandAnswer(result, reply), ...(result.webhookSecret ? { webhookSecret: result.webhookSecret } : {}) };
  }

  @CommandRoute('recipients/:recipientId/consent-withdrawal', {
    summary: "Withdraw a recipient's consent: nothing more is queued or sent to them, not even what is queued already",
    ...onRecipient,
    problems: [400, 404, 409, 422],
  })
  withdrawConsent(
    @Param('recipientId', uuidParam('recipientId')) recipientId: string,
    @NoBody() _none: undefined,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) => this.notifications.withdrawConsent({ metadata, recipientId }, ...options));
  }

  @CommandRoute('recipients/:recipientId/follows', {
    summary: 'Replace the set of people a recipient follows',
    ...onRecipient,
    problems: [400, 404, 409, 413, 422],
  })
  changeFollows(
    @Param('recipientId', uuidParam('recipientId')) recipientId: string,
    @Body() body: ChangeFollowsBody,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) =>
      this.notifications.changeFollows({ metadata, recipientId, follows: body.follows }, ...options),
    );
  }

  @Delete('recipients/:recipientId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Erase a recipient (crypto-shredding)',
    description:
      "Destroys the recipient's key and records RecipientErased: their address stays only as ciphertext nobody can open (in the events, on Kafka, in the audit copy) " +
      'and is gone from the read models; whom they followed is dropped, whatever was queued to them is cancelled and never sent, and every later command ' +
      'on them is refused (422 recipient.erased). Erasing a recipient already erased records nothing and answers 200 with no event ids; 404 for an unknown recipient.',
  })
  @uuidPathParam('recipientId')
  @idempotencyKeyHeader
  @ifMatchHeader(onRecipient.ifMatch)
  @ApiOkResponse({
    type: CommandResultView,
    description: 'Erased; or erased already (eventIds empty); or, with a repeated Idempotency-Key, the first answer',
  })
  @ApiGuardedProblems(400, 404, 409, 422)
  eraseRecipient(
    @Param('recipientId', uuidParam('recipientId')) recipientId: string,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResultView> {
    return sendCommand(metadata, reply, (...options) => this.notifications.eraseRecipient({ metadata, recipientId }, ...options));
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'The notifications about a person and where each delivery stands (never the address)' })
  @ApiOkResponse({ type: DeliveriesPage })
  @ApiGuardedProblems(400)
  async deliveries(@Query() query: ListDeliveriesQuery, @Req() request: FastifyRequest): Promise<DeliveriesPage> {
    const page = await unary(
      this.notifications.listDeliveries(
        { personId: query.personId, limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request),
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
        {
          overdue: query.overdue ?? false,
          personId: query.personId ?? '',
          limit: query.limit ?? defaultPageSize,
          cursor: query.cursor ?? '',
        },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(welfareCheckView), nextCursor: page.nextCursor || null };
  }
}
