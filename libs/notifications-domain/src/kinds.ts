// What a follower hears about. Intake's facts that matter to the people around a person, and the
// escalation of a welfare check; the urgent ones are those where someone may be in danger.
export const notificationKinds = [
  'prisoner-released',
  'prisoner-deported',
  'return-attempted',
  'contact-lost',
  'contact-reestablished',
  'rearrest-reported',
  'welfare-check-overdue',
  'welfare-check-escalated',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const isNotificationKind = (value: string): value is NotificationKind => (notificationKinds as readonly string[]).includes(value);

const intakeFacts: Record<string, { kind: NotificationKind; urgent: boolean }> = {
  PrisonerReleased: { kind: 'prisoner-released', urgent: false },
  PrisonerDeported: { kind: 'prisoner-deported', urgent: false },
  ReturnAttempted: { kind: 'return-attempted', urgent: true },
  ContactLost: { kind: 'contact-lost', urgent: true },
  ContactReestablished: { kind: 'contact-reestablished', urgent: false },
  RearrestReported: { kind: 'rearrest-reported', urgent: true },
};

/** The notification an intake event calls for, or null when followers are not told of it. */
export function notificationFor(intakeEventType: string): { kind: NotificationKind; urgent: boolean } | null {
  return Object.hasOwn(intakeFacts, intakeEventType) ? intakeFacts[intakeEventType]! : null;
}

/** An overdue welfare check is always urgent: nobody has heard from the person in time. */
export const overdueNotification = { kind: 'welfare-check-overdue', urgent: true } as const satisfies {
  kind: NotificationKind;
  urgent: boolean;
};

/** To the on-duty caseworkers, when an overdue check reached nobody (see welfare-check.decider.ts). */
export const escalationNotification = { kind: 'welfare-check-escalated', urgent: true } as const satisfies {
  kind: NotificationKind;
  urgent: boolean;
};

export const welfareCheckCauses = ['return-attempted', 'contact-lost'] as const;
export type WelfareCheckCause = (typeof welfareCheckCauses)[number];

const welfareCauses: Record<string, WelfareCheckCause> = { ReturnAttempted: 'return-attempted', ContactLost: 'contact-lost' };

/** After a return attempt or a lost contact, someone must hear from the person in time. */
export function welfareCheckCauseOf(intakeEventType: string): WelfareCheckCause | null {
  return Object.hasOwn(welfareCauses, intakeEventType) ? welfareCauses[intakeEventType]! : null;
}
