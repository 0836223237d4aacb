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
  data: { recipientId, role: 'family', channel: 'email', address: 'sister@example.org', consent: true, follows: [personA] },
};
const register = (overrides: Partial<typeof registered.data> = {}): RecipientCommand => ({ type: 'RegisterRecipient', data: { ...registered.data, ...overrides } });
const withdrawn: RecipientEvent = { type: 'RecipientConsentWithdrawn', data: { recipientId, withdrawnAt: '2025-09-20T10:00:00.000Z' } };
const changeFollows = (follows: string[]): RecipientCommand => ({ type: 'ChangeFollows', data: { recipientId, follows } });
const erasedAt = '2025-10-01T09:00:00.000Z';
const erase: RecipientCommand = { type: 'EraseRecipient', data: { recipientId, erasedAt } };
const erased: RecipientEvent = { type: 'RecipientErased', data: { recipientId, erasedAt } };
const unfollow = (personId: string): RecipientCommand => ({ type: 'UnfollowPerson', data: { recipientId, personId } });

describe('recipient decider', () => {
  describe('given nobody', () => {
    it('registers an email recipient', () => given().when(register()).then(registered));
    it('registers a webhook recipient of a partner organisation', () => {
      const data = { ...registered.data, role: 'partner-organisation', channel: 'webhook', address: 'https://partner.example.org/hooks/homeward' };
      given().when({ type: 'RegisterRecipient', data }).then({ type: 'RecipientRegistered', data });
    });
    it('registers a recipient who has not consented (they will hear nothing)', () =>
      given().when(register({ consent: false })).then({ type: 'RecipientRegistered', data: { ...registered.data, consent: false } }));
    it('refuses an unknown role', () => given().when(register({ role: 'journalist' })).thenThrows('recipient.role-unknown'));
    it('refuses an unknown channel', () => given().when(register({ channel: 'sms' })).thenThrows('recipient.channel-unknown'));
    it('refuses an email channel without an email address', () => given().when(register({ address: 'not an address' })).thenThrows('recipient.address-invalid'));
    it('refuses a webhook that is not an http(s) URL', () =>
      given().when(register({ channel: 'webhook', address: 'ftp://partner.example.org/x' })).thenThrows('recipient.address-invalid'));
    it('refuses a webhook URL carrying credentials', () =>
      given().when(register({ channel: 'webhook', address: 'https://user:pw@partner.example.org/x' })).thenThrows('recipient.address-invalid'));
    it('refuses an address over 2048 characters', () =>
      given().when(register({ address: `${'a'.repeat(2048)}@example.org` })).thenThrows('recipient.address-invalid'));
    it('refuses follows that are not person ids', () => given().when(register({ follows: ['Ales'] })).thenThrows('recipient.follows-invalid'));
    it('refuses a person followed twice', () => given().when(register({ follows: [personA, personA] })).thenThrows('recipient.follows-invalid'));
    it('refuses more than 1000 people followed', () => {
      const follows = Array.from({ length: 1001 }, (_, i) => `0190a000-0000-7000-8000-${String(i).padStart(12, '0')}`);
      given().when(register({ follows })).thenThrows('recipient.too-many-follows');
    });
    it('cannot withdraw the consent of nobody', () => given().when({ type: 'WithdrawConsent', data: withdrawn.data }).thenThrows('recipient.not-found'));
    it('cannot change what nobody follows', () => given().when(changeFollows([personB])).thenThrows('recipient.not-found'));
    it('cannot erase nobody', () => given().when(erase).thenThrows('recipient.not-found'));
    it('has nobody to unfollow an erased person', () => given().when(unfollow(personA)).thenNothingHappens());
  });

  describe('given a registered recipient', () => {
    it('refuses a second registration', () => given(registered).when(register()).thenThrows('recipient.already-registered'));
    it('withdraws consent', () => given(registered).when({ type: 'WithdrawConsent', data: withdrawn.data }).then(withdrawn));
    it('changes the people followed', () =>
      given(registered).when(changeFollows([personA, personB])).then({ type: 'RecipientFollowsChanged', data: { recipientId, follows: [personA, personB] } }));
    it('records nothing when the people followed are the same', () => given(registered).when(changeFollows([personA])).thenNothingHappens());
    it('refuses new follows that are not person ids', () => given(registered).when(changeFollows(['x'])).thenThrows('recipient.follows-invalid'));
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
    it('refuses a consent withdrawal', () => given(registered, erased).when({ type: 'WithdrawConsent', data: withdrawn.data }).thenThrows('recipient.erased'));
    it('refuses new follows', () => given(registered, erased).when(changeFollows([personB])).thenThrows('recipient.erased'));
    it('has nobody left to unfollow', () => given(registered, erased).when(unfollow(personA)).thenNothingHappens());
  });

  describe('given a recipient who withdrew consent', () => {
    it('records nothing on a second withdrawal', () => given(registered, withdrawn).when({ type: 'WithdrawConsent', data: withdrawn.data }).thenNothingHappens());
    it('is erased all the same', () => given(registered, withdrawn).when(erase).then(erased));
  });
});
