// Who was erased here: a recipient (EraseRecipient) or a person (intake's PersonForgotten). Both
// are a destroyed key in person_keys, the one record of an erasure this service keeps, so that
// the sealer refuses anything personal about them and every side effect can ask the same table.
import type { PersonKeys, Queryable } from '@homeward/personal-data';

/** The ids among `ids` whose key this service destroyed. One query. */
export async function erasedAmong(db: Queryable, keys: PersonKeys, ids: readonly string[]): Promise<Set<string>> {
  const found = await keys.findMany(db, ids);
  return new Set([...found].filter(([, key]) => key.state === 'forgotten').map(([id]) => id));
}

export const isErased = async (db: Queryable, keys: PersonKeys, id: string): Promise<boolean> => (await erasedAmong(db, keys, [id])).has(id);
