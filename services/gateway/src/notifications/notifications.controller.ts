import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { callOptions, commandDeadlineMs, unary, type NotificationsClient } from '../grpc/grpc-clients.js';
import { CommandRoutes, commandsOf } from '../http/command-route.js';
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

const command = commandsOf<NotificationsClient>();
const onRecipient = {
  uuidParams: ['recipientId'],
  ifMatch: "Expected version of the recipient's stream; a stale one answers 409",
  created: 'Recorded',
} as const;

/** Who must know, and did they hear: recipients, deliveries and welfare checks. */
@ApiTags('notifications')
@ApiBearerAuth(bearerScheme)
@Controller('v1/notifications')
@CommandRoutes({
  registerRecipient: command({
    path: 'recipients',
    summary: 'Register a recipient: who is told, how, and about whom',
    description:
      'The service assigns the recipient id. A webhook must be https to a public host; its secret is answered once, as webhookSecret. ' +
      webhookVerification,
    uuidParams: [],
    view: RegisterRecipientResultView,
    created: 'Recorded; for a webhook with its secret, shown this once',
    repeated: 'A repeated request (same Idempotency-Key): the first answer, without the secret',
    problems: [400, 413, 422],
    body: RegisterRecipientBody,
    rpc: 'registerRecipient',
    request: (body) => ({
      recipientId: '',
      role: body.role,
      channel: body.channel,
      address: body.address,
      consent: body.consent,
      follows: body.follows ?? [],
    }),
    answerFields: (result) => (result.webhookSecret ? { webhookSecret: result.webhookSecret } : {}),
  }),
  withdrawConsent: command({
    path: 'recipients/:recipientId/consent-withdrawal',
    summary: "Withdraw a recipient's consent: nothing more is queued or sent to them, not even what is queued already",
    ...onRecipient,
    problems: [400, 404, 409, 422],
    rpc: 'withdrawConsent',
  }),
  changeFollows: command({
    path: 'recipients/:recipientId/follows',
    summary: 'Replace the set of people a recipient follows',
    ...onRecipient,
    problems: [400, 404, 409, 413, 422],
    body: ChangeFollowsBody,
    rpc: 'changeFollows',
    request: (body) => ({ follows: body.follows }),
  }),
  eraseRecipient: command({
    path: 'recipients/:recipientId',
    summary: 'Erase a recipient (crypto-shredding)',
    description:
      "Destroys the recipient's key and records RecipientErased: their address stays only as ciphertext nobody can open " +
      '(in the events, on Kafka, in the audit copy) and is gone from the read models; whom they followed is dropped, whatever was ' +
      'queued to them is cancelled and never sent, and every later command on them is refused (422 recipient.erased). Erasing a ' +
      'recipient already erased records nothing and answers 200 with no event ids; 404 for an unknown recipient.',
    uuidParams: ['recipientId'],
    ifMatch: onRecipient.ifMatch,
    deleted: 'Erased; or erased already (eventIds empty); or, with a repeated Idempotency-Key, the first answer',
    problems: [400, 404, 409, 422],
    rpc: 'eraseRecipient',
  }),
})
export class NotificationsController {
  constructor(@Inject(NOTIFICATIONS_CLIENT) readonly client: NotificationsClient) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'The notifications about a person and where each delivery stands (never the address)' })
  @ApiOkResponse({ type: DeliveriesPage })
  @ApiGuardedProblems(400)
  async deliveries(@Query() query: ListDeliveriesQuery, @Req() request: FastifyRequest): Promise<DeliveriesPage> {
    const page = await unary(
      this.client.listDeliveries(
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
      this.client.listWelfareChecks(
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
