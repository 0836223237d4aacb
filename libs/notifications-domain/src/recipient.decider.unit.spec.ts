import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { RecipientCommand } from './recipient.commands.js';
import { recipientDecider } from './recipient.decider.js';
import type { RecipientEvent } from './recipient.events.js';

const given = specFor(recipientDecider);
const recipientId = '0190a000-0000-7000-8000-00000000a001';
const personA = '0190a000-0000-7000-8000-000000000001';
const personB = '0190a000-0000-7000-8000-000000000002';

// The decider checks and records the plaintext address; the event store seals it before it is written.
const registered: RecipientEvent = {
  type: 'RecipientRegistered',
  data: {
    recipientId,
    role: 'family',
    channel: 'email',
    address: 'sister@example.org',
    consent: true,
    follows: [personA],
    webhookSecret: '',
  },
};
// Drawn by the caller (32 random bytes as hex); sealed by the event store like the address.
const secret = 'a1'.repeat(32);
const webhook = (address: string, overrides: Partial<typeof registered.data> = {}) => ({
  ...registered.data,
  role: 'partner-organisation',
  channel: 'webhook',
  address,
  webhookSecret: secret,
  ...overrides,
});
const register = (overrides: Partial<typeof registered.data> = {}): RecipientCommand => ({
  type: 'RegisterRecipient',
  data: { ...registered.data, ...overrides },
});
const withdrawn: RecipientEvent = { type: 'RecipientConsentWithdrawn', data: { recipientId, withdrawnAt: '2025-09-20T10:00:00.000Z' } };
const changeFollows = (follows: string[]): RecipientCommand => ({ type: 'ChangeFollows', data: { recipientId, follows } });
const erasedAt = '2025-10-01T09:00:00.000Z';
const erase: RecipientCommand = { type: 'EraseRecipient', data: { recipientId, erasedAt } };
const erased: RecipientEvent = { type: 'RecipientErased', data: { recipientId, erasedAt } };
const unfollow = (personId: string): RecipientCommand => ({ type: 'UnfollowPerson', data: { recipientId, personId } });

