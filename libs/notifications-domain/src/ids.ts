// Ids the context derives instead of drawing, so that a retried or replayed cause finds what it
// produced the first time: one notification per (cause, recipient), one welfare check per cause.
import { v5 as uuidv5 } from 'uuid';
import { escalationNotification, type NotificationKind } from './kinds.js';

const notificationNamespace = '3b6c2a57-5f0e-4d8e-9b6a-8d1f2c4e7a01';
const welfareCheckNamespace = '9e2d4f61-0c7b-4a3e-8f15-6b0a9c2d3e02';
const escalationNamespace = '5c8e1b2a-7d3f-4e6a-9b0c-2f4d6e8a1c03';

export const notificationIdOf = (causeEventId: string, recipientId: string) =>
  uuidv5(`${causeEventId}/${recipientId}`, notificationNamespace);
/**
 * An escalation has the overdue check as its cause, like the followers' overdue notification; its
 * own namespace keeps it a notification of its own for an on-duty caseworker who also follows the person.
 */
export const escalationNotificationIdOf = (overdueEventId: string, recipientId: string) =>
  uuidv5(`${overdueEventId}/${recipientId}`, escalationNamespace);
/** The id a notification of this kind, cause and recipient must have. */
export const notificationIdFor = (kind: NotificationKind | string, causeEventId: string, recipientId: string) =>
  kind === escalationNotification.kind
    ? escalationNotificationIdOf(causeEventId, recipientId)
    : notificationIdOf(causeEventId, recipientId);
export const welfareCheckIdOf = (causeEventId: string) => uuidv5(causeEventId, welfareCheckNamespace);

export const recipientStreamId = (recipientId: string) => `recipient-${recipientId}`;
export const notificationStreamId = (notificationId: string) => `notification-${notificationId}`;
export const welfareCheckStreamId = (checkId: string) => `welfare-check-${checkId}`;

export { isUuid } from '@homeward/vocabulary';
