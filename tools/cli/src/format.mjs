// Text for people: tables, durations, progress. Pure functions.

// C0 and C1 controls and DEL (cursor moves, colours, a cleared screen, a rewritten title) and the
// bidirectional overrides and isolates (text shown in another order than it is stored).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unprintable = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text that came from the gateway (stored names, errors, ids) as it may reach a terminal: every
 * control or reordering character written as a visible \uXXXX escape, so what an operator reads
 * is what is stored and nothing stored can act on the terminal.
 */
export function shown(value) {
  return String(value).replace(unprintable, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A template tag: the literal parts as written, every interpolated value `shown`. */
export const says = (parts, ...values) => parts.reduce((line, part, i) => line + part + (i < values.length ? shown(values[i]) : ''), '');

const text = (value) => (value === undefined || value === null || value === '' ? '-' : shown(value));

/** A left-aligned table with a header row; `columns` is [{ key, label }] or keys. */
export function table(rows, columns) {
  const cols = columns.map((c) => (typeof c === 'string' ? { key: c, label: c.toUpperCase() } : c));
  const cells = rows.map((row) => cols.map((c) => text(typeof c.value === 'function' ? c.value(row) : row[c.key])));
  const widths = cols.map((c, i) => Math.max(c.label.length, ...cells.map((r) => r[i].length)));
  const line = (values) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  return [line(cols.map((c) => c.label)), ...cells.map(line)].join('\n') + '\n';
}

/** 75 -> "1m15s", 3700 -> "1h01m", 9 -> "9s"; unknown -> "?". */
export function formatDuration(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatRate(rate) {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return '? ev/s';
  return rate >= 100 ? `${Math.round(rate)} ev/s` : `${rate.toFixed(1)} ev/s`;
}

/** A job's progress numbers (GET /v1/admin/jobs/{jobId}: state, eventsDone, eventsTotal, ratePerSecond, etaSeconds). */
export function jobProgress(job) {
  const num = (...values) => values.find((v) => typeof v === 'number' && Number.isFinite(v));
  return {
    state: shown(job.state ?? job.status ?? 'unknown'),
    done: num(job.eventsDone, job.done, job.processed) ?? 0,
    total: num(job.eventsTotal, job.total),
    rate: num(job.ratePerSecond, job.rate),
    etaSeconds: num(job.etaSeconds, job.eta),
  };
}

/** "rebuilding [#########.......] 450/1000 45% 120.0 ev/s ETA 5s" within `width` columns. */
export function progressBar(label, job, width = 80) {
  const { state, done, total, rate, etaSeconds } = jobProgress(job);
  const counts = total === undefined ? `${done}` : `${done}/${total}`;
  const percent = total ? `${Math.min(100, Math.floor((done / total) * 100))}%` : '';
  const tail = [counts, percent, formatRate(rate), `ETA ${formatDuration(etaSeconds)}`, state].filter(Boolean).join(' ');
  const room = width - label.length - tail.length - 4;
  if (room < 10 || !total) return `${label} ${tail}`;
  const filled = Math.min(room, Math.round((done / total) * room));
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(room - filled)}] ${tail}`;
}

/** The same facts as one plain log line, for a stderr that is not a terminal. */
export function progressLine(label, job) {
  const { state, done, total, rate, etaSeconds } = jobProgress(job);
  const events = total === undefined ? done : `${done}/${total}`;
  return `${label}: ${state} ${events} events, ${formatRate(rate)}, ETA ${formatDuration(etaSeconds)}`;
}

/** A problem+json body (or anything) as one message: "title: detail". */
export function problemMessage(status, body) {
  if (body && typeof body === 'object') {
    const title = typeof body.title === 'string' ? body.title : undefined;
    const detail = typeof body.detail === 'string' ? body.detail : undefined;
    const code = typeof body.code === 'string' ? ` [${body.code}]` : '';
    if (title || detail) return shown(`${status} ${[title, detail].filter(Boolean).join(': ')}${code}`);
  }
  return shown(`${status} ${typeof body === 'string' && body ? body.slice(0, 200) : 'the gateway answered with an error'}`);
}
