// Erasure asks which subjects ever named someone in an event (the recipients who followed a
// person, in their registration or a change of whom they follow): their requests' fingerprints go.
import type { EntityManager } from 'typeorm';

/** The distinct subjects of the events of one of `types` whose data contains `data` (jsonb containment), in order. */
export async function subjectsOfEvents(tx: EntityManager, types: readonly string[], data: object): Promise<string[]> {
  const rows: Array<{ subject: string }> = await tx.query(
    `SELECT DISTINCT metadata->>'subject' AS subject FROM events WHERE type = ANY($1) AND data @> $2::jsonb ORDER BY 1`,
    [types, JSON.stringify(data)],
  );
  return rows.map((row) => row.subject);
}
