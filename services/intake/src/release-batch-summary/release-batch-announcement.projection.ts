// What was announced about a release batch. The counts of its people are not kept here: they are
// counted from the person files (see release-batch-summary.query.ts), which the same transaction
// as every person event updates, so they can never drift from the files.
import type { intake } from '@homeward/contracts';
import type { DocumentProjection } from '@homeward/eventsourcing';
import type { ReleaseBatchAnnounced } from '@homeward/intake-domain';

export interface ReleaseBatchAnnouncementDocument {
  batchId: string;
  announcement: intake.ReleaseBatchAnnouncement;
}

export const releaseBatchAnnouncements: DocumentProjection<ReleaseBatchAnnouncementDocument> = {
  name: 'release_batch_announcements',
  handles: ['ReleaseBatchAnnounced'] satisfies Array<ReleaseBatchAnnounced['type']>,
  idOf: (envelope) => envelope.subject,
  evolve(_doc, envelope) {
    const { batchId, ...announced } = (envelope as unknown as ReleaseBatchAnnounced).data;
    return { batchId, announcement: { ...announced, announcedAt: envelope.recordedAt } };
  },
};
