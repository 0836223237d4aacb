// What a recipient is told. Notifications never carry a person's personal fields (names, birth
// dates, accounts stay in intake): only the person's id, what kind of thing happened, whether it
// is urgent and when. A recipient entitled to more looks the person up with their own access.
// The notification id lets a receiver drop a repeated delivery (see delivery-worker.ts).
import { escalationNotification, type NotificationKind } from '@homeward/notifications-domain';

export interface NotificationMessage {
  notificationId: string;
  personId: string;
  kind: string;
  urgent: boolean;
  occurredAt: string;
  causeEventId: string;
}

const titles: Record<NotificationKind, string> = {
  'prisoner-released': 'A person you follow has been released',
  'prisoner-deported': 'A person you follow has been deported',
  'return-attempted': 'A person you follow has tried to return home',
  'contact-lost': 'Contact with a person you follow has been lost',
  'contact-reestablished': 'Contact with a person you follow has been re-established',
  'rearrest-reported': 'A person you follow is reported re-arrested',
  'welfare-check-overdue': 'Nobody has heard from a person you follow in time',
  'welfare-check-escalated': 'Escalated: nobody has heard from a person in time, and no follower could be told',
};

export const titleOf = (kind: string) => titles[kind as NotificationKind] ?? 'News about a person you follow';

export function emailOf(message: NotificationMessage): { subject: string; text: string } {
  const title = titleOf(message.kind);
  return {
    subject: `[Homeward] ${message.urgent ? 'URGENT: ' : ''}${title}`,
    text: [
      `${title}.`,
      '',
      `Person: ${message.personId}`,
      `What: ${message.kind}${message.urgent ? ' (urgent)' : ''}`,
      `When: ${message.occurredAt}`,
      `Notification: ${message.notificationId}`,
      '',
      'Details are in Homeward for those entitled to see them.',
      message.kind === escalationNotification.kind
        ? 'You receive this because you are an on-duty caseworker for welfare checks.'
        : 'You receive this because you follow this person and agreed to be told.',
    ].join('\n'),
  };
}

/** The JSON body of a webhook: the fields above, nothing else. */
export const webhookBodyOf = (message: NotificationMessage) =>
  JSON.stringify({
    notificationId: message.notificationId,
    personId: message.personId,
    kind: message.kind,
    urgent: message.urgent,
    occurredAt: message.occurredAt,
    causeEventId: message.causeEventId,
  });
