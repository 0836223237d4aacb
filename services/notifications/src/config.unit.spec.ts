import { describe, expect, it } from '@jest/globals';
import { configFromEnv, parseDuration } from './config.js';

describe('notifications configuration', () => {
  it.each([
    ['PT48H', 172_800_000],
    ['P2D', 172_800_000],
    ['PT5S', 5_000],
    ['PT1.5S', 1_500],
    ['PT1H30M', 5_400_000],
    ['P1DT1S', 86_401_000],
    ['2500', 2_500],
  ])('reads the duration %s as %d ms', (text, ms) => expect(parseDuration(text, 'X')).toBe(ms));

  it.each(['P', 'PT', '48h', 'P1M', '-5', 'PT5'])('refuses the duration %s', (text) =>
    expect(() => parseDuration(text, 'WELFARE_CHECK_AFTER')).toThrow(/WELFARE_CHECK_AFTER/),
  );

  it('defaults to side effects on, 48 hours, a 1 s poll and public webhook targets only', () => {
    expect(configFromEnv({})).toMatchObject({
      intakeTopic: 'homeward.intake.events.v1',
      consumerGroup: 'notifications.intake',
      sideEffects: true,
      welfareCheckAfterMs: 172_800_000,
      welfareCheckPollMs: 1_000,
      allowLoopbackWebhooks: false,
      obsoleteWebhookSecretSet: false,
      escalationRecipients: [],
    });
  });

  it('reads the environment', () => {
    const config = configFromEnv({
      NOTIFICATIONS_SIDE_EFFECTS: 'off',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      NOTIFY_FROM: 'notify@example.org',
      WEBHOOK_SECRET: 's3cret',
      WELFARE_CHECK_AFTER: 'PT5S',
      WELFARE_CHECK_POLL_MS: '250',
      NOTIFY_MAX_ATTEMPTS: '4',
      NOTIFY_RETRY_BASE_MS: '1000',
      NOTIFICATIONS_INTAKE_TOPIC: 'test.intake',
      NOTIFICATIONS_CONSUMER_GROUP: 'notifications.intake.blue',
      WELFARE_ESCALATION_RECIPIENTS:
        ' 0190A000-0000-7000-8000-00000000c001, 0190a000-0000-7000-8000-00000000c002 0190a000-0000-7000-8000-00000000c001,',
    });
    expect(config).toMatchObject({
      intakeTopic: 'test.intake',
      consumerGroup: 'notifications.intake.blue',
      sideEffects: false,
      smtpUrl: 'smtp://127.0.0.1:2525',
      fromAddress: 'notify@example.org',
      obsoleteWebhookSecretSet: true,
      welfareCheckAfterMs: 5_000,
      welfareCheckPollMs: 250,
      retry: { maxAttempts: 4, baseDelayMs: 1_000 },
      escalationRecipients: ['0190a000-0000-7000-8000-00000000c001', '0190a000-0000-7000-8000-00000000c002'],
    });
  });

  it('allows loopback webhook targets in development only', () => {
    expect(configFromEnv({ HOMEWARD_DEV: '1', WEBHOOK_ALLOW_LOOPBACK: '1' }).allowLoopbackWebhooks).toBe(true);
    expect(configFromEnv({ HOMEWARD_DEV: '1', WEBHOOK_ALLOW_LOOPBACK: '0' }).allowLoopbackWebhooks).toBe(false);
    expect(() => configFromEnv({ WEBHOOK_ALLOW_LOOPBACK: '1' })).toThrow(/WEBHOOK_ALLOW_LOOPBACK=1 is for development only/);
    expect(() => configFromEnv({ HOMEWARD_DEV: '0', WEBHOOK_ALLOW_LOOPBACK: '1' })).toThrow(/development only/);
    expect(() => configFromEnv({ HOMEWARD_DEV: '1', WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toThrow(/WEBHOOK_ALLOW_LOOPBACK must be 1 or 0/);
  });

  it('refuses a side-effects switch it does not know, a poll that is no positive integer and on-duty recipients that are no ids', () => {
    expect(() => configFromEnv({ NOTIFICATIONS_SIDE_EFFECTS: 'maybe' })).toThrow(/NOTIFICATIONS_SIDE_EFFECTS/);
    expect(() => configFromEnv({ WELFARE_CHECK_POLL_MS: '0' })).toThrow(/WELFARE_CHECK_POLL_MS/);
    expect(() => configFromEnv({ WELFARE_ESCALATION_RECIPIENTS: 'duty-desk@example.org' })).toThrow(/WELFARE_ESCALATION_RECIPIENTS/);
  });
});
