// What an operator does through the gateway, for end-to-end tests: list the read models, fingerprint
// their tables, and rebuild them all while the live ones keep serving.
import { eventually } from '@homeward/testing';
import type { ServiceName, System } from './system.js';

export interface Projection {
  name: string;
  service: string;
  kind: string;
  state: string;
  rows: number;
  lag: number;
  checkpoints: Array<{ lag: number }>;
}

export interface Job {
  jobId: string;
  state: string;
  eventsDone: number;
  eventsTotal: number;
  errorCode: string | null;
}

export async function listProjections(system: System): Promise<Projection[]> {
  const response = await system.http<{ items: Projection[]; unavailable: string[] }>('GET', '/v1/admin/projections', {
    token: system.token('operator'),
  });
  if (response.status !== 200) throw new Error(`GET /v1/admin/projections answered ${response.status}`);
  return response.body.items;
}

/** Row count and an md5 over every (id, document) of each read model, read from its database. */
export async function checksums(system: System, items: Projection[]): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const service of new Set(items.map((item) => item.service))) {
    const db = await system.database(service as Exclude<ServiceName, 'gateway'>);
    try {
      for (const item of items.filter((candidate) => candidate.service === service)) {
        const { rows } = await db.query(
          `SELECT count(*)::int AS n, md5(string_agg(id || doc::text, ',' ORDER BY id)) AS sum FROM ${item.name}`,
        );
        sums[`${service}/${item.name}`] = `${rows[0].n}:${rows[0].sum}`;
      }
    } finally {
      await db.end();
    }
  }
  return sums;
}

/** Starts a rebuild of each read model and waits for every job; answers with the finished jobs. */
export async function rebuildAll(system: System, items: Projection[]): Promise<Job[]> {
  const token = system.token('operator');
  const started: string[] = [];
  for (const item of items) {
    const response = await system.http<Job>('POST', `/v1/admin/projections/${item.service}/${item.name}/rebuild`, { token });
    if (response.status !== 202) throw new Error(`rebuild of ${item.service}/${item.name} answered ${response.status}`);
    started.push(response.body.jobId);
  }
  const finished: Job[] = [];
  for (const jobId of started) {
    finished.push(
      await eventually(
        async () => (await system.http<Job>('GET', `/v1/admin/jobs/${jobId}`, { token })).body,
        (job) => job.state === 'done' || job.state === 'failed',
        { timeoutMs: 120_000, what: `job ${jobId}` },
      ),
    );
  }
  return finished;
}
