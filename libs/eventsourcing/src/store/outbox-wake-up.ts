// Wakes the outbox relay after a transaction that queued events has committed. A NOTIFY inside
// the appending transaction would do it too, but Postgres serialises the commits of notifying
// transactions on one cluster-wide lock, WAL flush included: with 16 writers that cost a quarter
// of the append rate. Here the writers commit without it and a process sends at most one
// notification at a time; commits that land while one is in flight are covered by one more, sent
// after it, so every commit is followed by a notification issued after it became visible. A lost
// notification (a crash in between, a dropped connection) is what the relay's poll is for.
// When the relay that leads this database runs in this process, it is woken directly: no
// round trip through Postgres. A relay elsewhere (another instance leads) is notified.
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

export const OUTBOX_CHANNEL = 'homeward_outbox';

const queuedFlag = 'homewardOutboxQueued';

const wakeUps = new WeakMap<DataSource, OutboxWakeUp>();

export class OutboxWakeUp implements EntitySubscriberInterface {
  private inFlight = false;
  private again = false;
  /** The leading relay of this DataSource's database, when it runs in this process. */
  private localRelay: (() => void) | null = null;
  /** Notifications sent (for tests: commits coalesce, so fewer than the commits). */
  sent = 0;

  private constructor(private readonly dataSource: DataSource) {}

  /** The one wake-up of a DataSource, registered as its subscriber on first use. */
  static of(dataSource: DataSource): OutboxWakeUp {
    let wakeUp = wakeUps.get(dataSource);
    if (!wakeUp) {
      wakeUp = new OutboxWakeUp(dataSource);
      dataSource.subscribers.push(wakeUp);
      wakeUps.set(dataSource, wakeUp);
    }
    return wakeUp;
  }

  /**
   * Called by an append: the relay is to be woken when `tx` commits. Answers false when `tx` is
   * not a transaction this can wait for; the caller then notifies in its own statement.
   */
  afterCommitOf(tx: EntityManager): boolean {
    const runner = tx.queryRunner;
    if (!runner?.isTransactionActive || runner.dataSource !== this.dataSource) return false;
    runner.data[queuedFlag] = true;
    return true;
  }

  /** A relay of this process leads: commits wake it directly, without a NOTIFY. */
  relayLeads(wake: () => void): void {
    this.localRelay = wake;
  }

  /** It no longer leads (stopped, or its session dropped): commits notify again. */
  relayStepsDown(wake: () => void): void {
    if (this.localRelay === wake) this.localRelay = null;
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (this.settled(event.queryRunner)) this.notify();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.settled(event.queryRunner);
  }

  /** True once the outermost transaction that queued events ends (a savepoint is not the end). */
  private settled(runner: QueryRunner): boolean {
    if (runner.isTransactionActive || !runner.data[queuedFlag]) return false;
    delete runner.data[queuedFlag];
    return true;
  }

  private notify(): void {
    if (this.localRelay) {
      this.localRelay();
      return;
    }
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.sent += 1;
    void this.dataSource
      .query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL])
      .catch(() => undefined) // the relay's poll picks the events up
      .finally(() => {
        this.inFlight = false;
        if (this.again && this.dataSource.isInitialized) {
          this.again = false;
          this.notify();
        }
      });
  }
}
