// A release batch's counts, over the person files of its people: those released in it, in any
// custody episode, and those registered for it whom no release placed in a batch. A person
// released in two batches counts in both, each time with the episode of that release. A release
// naming a batch that was never announced still counts; a later deportation or lost contact of
// someone released in the batch counts at once, because it updates the same file.
import type { intake } from '@homeward/contracts';
import { findDocument } from '@homeward/eventsourcing';
import type { EntityManager } from 'typeorm';
import { releaseBatchAnnouncements, type ReleaseBatchAnnouncementDocument } from './release-batch-announcement.projection.js';

/**
 * Under six months of sentence left at release, as the release stated it or, when it did not,
 * as derived from the episode's expected release date; 0 days (none, or unknown) is not counted.
 */
export const nearEndOfSentenceDays = 183;

export async function releaseBatchSummary(tx: Pick<EntityManager, 'query'>, batchId: string): Promise<intake.ReleaseBatch | null> {
  const [announced, [counts]] = await Promise.all([
    findDocument<ReleaseBatchAnnouncementDocument>(tx, releaseBatchAnnouncements, batchId),
    // A member's episode for this batch: the latest released in it, else (registered for the
    // batch, released in none) the latest of all.
    tx.query(
      `WITH members AS (
         SELECT doc, coalesce((SELECT e FROM jsonb_array_elements(doc->'episodes') AS e
                               WHERE e->'release'->>'batchId' = $1 ORDER BY (e->>'number')::int DESC LIMIT 1),
                              doc->'episodes'->-1) AS episode
         FROM person_file WHERE doc->'batchIds' ? $1)
       SELECT count(*)::int AS registered,
              count(*) FILTER (WHERE episode->'release'->>'batchId' = $1)::int AS released,
              count(*) FILTER (WHERE episode->'deportation' IS NOT NULL)::int AS deported,
              count(*) FILTER (WHERE (doc->>'foreignNational')::boolean)::int AS foreign_nationals,
              count(*) FILTER (WHERE episode->'release'->>'batchId' = $1
                                 AND (episode->'release'->>'daysOfSentenceRemaining')::int BETWEEN 1 AND $2 - 1)::int AS near_end_of_sentence,
              count(*) FILTER (WHERE (doc->'contact'->>'lost')::boolean)::int AS contact_lost
       FROM members`,
      [batchId, nearEndOfSentenceDays],
    ) as Promise<
      Array<Record<'registered' | 'released' | 'deported' | 'foreign_nationals' | 'near_end_of_sentence' | 'contact_lost', number>>
    >,
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
