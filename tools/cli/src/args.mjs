// Turns argv into one command: { name, positionals, options, url, token }. Pure: the environment is
// passed in, nothing is read from process, so unit tests can call it directly.
import { parseArgs } from 'node:util';
import { isTreeSize } from './bundle.mjs';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

const optionSpec = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  wait: { type: 'boolean' },
  stream: { type: 'string' },
  source: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  person: { type: 'string' },
  type: { type: 'string' },
  output: { type: 'string', short: 'o' },
  all: { type: 'boolean' },
  since: { type: 'string', multiple: true },
  'tree-size': { type: 'string' },
  cosigned: { type: 'boolean' },
  context: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const globalOptions = ['url', 'token', 'help'];

/** Every command: its words, the options it takes, whether it needs a token, and one line of help. */
export const commands = Object.freeze({
  projections: {
    usage: 'homeward projections [--json]',
    options: ['json'],
    role: 'operator',
    summary: 'list the read models: service, name, kind, state, lag',
  },
  rebuild: {
    usage: 'homeward rebuild <service> <name> [--wait] [--json]',
    options: ['wait', 'json'],
    role: 'operator',
    summary: 'rebuild a projection from its events; --wait follows the job',
  },
  replay: {
    usage: 'homeward replay <service> (--stream <id> | --from <iso> --to <iso>) [--wait] [--json]',
    options: ['stream', 'from', 'to', 'wait', 'json'],
    role: 'operator',
    summary: "republish a stream's or a time range's events; --wait follows the job",
  },
  'dead-letters list': {
    usage: 'homeward dead-letters [list] [--json]',
    options: ['json'],
    role: 'operator',
    summary: 'list the messages a consumer could not handle',
  },
  'dead-letters retry': {
    usage: 'homeward dead-letters retry <id> [--json]',
    options: ['json'],
    role: 'operator',
    summary: 'hand a dead letter back to its consumer',
  },
  'audit verify': {
    usage: 'homeward audit verify (--stream <id> | --source <context>) [--json]',
    options: ['stream', 'source', 'json'],
    role: 'auditor',
    summary: 'check the hash chains; exit 1 names the first broken event',
  },
  'audit export': {
    usage: 'homeward audit export [--person <id>] [--stream <id>] [--type <t>] [--from <iso>] [--to <iso>] [-o <file>]',
    options: ['person', 'stream', 'type', 'from', 'to', 'output'],
    role: 'auditor',
    summary: 'stream the audit events as NDJSON to stdout or a file',
  },
  'audit key': {
    usage: 'homeward audit key [--json]',
    options: ['json'],
    role: 'auditor',
    summary: "print the transparency log's verifier key, for homeward-verify --key",
  },
  'audit bundle': {
    usage:
      'homeward audit bundle (--person <id> | --stream <id> | --all) -o <dir> ' +
      '[--since <checkpoint file>]... [--tree-size <n> | --cosigned] [--json]',
    options: ['person', 'stream', 'all', 'output', 'since', 'tree-size', 'cosigned', 'json'],
    role: 'auditor',
    summary: 'write an offline bundle (leaves, proofs, signed checkpoint and manifest) for homeward-verify',
  },
  'audit reconcile': {
    usage: 'homeward audit reconcile [--context <name>] [--json]',
    options: ['context', 'json'],
    role: 'operator',
    summary: "compare each context's event store with audit's copy; exit 1 when an event is missing, extra or different",
  },
  help: { usage: 'homeward help [command]', options: [], role: null, summary: 'show this help' },
});

export function helpText(name) {
  if (name && commands[name]) {
    const command = commands[name];
    return `usage: ${command.usage}\n  ${command.summary}\n${commonHelp}`;
  }
  const lines = Object.values(commands).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `usage: homeward <command> [options]\n\ncommands:\n${lines.join('\n')}\n${commonHelp}`;
}

const commonHelp = `
options for every command:
  --url <url>      the gateway (or HOMEWARD_URL; default ${DEFAULT_URL})
  --token <jwt>    a bearer token (or HOMEWARD_TOKEN); get one with npm run -s token -- --role operator|auditor
  --json           machine-readable JSON on stdout (progress always goes to stderr)

exit codes: 0 done, 1 failed (or a broken chain), 2 wrong usage
`;

const isoPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function checkIso(option, value) {
  if (value !== undefined && (!isoPattern.test(value) || Number.isNaN(Date.parse(value)))) {
    throw new UsageError(`--${option} must be an ISO 8601 date or time (e.g. 2025-09-11T00:00:00Z), got ${JSON.stringify(value)}`);
  }
}

function checkBundle(values, spec) {
  if ([values.person, values.stream, values.all].filter((given) => given !== undefined).length !== 1) {
    throw new UsageError(`audit bundle needs exactly one of --person <id>, --stream <id> or --all\nusage: ${spec.usage}`);
  }
  if (values.output === undefined || values.output.trim() === '') throw new UsageError(`audit bundle needs -o <dir>\nusage: ${spec.usage}`);
  const size = values['tree-size'];
  if (size !== undefined && !isTreeSize(size)) throw new UsageError(`--tree-size must be a positive integer, got ${JSON.stringify(size)}`);
  if (size !== undefined && values.cosigned) throw new UsageError(`give --tree-size or --cosigned, not both\nusage: ${spec.usage}`);
}

