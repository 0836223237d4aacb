// Where a load's CPU goes: user+system time of each process over a window, read from /proc, so a
// figure like "gateway 3.1 ms per command" says which hop to work on. Linux only; elsewhere the
// profile is empty and the benchmarks still run.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

const ticksOf = (pid) => {
  try {
    // The command name may hold spaces and parentheses: fields count from the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0; // gone meanwhile
  }
};

const commOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

const cmdlineOf = (pid) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

const allPids = () => {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
};

/**
 * Groups to watch: each service by pid, every `postgres` process together (backends come and go,
 * so they are listed again at the end), the Kafka broker, and this load generator.
 */
function groups(servicePids) {
  const pids = allPids();
  return {
    ...Object.fromEntries(Object.entries(servicePids).map(([name, pid]) => [name, [pid]])),
    postgres: pids.filter((pid) => commOf(pid) === 'postgres'),
    kafka: pids.filter((pid) => commOf(pid) === 'java' && cmdlineOf(pid).includes('kafka.Kafka')),
    'load generator': [process.pid],
  };
}

/**
 * What a postgres process works for, from the title it sets: a backend names its database
 * (`postgres: 15/main: postgres hwbench_x_intake 127.0.0.1(5000) idle`), a background process
 * its role (`postgres: 15/main: walwriter`).
 */
const postgresRoleOf = (pid, databasePrefix) => {
  const title = cmdlineOf(pid)
    .replace(/\0/g, ' ')
    .trim()
    .replace(/^postgres: (\S+: )?/, '');
  const words = title.split(' ');
  if (words.length >= 3 && /\(\d+\)$|^\[local\]$/.test(words[2])) {
    return words[1].startsWith(databasePrefix) ? words[1].slice(databasePrefix.length) : 'other databases';
  }
  return words.slice(0, 2).join(' ') || 'postmaster';
};

/** group name → pid → ticks so far */
const sample = (servicePids) =>
  Object.fromEntries(Object.entries(groups(servicePids)).map(([name, pids]) => [name, new Map(pids.map((pid) => [pid, ticksOf(pid)]))]));

/**
 * Starts a window; `stop(units)` answers CPU milliseconds per unit (per command, per event) for
 * each group, the machine's idle share over the window, and the wall time. Postgres backends
 * that exit inside the window are missed (their time is not in any live process): the figure is
 * a floor for postgres.
 */
export function cpuWindow(servicePids, { databasePrefix = '' } = {}) {
  const before = sample(servicePids);
  const idleBefore = os.cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0);
  const started = Date.now();
  return {
    stop(units) {
      const after = sample(servicePids);
      const wallMs = Date.now() - started;
      const idleMs = os.cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0) - idleBefore;
      const perUnit = {};
      for (const [name, pids] of Object.entries(after)) {
        let ticks = 0;
        for (const [pid, now] of pids) ticks += now - (before[name]?.get(pid) ?? 0);
        const ms = (ticks * 1000) / TICKS_PER_SECOND;
        perUnit[name] = units > 0 ? ms / units : NaN;
      }
      // Postgres split by what its processes work for (live ones only: see above).
      const postgresPerUnit = {};
      for (const [pid, now] of after.postgres ?? []) {
        const role = postgresRoleOf(pid, databasePrefix);
        const ms = ((now - (before.postgres?.get(pid) ?? 0)) * 1000) / TICKS_PER_SECOND;
        postgresPerUnit[role] = (postgresPerUnit[role] ?? 0) + (units > 0 ? ms / units : NaN);
      }
      return { perUnit, postgresPerUnit, idleShare: idleMs / (wallMs * os.cpus().length), wallMs, units };
    },
  };
}

const describe = (perUnit) =>
  Object.entries(perUnit)
    .filter(([, ms]) => ms >= 0.005)
    .sort(([, a], [, b]) => b - a)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(', ');

export const describeCpu = ({ perUnit, postgresPerUnit }) => `${describe(perUnit)}; postgres by work: ${describe(postgresPerUnit)}`;
