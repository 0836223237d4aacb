// Reconciliation runs on the gateway's operator surface, the one process that already talks to
// every context's admin service and to audit: a run compares each context's store with audit's
// copy (reconcile.ts), the contexts side by side, each a page at a time. A run is kept in memory
// (the last few, for GET), and its outcome is set as gauges on the gateway's /metrics. With
// several gateways, each keeps its own runs and gauges: start and read a run on the same one.
import type { Logger } from '@homeward/observability';
import { uuidv7 } from '@homeward/observability';
import { adminTargets, callOptions, unary, type AdminClients, type AuditClient } from '../../grpc/grpc-clients.js';
import { discrepancyKinds, emptyReport, reconcileContext, type ContextReport, type Sides } from './reconcile.js';

/** The contexts audit copies, each with a store of its own (audit has none). */
export const reconciledContexts = adminTargets.filter((target) => target !== 'audit') as Array<
  Exclude<(typeof adminTargets)[number], 'audit'>
>;
export type ReconciledContext = (typeof reconciledContexts)[number];

export interface ReconcileConfig {
  /** Events recorded this long ago or more must be in the copy; newer ones at a stream's tail are pending. */
  graceSeconds: number;
  /** A run of every context every this many seconds; 0: only on demand. */
  intervalSeconds: number;
}

export const defaultReconcileConfig: ReconcileConfig = { graceSeconds: 60, intervalSeconds: 0 };

export function reconcileConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReconcileConfig {
  const seconds = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    if (!/^\d{1,6}$/.test(value)) throw new Error(`${name} must be a whole number of seconds`);
    return Number(value);
  };
  return {
    graceSeconds: seconds('AUDIT_RECONCILE_GRACE_SECONDS', defaultReconcileConfig.graceSeconds),
    intervalSeconds: seconds('AUDIT_RECONCILE_INTERVAL_SECONDS', defaultReconcileConfig.intervalSeconds),
  };
}

export interface ContextRun extends ContextReport {
  context: ReconciledContext;
  state: 'running' | 'done' | 'failed';
  /** Why it failed: which side could not be read. */
  errorCode: string | null;
}

export interface Run {
  id: string;
  state: 'running' | 'done';
  startedAt: string;
  finishedAt: string | null;
  graceSeconds: number;
  contexts: ContextRun[];
}

/** A run is clean when every context was read whole and nothing is missing, extra or different (pending is not a discrepancy). */
export const isClean = (run: Run) =>
  run.state === 'done' &&
  run.contexts.every((context) => context.state === 'done' && discrepancyKinds.every((kind) => context[kind] === 0));

/** Page sizes: a heads page sums up to 200 streams, an events page is 500 ids and hashes. */
const headsPage = 200;
const eventsPage = 500;
/** One page of a side, summing the events of up to 200 streams, within this. */
const pageDeadlineMs = 30_000;
const runsKept = 20;

class SideUnreadable extends Error {
  constructor(
    readonly code: string,
    readonly grpcCode: unknown,
  ) {
    super(code);
  }
}

