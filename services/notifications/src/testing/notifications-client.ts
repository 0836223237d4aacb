// A plain gRPC client of the notifications service, from the same proto and loader options the
// gateway uses, for tests that boot the service in-process.
import type { common, notifications } from '@homeward/contracts';
import { grpcTestClient } from '@homeward/testing';

type Unary<Request, Response> = (request: Request) => Promise<Response>;

export interface NotificationsTestClient {
  registerRecipient: Unary<notifications.RegisterRecipientRequest, notifications.RegisterRecipientResponse>;
  withdrawConsent: Unary<notifications.WithdrawConsentRequest, common.CommandResult>;
  changeFollows: Unary<notifications.ChangeFollowsRequest, common.CommandResult>;
  eraseRecipient: Unary<notifications.EraseRecipientRequest, common.CommandResult>;
  listDeliveries: Unary<notifications.ListDeliveriesRequest, notifications.ListDeliveriesResponse>;
  listWelfareChecks: Unary<notifications.ListWelfareChecksRequest, notifications.ListWelfareChecksResponse>;
  close(): void;
}

export { freePort } from '@homeward/testing';

export function notificationsClient(url: string): NotificationsTestClient {
  return grpcTestClient<NotificationsTestClient>('notifications', url);
}
