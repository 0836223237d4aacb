import { describe, expect, it } from '@jest/globals';
import { notificationsUpcasters } from './recipient.upcasters.js';

// A RecipientRegistered as schema version 1 stored it, before each webhook had its own secret.
const storedV1 = {
  recipientId: '0190a000-0000-7000-8000-00000000a001',
  role: 'partner-organisation',
  channel: 'webhook',
  address: 'enc:v2:…',
  consent: true,
  follows: [],
};
const toCurrent = (data: Record<string, unknown>) =>
  notificationsUpcasters['RecipientRegistered']!.reduce((current, step) => step(current), data);

describe('RecipientRegistered stored as schema version 1', () => {
  it('reads as a recipient without a webhook secret (sent nothing until registered again)', () =>
    expect(toCurrent(storedV1)).toEqual({ ...storedV1, webhookSecret: '' }));
});
