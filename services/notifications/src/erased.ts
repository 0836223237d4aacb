// Who was erased here: a recipient (EraseRecipient) or a person (intake's PersonForgotten). Both
// are a destroyed key in person_keys, the one record of an erasure this service keeps, so that
// the sealer refuses anything personal about them and every side effect can ask the same table.
import { ruleViolated } from '@homeward/decider';
import type { PersonKeys, Queryable } from '@homeward/personal-data';

/** The ids among `ids` whose key this service destroyed. One query. */
export async function erasedAmong(db: Queryable, keys: PersonKeys, ids: readonly string[]): Promise<Set<string>> {
  const found = await keys.findMany(db, ids);
  return new Set([...found].filter(([, key]) => key.state === 'forgotten').map(([id]) => id));
}

export const isErased = async (db: Queryable, keys: PersonKeys, id: string): Promise<boolean> =>
  (await erasedAmong(db, keys, [id])).has(id);

/** Nobody follows an erased person any more: a registration or a change that names one is refused. */
export async function refuseErasedFollows(db: Queryable, keys: PersonKeys, follows: readonly string[]): Promise<void> {
  if (follows.length === 0) return;
  if ((await erasedAmong(db, keys, follows)).size > 0)
    throw ruleViolated('recipient.follows-forgotten', 'a person in follows has been erased; nobody follows them any more');
}
