// One table (figure, value, baseline, ratio, target, met) on stdout and the same in
// test/bench/results/latest.json, with the machine it came from.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from '../../../infra/common.mjs';
import { quick, withAdmin } from './kit.mjs';

// A partial run (BENCH_ONLY) or a smoke run (BENCH_QUICK) writes beside the full figures, not over them.
const partial = Boolean(process.env.BENCH_ONLY) || quick;
export const resultsFile = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'results',
  partial ? 'partial.json' : 'latest.json',
);

/**
 * A row. `target` is { kind: 'ratio-at-least' | 'ratio-at-most' | 'at-least' | 'below', value, text }
 * or null; the ratio is value / baseline. `missing` says why a figure could not be measured.
 */
export function figure({ name, value = null, unit = '', baseline = null, baselineLabel = '', target = null, missing = null }) {
  const ratio = value !== null && baseline ? value / baseline : null;
  let met = null;
  if (target && value !== null) {
    if (target.kind === 'ratio-at-least') met = ratio !== null && ratio >= target.value;
    else if (target.kind === 'ratio-at-most') met = ratio !== null && ratio <= target.value;
    else if (target.kind === 'at-least') met = value >= target.value;
    else met = value < target.value;
  }
  return { name, value, unit, baseline, baselineLabel, ratio, target: target?.text ?? null, met, missing };
}

const number = (value, unit) => {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const digits = unit === '' ? 0 : unit === 'ms' || value < 100 ? 1 : 0;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`.trim();
};

export function printTable(rows) {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const measured = rows.filter((row) => !row.missing);
  const cells = measured.map((row) => [
    row.name,
    number(row.value, row.unit),
    row.baseline === null ? '–' : `${number(row.baseline, row.unit)} (${row.baselineLabel})`,
    row.ratio === null ? '–' : `${row.ratio.toFixed(2)}×`,
    row.target ?? '–',
    row.met === null ? '–' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (i === 0 ? row.name.length : 0)), ...cells.map((c) => c[i].length)),
  );
  const line = (cols) => `| ${cols.map((col, i) => col.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)];
  for (const row of rows.filter((r) => r.missing)) out.push(`| ${row.name.padEnd(widths[0])} | not measured: ${row.missing} |`);
  process.stdout.write(`\n${out.join('\n')}\n\n`);
}

export async function machine() {
  const cpus = os.cpus();
  const postgres = await withAdmin((client) => client.query('SHOW server_version')).then(
    (r) => r.rows[0].server_version,
    () => 'unknown',
  );
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    postgres,
    commit: git.status === 0 ? git.stdout.trim() : 'unknown',
    // The machine may be shared: its load when the run started says how much to trust the figures.
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

export function writeResults({ rows, machineInfo, startedAt, seconds, details }) {
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  const document = { date: startedAt, quick, seconds, machine: machineInfo, figures: rows, details };
  writeFileSync(resultsFile, `${JSON.stringify(document, null, 2)}\n`);
}
