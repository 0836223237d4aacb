// Every welfare check and whether it is due, overdue, cleared or cancelled (its person erased), and whether, why and when it was
// escalated to the on-duty caseworkers, for `GET /v1/notifications/welfare-checks?overdue=true`.
import type { notifications } from '@homeward/contracts';
import type { DocumentProjection } from '@homeward/eventsourcing';
import type { WelfareCheckEvent } from '@homeward/notifications-domain';

export type WelfareCheckDocument = notifications.WelfareCheck;

export const welfareChecks: DocumentProjection<WelfareCheckDocument> = {
  name: 'welfare_checks',
  handles: [
    'WelfareCheckScheduled',
    'WelfareCheckOverdue',
    'WelfareCheckCleared',
    'WelfareCheckEscalated',
    'WelfareCheckCancelled',
  ] satisfies WelfareCheckEvent['type'][],
  idOf: (envelope) => (envelope.data as { checkId: string }).checkId,
  evolve(doc, envelope) {
    const event = envelope as unknown as WelfareCheckEvent;
    switch (event.type) {
      case 'WelfareCheckScheduled':
        return { ...event.data, status: 'scheduled', scheduledAt: envelope.occurredAt };
      case 'WelfareCheckOverdue':
        return doc && { ...doc, status: 'overdue', overdueAt: event.data.overdueAt };
      case 'WelfareCheckCleared':
        return doc && { ...doc, status: 'cleared', clearedAt: event.data.clearedAt };
      case 'WelfareCheckEscalated': {
        const { outcome, reason, escalatedAt, notificationIds } = event.data;
        return doc && { ...doc, escalation: { outcome, reason, escalatedAt, notificationIds } };
      }
      case 'WelfareCheckCancelled':
        return doc && { ...doc, status: 'cancelled', cancelledAt: event.data.cancelledAt };
    }
  },
};
