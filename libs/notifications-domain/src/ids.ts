// Ids the context derives instead of drawing, so that a retried or replayed cause finds what it
// produced the first time: one notification per (cause, recipient), one welfare check per cause.
import { v5 as uuidv5 } from 'uuid';

const notificationNamespace = '3b6c2a57-5f0e-4d8e-9b6a-8d1f2c4e7a01';
const welfareCheckNamespace = '9e2d4f61-0c7b-4a3e-8f15-6b0a9c2d3e02';

export const notificationIdOf = (causeEventId: string, recipientId: string) => uuidv5(`${causeEventId}/${recipientId}`, notificationNamespace);
export const welfareCheckIdOf = (causeEventId: string) => uuidv5(causeEventId, welfareCheckNamespace);

export const recipientStreamId = (recipientId: string) => `recipient-${recipientId}`;
export const notificationStreamId = (notificationId: string) => `notification-${notificationId}`;
export const welfareCheckStreamId = (checkId: string) => `welfare-check-${checkId}`;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => uuid.test(value);
