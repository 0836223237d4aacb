// The notifications service's settings, from the environment. Durations accept milliseconds
// ("1500") or an ISO 8601 duration ("PT48H", "P2D", "PT5S").
import { topicOf } from '@homeward/messaging';
import { defaultRetryPolicy, isUuid, type RetryPolicy } from '@homeward/notifications-domain';
import { isDevelopment } from '@homeward/security';

export interface NotificationsConfig {
  /**
   * Where intake's facts come from and the consumer group reading them. Two deployments on one
   * broker (test systems, a blue/green pair) need groups of their own, or they split intake's
   * partitions between their databases.
   */
  intakeTopic: string;
  consumerGroup: string;
  /** off: no email, no webhook, no welfare-check timer (a replica that only serves reads, or a replay). */
  sideEffects: boolean;
  smtpUrl: string;
  fromAddress: string;
  /**
   * The development allowance (WEBHOOK_ALLOW_LOOPBACK=1, only with HOMEWARD_DEV=1): webhooks may
   * point to loopback (127.0.0.0/8, ::1, localhost), for a receiver on the same machine. Still
   * https only; every other internal address stays refused.
   */
  allowLoopbackWebhooks: boolean;
  /** WEBHOOK_SECRET is set: it signs nothing any more (each webhook recipient has its own secret); the service says so at start. */
  obsoleteWebhookSecretSet: boolean;
  welfareCheckAfterMs: number;
  welfareCheckPollMs: number;
  deliveryPollMs: number;
  /** How long one send may take before it counts as failed. */
  sendTimeoutMs: number;
  retry: RetryPolicy;
  /**
   * The on-duty caseworkers an overdue welfare check is escalated to when nobody follows the
   * person or nobody could be reached: recipient ids, each registered with role caseworker and
   * consent (their address and channel stay in their recipient stream, encrypted). [] escalates to
   * nobody: the check is marked `unconfigured` and a warning is logged.
   */
  escalationRecipients: string[];
}

const isoDuration = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** "1500" -> 1500; "PT48H" -> 172800000; days, hours, minutes and seconds (no months or years). */
export function parseDuration(value: string, name: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = isoDuration.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) throw new Error(`${name} must be milliseconds or an ISO 8601 duration like PT48H`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000);
}

function positiveInteger(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`${name} must be a positive integer`);
  return number;
}

/** "id-1, id-2" -> ["id-1", "id-2"]: recipient ids separated by commas or spaces, each once. */
export function parseRecipientIds(value: string, name: string): string[] {
  const ids = value.split(/[\s,]+/).filter((id) => id !== '');
  if (!ids.every(isUuid)) throw new Error(`${name} must list recipient ids (UUIDs) separated by commas`);
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  const sideEffects = (env.NOTIFICATIONS_SIDE_EFFECTS ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(sideEffects)) throw new Error('NOTIFICATIONS_SIDE_EFFECTS must be on or off');
  const allowLoopback = env.WEBHOOK_ALLOW_LOOPBACK ?? '';
  if (!['', '0', '1'].includes(allowLoopback)) throw new Error('WEBHOOK_ALLOW_LOOPBACK must be 1 or 0');
  // The development switch (HOMEWARD_DEV=1, set by npm start and npm test): production never sends to its own machine.
  if (allowLoopback === '1' && !isDevelopment(env))
    throw new Error(
      'WEBHOOK_ALLOW_LOOPBACK=1 is for development only (HOMEWARD_DEV=1): production sends webhooks to public addresses only',
    );
  return {
    intakeTopic: env.NOTIFICATIONS_INTAKE_TOPIC || topicOf('intake'),
    consumerGroup: env.NOTIFICATIONS_CONSUMER_GROUP || 'notifications.intake',
    sideEffects: sideEffects === 'on',
    smtpUrl: env.SMTP_URL ?? 'smtp://127.0.0.1:2525',
    fromAddress: env.NOTIFY_FROM ?? 'Homeward <notifications@homeward.invalid>',
    allowLoopbackWebhooks: allowLoopback === '1',
    obsoleteWebhookSecretSet: Boolean(env.WEBHOOK_SECRET),
    welfareCheckAfterMs: parseDuration(env.WELFARE_CHECK_AFTER ?? 'PT48H', 'WELFARE_CHECK_AFTER'),
    welfareCheckPollMs: positiveInteger(env.WELFARE_CHECK_POLL_MS, 1_000, 'WELFARE_CHECK_POLL_MS'),
    deliveryPollMs: positiveInteger(env.DELIVERY_POLL_MS, 500, 'DELIVERY_POLL_MS'),
    sendTimeoutMs: positiveInteger(env.NOTIFY_SEND_TIMEOUT_MS, 10_000, 'NOTIFY_SEND_TIMEOUT_MS'),
    retry: {
      maxAttempts: positiveInteger(env.NOTIFY_MAX_ATTEMPTS, defaultRetryPolicy.maxAttempts, 'NOTIFY_MAX_ATTEMPTS'),
      baseDelayMs: positiveInteger(env.NOTIFY_RETRY_BASE_MS, defaultRetryPolicy.baseDelayMs, 'NOTIFY_RETRY_BASE_MS'),
      maxDelayMs: positiveInteger(env.NOTIFY_RETRY_MAX_MS, defaultRetryPolicy.maxDelayMs, 'NOTIFY_RETRY_MAX_MS'),
    },
    escalationRecipients: parseRecipientIds(env.WELFARE_ESCALATION_RECIPIENTS ?? '', 'WELFARE_ESCALATION_RECIPIENTS'),
  };
}