export class Reconciler {
  private readonly runs = new Map<string, Run>();
  private readonly running = new Set<Promise<void>>();
  private readonly last = new Map<ReconciledContext, { report: ContextReport; at: number }>();
  private readonly failures = new Map<ReconciledContext, number>(reconciledContexts.map((context) => [context, 0]));
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clients: { admin: AdminClients; audit: AuditClient },
    private readonly logger: Logger,
    private readonly config: ReconcileConfig = defaultReconcileConfig,
    private readonly now: () => number = Date.now,
  ) {
    if (config.intervalSeconds > 0) {
      // A scheduled run is skipped while one of every context is under way.
      this.timer = setInterval(() => this.start({}), config.intervalSeconds * 1000);
      this.timer.unref();
    }
  }

  /**
   * Starts a run of the given contexts (all when none), answering at once. A run already under way
   * that covers them is answered instead of starting another.
   */
  start(request: { contexts?: readonly ReconciledContext[]; graceSeconds?: number }): Run {
    const contexts = request.contexts?.length
      ? reconciledContexts.filter((context) => request.contexts!.includes(context))
      : reconciledContexts;
    const under = [...this.runs.values()].find(
      (run) => run.state === 'running' && contexts.every((context) => run.contexts.some((ran) => ran.context === context)),
    );
    if (under) return under;
    const run: Run = {
      id: uuidv7(),
      state: 'running',
      startedAt: new Date(this.now()).toISOString(),
      finishedAt: null,
      graceSeconds: request.graceSeconds ?? this.config.graceSeconds,
      contexts: contexts.map((context) => ({ context, state: 'running', errorCode: null, ...emptyReport() })),
    };
    this.runs.set(run.id, run);
    for (const id of [...this.runs.keys()].slice(0, Math.max(this.runs.size - runsKept, 0))) this.runs.delete(id);
    const done = Promise.all(run.contexts.map((entry) => this.reconcile(run, entry))).then(() => {
      run.state = 'done';
      run.finishedAt = new Date(this.now()).toISOString();
      this.running.delete(done);
    });
    this.running.add(done);
    return run;
  }

  /** A run by id, or the newest with "latest". */
  get(id: string): Run | undefined {
    return id === 'latest' ? [...this.runs.values()].at(-1) : this.runs.get(id);
  }

  /** Waits for the runs under way (tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async reconcile(run: Run, entry: ContextRun): Promise<void> {
    const admin = this.clients.admin[entry.context];
    try {
      if (!admin) throw new SideUnreadable('reconciliation.store-unreadable', 'no admin channel');
      const report = await reconcileContext(this.sidesOf(entry.context, run.id), {
        graceMs: run.graceSeconds * 1000,
        now: this.now,
        onProgress: (progress) => Object.assign(entry, progress),
      });
      Object.assign(entry, report, { state: 'done' });
      this.last.set(entry.context, { report, at: this.now() });
      const { streams, events, missing, extra, different, pending, duplicateVersions } = report;
      this.logger.info(
        { reconciliationId: run.id, context: entry.context, streams, events, missing, extra, different, pending, duplicateVersions },
        'reconciliation of a context done',
      );
    } catch (error) {
      const code = error instanceof SideUnreadable ? error.code : 'reconciliation.failed';
      Object.assign(entry, { state: 'failed', errorCode: code });
      this.failures.set(entry.context, (this.failures.get(entry.context) ?? 0) + 1);
      const grpcCode = error instanceof SideUnreadable ? error.grpcCode : undefined;
      this.logger.warn({ reconciliationId: run.id, context: entry.context, code, grpcCode }, 'reconciliation of a context failed');
    }
  }

  private sidesOf(context: ReconciledContext, correlationId: string): Sides {
    const admin = this.clients.admin[context]!;
    const { audit } = this.clients;
    const options = () => callOptions(pageDeadlineMs, correlationId);
    const read = async <T extends { items?: Item[]; nextCursor?: string }, Item>(code: string, call: () => Promise<T>) => {
      try {
        const answer = await call();
        return { items: answer.items ?? [], nextCursor: answer.nextCursor ?? '' };
      } catch (error) {
        throw new SideUnreadable(code, (error as { code?: unknown }).code);
      }
    };
    const store = 'reconciliation.store-unreadable';
    const copy = 'reconciliation.copy-unreadable';
    return {
      storeHeads: (after) => read(store, () => unary(admin.streamHeads({ after, limit: headsPage }, ...options()))),
      copyHeads: (after) => read(copy, () => unary(audit.copiedStreamHeads({ source: context, after, limit: headsPage }, ...options()))),
      storeEvents: (streamId, cursor) =>
        read(store, () => unary(admin.streamEvents({ streamId, cursor, limit: eventsPage }, ...options()))),
      copyEvents: (streamId, cursor) =>
        read(copy, () => unary(audit.copiedStreamEvents({ source: context, streamId, cursor, limit: eventsPage }, ...options()))),
    };
  }

  /** Prometheus text: per context, never a stream or person id. */
  metricsText(): string {
    const lines = ['# TYPE homeward_audit_reconcile_discrepancies gauge'];
    for (const [context, { report }] of this.last) {
      for (const kind of discrepancyKinds)
        lines.push(`homeward_audit_reconcile_discrepancies{context="${context}",kind="${kind}"} ${report[kind]}`);
    }
    lines.push('# TYPE homeward_audit_reconcile_pending gauge');
    for (const [context, { report }] of this.last) lines.push(`homeward_audit_reconcile_pending{context="${context}"} ${report.pending}`);
    lines.push('# TYPE homeward_audit_reconcile_last_run_timestamp_seconds gauge');
    for (const [context, { at }] of this.last)
      lines.push(`homeward_audit_reconcile_last_run_timestamp_seconds{context="${context}"} ${Math.floor(at / 1000)}`);
    lines.push('# TYPE homeward_audit_reconcile_failures_total counter');
    for (const [context, count] of this.failures) lines.push(`homeward_audit_reconcile_failures_total{context="${context}"} ${count}`);
    return `${lines.join('\n')}\n`;
  }
}
