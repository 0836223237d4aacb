// What a service runs with an append goes through the store's API (EventStore.handle's options),
// never through a transaction of its own: a check first (a person erased is refused), a target
// found in the transaction (a case's person, from the case's stream), and its own writes after
// the append, with its answer. All of it commits or fails with the append.
import { describe, expect, it } from '@jest/globals';
import { ruleViolated } from '@homeward/decider';
import { context, releaseDecider } from '../testing/release-decider.js';
import { storeDatabase } from '../testing/store-statements.js';
import { EventStore, type AppendResult, type HandleOptions, type TargetOf } from './event-store.js';

describe('EventStore.handle with a check, a target found in its transaction and writes alongside', () => {
  const db = storeDatabase();
  const store = () => new EventStore(db.dataSource, { source: 'intake', topic: 'test.alongside' });
  const targetOf = (personId: string) => ({ streamId: `person-${personId}`, subject: personId });
  const release = (personId: string, options: HandleOptions = {}, idempotencyKey?: string, target: TargetOf = targetOf(personId)) =>
    store().handle(
      releaseDecider,
      { type: 'Release', personId, days: 1 },
      target,
      context({ ...(idempotencyKey ? { idempotencyKey } : {}) }),
      options,
    );
  const eventsOf = async (personId: string) =>
    Number((await db.dataSource.query(`SELECT count(*) FROM events WHERE stream_id = $1`, [`person-${personId}`]))[0].count);
  const notes = async () =>
    (await db.dataSource.query(`SELECT note FROM alongside_notes ORDER BY note`)).map((row: { note: string }) => row.note);

  it('runs alongside in the append transaction with its answer, a repeated request included', async () => {
    const seen: AppendResult[] = [];
    const alongside = async (_tx: unknown, result: AppendResult) => void seen.push(result);
    await release('p-1', { alongside }, 'key-1');
    await release('p-1', { alongside }, 'key-1');
    expect(seen.map((result) => [result.streamVersion, result.repeatedRequest])).toEqual([
      [1, false],
      [1, true],
    ]);
    expect(await eventsOf('p-1')).toBe(1);
  });

  it('takes the append back when what runs alongside fails', async () => {
    const alongside = () => Promise.reject(new Error('the key could not be made'));
    await expect(release('p-2', { alongside })).rejects.toThrow('the key could not be made');
    expect(await eventsOf('p-2')).toBe(0);
  });

  it('runs the check first, in the same transaction, with the target: a refusal writes nothing, not even the key', async () => {
    await db.dataSource.query(`CREATE TABLE alongside_notes (note text PRIMARY KEY)`);
    const checked: string[] = [];
    const check: HandleOptions['check'] = async (tx, target) => {
      checked.push(target.subject);
      await tx.query(`INSERT INTO alongside_notes (note) VALUES ($1)`, [`checked ${target.subject}`]);
      if (target.subject === 'p-4') throw ruleViolated('person.forgotten', 'this person has been erased');
    };
    await release('p-3', { check }, 'key-3');
    await expect(release('p-4', { check }, 'key-4')).rejects.toMatchObject({ code: 'person.forgotten' });
    expect(checked).toEqual(['p-3', 'p-4']);
    expect([await eventsOf('p-3'), await eventsOf('p-4')]).toEqual([1, 0]);
    expect(await notes()).toEqual(['checked p-3']);
    expect(await db.dataSource.query(`SELECT key FROM idempotency_keys WHERE key IN ('key-3', 'key-4') ORDER BY key`)).toEqual([
      { key: 'key-3' },
    ]);
    // A refused check runs before the Idempotency-Key is looked at: the same refusal for a retry of an answered request.
    await expect(release('p-4', { check }, 'key-3')).rejects.toMatchObject({ code: 'person.forgotten' });
  });

  it("finds the target in the transaction: a stream's subject, from the stream, for the check and the answer", async () => {
    await release('p-5');
    const seen: string[] = [];
    const result = await store().handle(
      releaseDecider,
      { type: 'Release', personId: 'p-5', days: 2 },
      async (tx) => ({ streamId: 'person-p-5', subject: (await store().subjectOf(tx, 'person-p-5')) ?? 'none' }),
      context(),
      { check: async (_tx, target) => void seen.push(target.subject) },
    );
    expect(seen).toEqual(['p-5']);
    expect(result).toMatchObject({ id: 'p-5', streamId: 'person-p-5', streamVersion: 2 });
    expect(await db.dataSource.transaction((tx) => store().subjectOf(tx, 'person-nobody'))).toBeNull();
  });

  it('takes the same options inside the caller’s transaction (handleIn)', async () => {
    const order: string[] = [];
    await db.dataSource.transaction((tx) =>
      store().handleIn(tx, releaseDecider, { type: 'Release', personId: 'p-6', days: 1 }, targetOf('p-6'), context(), {
        check: async () => void order.push('check'),
        alongside: async (_tx, result) => void order.push(`alongside ${result.streamVersion}`),
      }),
    );
    expect(order).toEqual(['check', 'alongside 1']);
  });
});
