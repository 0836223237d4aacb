import { describe, expect, it } from '@jest/globals';
import { escalationNotification, notificationFor, notificationKinds, overdueNotification, welfareCheckCauseOf } from './kinds.js';

describe('what followers hear about', () => {
  it('tells of every fact of a person that matters, urgent where someone may be in danger', () => {
    const told = ['PrisonerReleased', 'PrisonerDeported', 'ReturnAttempted', 'ContactLost', 'ContactReestablished', 'RearrestReported'].map(
      (type) => [type, notificationFor(type)],
    );
    expect(Object.fromEntries(told)).toEqual({
      PrisonerReleased: { kind: 'prisoner-released', urgent: false },
      PrisonerDeported: { kind: 'prisoner-deported', urgent: false },
      ReturnAttempted: { kind: 'return-attempted', urgent: true },
      ContactLost: { kind: 'contact-lost', urgent: true },
      ContactReestablished: { kind: 'contact-reestablished', urgent: false },
      RearrestReported: { kind: 'rearrest-reported', urgent: true },
    });
    expect(overdueNotification).toEqual({ kind: 'welfare-check-overdue', urgent: true });
    expect(notificationKinds).toContain(overdueNotification.kind);
    expect(escalationNotification).toEqual({ kind: 'welfare-check-escalated', urgent: true });
    expect(notificationKinds).toContain(escalationNotification.kind);
  });

  it('does not tell of registrations, detention details (personal accounts) or batches', () => {
    for (const type of [
      'PersonRegistered',
      'DetentionConditionReported',
      'ImprisonmentRecorded',
      'ReleaseBatchAnnounced',
      'PersonForgotten',
      'toString',
    ]) {
      expect(notificationFor(type)).toBeNull();
    }
  });

  it('starts a welfare check after a return attempt or a lost contact, and after nothing else', () => {
    expect(welfareCheckCauseOf('ReturnAttempted')).toBe('return-attempted');
    expect(welfareCheckCauseOf('ContactLost')).toBe('contact-lost');
    for (const type of ['ContactReestablished', 'RearrestReported', 'PrisonerDeported', 'constructor'])
      expect(welfareCheckCauseOf(type)).toBeNull();
  });
});