function resolveName(positionals) {
  const [first, second] = positionals;
  if (first === undefined) return { name: 'help', rest: [] };
  if (first === 'dead-letters') {
    if (second === undefined || second === 'list')
      return { name: 'dead-letters list', rest: positionals.slice(second === undefined ? 1 : 2) };
    if (second === 'retry') return { name: 'dead-letters retry', rest: positionals.slice(2) };
    throw new UsageError(`unknown dead-letters command ${JSON.stringify(second)}; use list or retry`);
  }
  if (first === 'audit') {
    if (Object.hasOwn(commands, `audit ${second}`)) return { name: `audit ${second}`, rest: positionals.slice(2) };
    const known = Object.keys(commands)
      .filter((name) => name.startsWith('audit '))
      .map((name) => name.slice('audit '.length))
      .join(', ');
    throw new UsageError(
      second === undefined ? `audit needs a command: ${known}` : `unknown audit command ${JSON.stringify(second)}; use ${known}`,
    );
  }
  if (Object.hasOwn(commands, first) && !first.includes(' ')) return { name: first, rest: positionals.slice(1) };
  throw new UsageError(`unknown command ${JSON.stringify(first)}; see homeward help`);
}

function expectPositionals(name, rest, labels) {
  if (rest.length !== labels.length) {
    const problem =
      rest.length < labels.length
        ? `missing ${labels
            .slice(rest.length)
            .map((l) => `<${l}>`)
            .join(' ')}`
        : `unexpected ${JSON.stringify(rest[labels.length])}`;
    throw new UsageError(`${problem}\nusage: ${commands[name].usage}`);
  }
  return Object.fromEntries(
    labels.map((label, index) => {
      if (rest[index].trim() === '') throw new UsageError(`<${label}> must not be empty`);
      return [label, rest[index]];
    }),
  );
}

/**
 * Parses argv (without node and the script) and the environment into a command.
 * Throws UsageError for anything the user must fix.
 */
export function parseCommand(argv, env = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${error.message.split('\n')[0]}; see homeward help`);
  }
  const { values, positionals } = parsed;
  const { name, rest } = resolveName(positionals);
  const url = values.url ?? env.HOMEWARD_URL ?? DEFAULT_URL;
  const token = values.token ?? env.HOMEWARD_TOKEN ?? '';
  if (values.help || name === 'help') {
    const topic = name === 'help' ? rest.join(' ') || undefined : name;
    return { name: 'help', topic, positionals: {}, options: {}, url, token };
  }

  const spec = commands[name];
  for (const option of Object.keys(values)) {
    if (!globalOptions.includes(option) && !spec.options.includes(option)) {
      throw new UsageError(`${name} does not take --${option}\nusage: ${spec.usage}`);
    }
  }
  let args;
  switch (name) {
    case 'projections':
    case 'dead-letters list':
    case 'audit verify':
    case 'audit export':
    case 'audit key':
    case 'audit bundle':
    case 'audit reconcile':
      args = expectPositionals(name, rest, []);
      break;
    case 'rebuild':
      args = expectPositionals(name, rest, ['service', 'name']);
      break;
    case 'replay':
      args = expectPositionals(name, rest, ['service']);
      break;
    case 'dead-letters retry':
      args = expectPositionals(name, rest, ['id']);
      break;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  }
  checkIso('from', values.from);
  checkIso('to', values.to);
  if (name === 'replay') {
    const byStream = values.stream !== undefined;
    const byRange = values.from !== undefined || values.to !== undefined;
    if (byStream === byRange) throw new UsageError(`replay needs either --stream <id> or --from <iso> --to <iso>\nusage: ${spec.usage}`);
    if (byRange && (values.from === undefined || values.to === undefined)) throw new UsageError('replay needs both --from and --to');
  }
  if (name === 'audit verify' && (values.stream === undefined) === (values.source === undefined)) {
    throw new UsageError(`audit verify needs exactly one of --stream <id> or --source <context>\nusage: ${spec.usage}`);
  }
  if (name === 'audit bundle') checkBundle(values, spec);
  if (values.from !== undefined && values.to !== undefined && Date.parse(values.from) > Date.parse(values.to)) {
    throw new UsageError('--from must not be after --to');
  }
  try {
    const parsedUrl = new URL(url);
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (!token) {
    throw new UsageError(`no token: pass --token or set HOMEWARD_TOKEN (get one with npm run -s token -- --role ${spec.role})`);
  }
  const options = Object.fromEntries(Object.entries(values).filter(([key]) => !globalOptions.includes(key)));
  return { name, positionals: args, options, url: url.replace(/\/+$/, ''), token };
}