describe('recipient decider', () => {
  describe('given nobody', () => {
    it('registers an email recipient', () => given().when(register()).then(registered));
    it('registers a webhook recipient of a partner organisation, with the secret drawn for them', () => {
      const data = webhook('https://partner.example.org/hooks/homeward');
      given().when({ type: 'RegisterRecipient', data }).then({ type: 'RecipientRegistered', data });
    });
    it('registers a recipient who has not consented (they will hear nothing)', () =>
      given()
        .when(register({ consent: false }))
        .then({ type: 'RecipientRegistered', data: { ...registered.data, consent: false } }));
    it('refuses an unknown role', () =>
      given()
        .when(register({ role: 'journalist' }))
        .thenThrows('recipient.role-unknown'));
    it('refuses an unknown channel', () =>
      given()
        .when(register({ channel: 'sms' }))
        .thenThrows('recipient.channel-unknown'));
    it('refuses an email channel without an email address', () =>
      given()
        .when(register({ address: 'not an address' }))
        .thenThrows('recipient.address-invalid'));
    it('refuses a webhook that is not a URL at all', () =>
      given()
        .when({ type: 'RegisterRecipient', data: webhook('ftp://partner.example.org/x') })
        .thenThrows('recipient.address-invalid'));
    it('refuses a webhook URL carrying credentials', () =>
      given()
        .when({ type: 'RegisterRecipient', data: webhook('https://user:pw@partner.example.org/x') })
        .thenThrows('recipient.address-invalid'));
    it('refuses an address over 2048 characters', () =>
      given()
        .when(register({ address: `${'a'.repeat(2048)}@example.org` }))
        .thenThrows('recipient.address-invalid'));
    it('refuses follows that are not person ids', () =>
      given()
        .when(register({ follows: ['Ales'] }))
        .thenThrows('recipient.follows-invalid'));
    it('refuses a person followed twice', () =>
      given()
        .when(register({ follows: [personA, personA] }))
        .thenThrows('recipient.follows-invalid'));
    it('refuses more than 1000 people followed', () => {
      const follows = Array.from({ length: 1001 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
      given().when(register({ follows })).thenThrows('recipient.too-many-follows');
    });
    it('cannot withdraw the consent of nobody', () =>
      given().when({ type: 'WithdrawConsent', data: withdrawn.data }).thenThrows('recipient.not-found'));
    it('cannot change what nobody follows', () =>
      given()
        .when(changeFollows([personB]))
        .thenThrows('recipient.not-found'));
    it('cannot erase nobody', () => given().when(erase).thenThrows('recipient.not-found'));
    it('has nobody to unfollow an erased person', () => given().when(unfollow(personA)).thenNothingHappens());
  });

  describe('given nobody, a webhook that could be turned against us', () => {
    const registerWebhook = (address: string, webhookTargets?: { allowLoopback: boolean }): RecipientCommand => ({
      type: 'RegisterRecipient',
      data: webhook(address),
      ...(webhookTargets ? { webhookTargets } : {}),
    });
    it('refuses plain http, naming the rule', () =>
      given().when(registerWebhook('http://partner.example.org/hooks/homeward')).thenThrows('recipient.webhook-https-required'));
    it.each([
      ['loopback', 'https://127.0.0.1:8443/hook'],
      ['loopback written as a number', 'https://2130706433/hook'],
      ['IPv6 loopback', 'https://[::1]/hook'],
      ['localhost', 'https://localhost/hook'],
      ['a private range (10/8)', 'https://10.1.2.3/hook'],
      ['a private range (172.16/12)', 'https://172.20.0.5/hook'],
      ['a private range (192.168/16)', 'https://192.168.1.10/hook'],
      ['a unique local IPv6 address (fc00::/7)', 'https://[fd12:3456::1]/hook'],
      ['link-local (169.254/16)', 'https://169.254.10.20/hook'],
      ['IPv6 link-local (fe80::/10)', 'https://[fe80::1]/hook'],
      ['shared address space (CGNAT, 100.64/10)', 'https://100.64.0.1/hook'],
      ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/'],
      ['the AWS IPv6 metadata address', 'https://[fd00:ec2::254]/latest/meta-data/'],
      ['the metadata name', 'https://metadata.google.internal/computeMetadata/v1/'],
      ['an IPv4-mapped private address', 'https://[::ffff:10.0.0.1]/hook'],
      ['the unspecified address', 'https://0.0.0.0/hook'],
      ['broadcast', 'https://255.255.255.255/hook'],
      ['multicast', 'https://224.0.0.1/hook'],
      ['a dotless internal name', 'https://intranet-hooks/hook'],
      ['a .internal name', 'https://hooks.corp.internal/hook'],
    ])('refuses %s at registration', (_case, address) =>
      given().when(registerWebhook(address)).thenThrows('recipient.webhook-address-refused'),
    );
    it('takes a public address written as an IP', () => {
      const data = webhook('https://93.184.215.14/hook');
      given().when({ type: 'RegisterRecipient', data }).then({ type: 'RecipientRegistered', data });
    });
    it('takes loopback under the development allowance, still https only', () => {
      given()
        .when(registerWebhook('https://127.0.0.1:8443/hook', { allowLoopback: true }))
        .then({ type: 'RecipientRegistered', data: webhook('https://127.0.0.1:8443/hook') });
      given()
        .when(registerWebhook('http://127.0.0.1:8080/hook', { allowLoopback: true }))
        .thenThrows('recipient.webhook-https-required');
      given()
        .when(registerWebhook('https://10.1.2.3/hook', { allowLoopback: true }))
        .thenThrows('recipient.webhook-address-refused');
    });
    it('refuses a webhook without a secret of its own', () =>
      given()
        .when({ type: 'RegisterRecipient', data: webhook('https://partner.example.org/hook', { webhookSecret: '' }) })
        .thenThrows('recipient.webhook-secret-invalid'));
    it('refuses a webhook secret that is not 32 bytes of hex', () =>
      given()
        .when({
          type: 'RegisterRecipient',
          data: webhook('https://partner.example.org/hook', { webhookSecret: 'homeward-dev-webhook-secret' }),
        })
        .thenThrows('recipient.webhook-secret-invalid'));
    it('refuses an email recipient with a webhook secret', () =>
      given()
        .when(register({ webhookSecret: secret }))
        .thenThrows('recipient.webhook-secret-invalid'));
  });

  describe('given a registered recipient', () => {
    it('refuses a second registration', () => given(registered).when(register()).thenThrows('recipient.already-registered'));
    it('withdraws consent', () => given(registered).when({ type: 'WithdrawConsent', data: withdrawn.data }).then(withdrawn));
    it('changes the people followed', () =>
      given(registered)
        .when(changeFollows([personA, personB]))
        .then({ type: 'RecipientFollowsChanged', data: { recipientId, follows: [personA, personB] } }));
    it('records nothing when the people followed are the same', () =>
      given(registered)
        .when(changeFollows([personA]))
        .thenNothingHappens());
    it('refuses new follows that are not person ids', () =>
      given(registered)
        .when(changeFollows(['x']))
        .thenThrows('recipient.follows-invalid'));
    it('erases the recipient', () => given(registered).when(erase).then(erased));
    it('stops following a person who was erased, keeping the others', () =>
      given(registered, { type: 'RecipientFollowsChanged', data: { recipientId, follows: [personA, personB] } })
        .when(unfollow(personA))
        .then({ type: 'RecipientFollowsChanged', data: { recipientId, follows: [personB] } }));
    it('records nothing for an erased person they do not follow', () => given(registered).when(unfollow(personB)).thenNothingHappens());
  });

  describe('given an erased recipient', () => {
    it('records nothing when erased again', () => given(registered, erased).when(erase).thenNothingHappens());
    it('refuses to register them again', () => given(registered, erased).when(register()).thenThrows('recipient.erased'));
    it('refuses a consent withdrawal', () =>
      given(registered, erased).when({ type: 'WithdrawConsent', data: withdrawn.data }).thenThrows('recipient.erased'));
    it('refuses new follows', () =>
      given(registered, erased)
        .when(changeFollows([personB]))
        .thenThrows('recipient.erased'));
    it('has nobody left to unfollow', () => given(registered, erased).when(unfollow(personA)).thenNothingHappens());
  });

  describe('given a recipient who withdrew consent', () => {
    it('records nothing on a second withdrawal', () =>
      given(registered, withdrawn).when({ type: 'WithdrawConsent', data: withdrawn.data }).thenNothingHappens());
    it('is erased all the same', () => given(registered, withdrawn).when(erase).then(erased));
  });
});
