// A release batch's counts, over the person files of its people: those registered for the batch
// or released in it (the file's batchId). A release naming a batch that was never announced
// still counts; a later deportation or lost contact of someone released in the batch counts at
// once, because it updates the same file.
import type { intake } from '@homeward/contracts';
import { findDocument } from '@homeward/eventsourcing';
import type { EntityManager } from 'typeorm';
import { releaseBatchAnnouncements, type ReleaseBatchAnnouncementDocument } from './release-batch-announcement.projection.js';

/** Under six months of sentence left; 0 days means none or unknown, so it is not counted. */
export const nearEndOfSentenceDays = 183;

export async function releaseBatchSummary(tx: Pick<EntityManager, 'query'>, batchId: string): Promise<intake.ReleaseBatch | null> {
  const [announced, [counts]] = await Promise.all([
    findDocument<ReleaseBatchAnnouncementDocument>(tx, releaseBatchAnnouncements, batchId),
    tx.query(
      `SELECT count(*)::int AS registered,
              count(*) FILTER (WHERE doc->'release'->>'batchId' = $1)::int AS released,
              count(*) FILTER (WHERE doc->'deportation' IS NOT NULL)::int AS deported,
              count(*) FILTER (WHERE (doc->>'foreignNational')::boolean)::int AS foreign_nationals,
              count(*) FILTER (WHERE doc->'release'->>'batchId' = $1
                                 AND (doc->'release'->>'daysOfSentenceRemaining')::int BETWEEN 1 AND $2 - 1)::int AS near_end_of_sentence,
              count(*) FILTER (WHERE (doc->'contact'->>'lost')::boolean)::int AS contact_lost
       FROM person_file WHERE doc->>'batchId' = $1`,
      [batchId, nearEndOfSentenceDays],
    ) as Promise<Array<Record<'registered' | 'released' | 'deported' | 'foreign_nationals' | 'near_end_of_sentence' | 'contact_lost', number>>>,
  ]);
  if (!announced && counts!.registered === 0) return null;
  return {
    batchId,
    announcement: announced?.announcement,
    counts: {
      announced: announced?.announcement.announcedCount ?? 0,
      registered: counts!.registered,
      released: counts!.released,
      deported: counts!.deported,
      foreignNationals: counts!.foreign_nationals,
      nearEndOfSentence: counts!.near_end_of_sentence,
      contactLost: counts!.contact_lost,
    },
  };
}
