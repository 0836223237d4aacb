// What the code reads from its environment, found in the code itself: every service's and every
// library's production sources (no specs, no test harnesses, no generated code). A variable is
// read as env.NAME, env['NAME'] or const { NAME } = env (process.env included), or named by a
// string literal in a file that reads the environment (a helper such as
// positiveInteger(env, 'RATE_LIMIT_BURST', …)).
// A name built at run time (env[`${prefix}_GRPC_BIND`]) is returned as its template, for the
// caller to expand; the checks fail on a template they do not know.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { grpcBindVar, grpcServices, grpcUrlVar } from '@homeward/infra/service-env.mjs';

export interface CodeSettings {
  /** Variable name → the files that read it (relative to the workspace). */
  names: Map<string, string[]>;
  /** Names built at run time: the template literal's text → the files. */
  templates: Map<string, string[]>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !/[\\/](testing|generated)[\\/]/.test(file));
}

const add = (map: Map<string, string[]>, key: string, file: string) => {
  const files = map.get(key) ?? [];
  if (!files.includes(file)) files.push(file);
  map.set(key, files);
};

const readsEnvironment = /\bprocess\.env\b|\bNodeJS\.ProcessEnv\b/;
const direct = [/\benv\.([A-Z][A-Z0-9_]*)\b/g, /\benv\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g];
const namedLiteral = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;
const template = /\benv\[\s*`([^`]*)`\s*\]/g;
const destructured = /\{([^{}]*)\}\s*=\s*(?:process\.)?env\b/g;

function scan(workspace: string, files: readonly string[]): CodeSettings {
  const names = new Map<string, string[]>();
  const templates = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (!readsEnvironment.test(text)) continue;
    const relative = path.relative(workspace, file);
    for (const pattern of [...direct, namedLiteral]) for (const [, name] of text.matchAll(pattern)) add(names, name!, relative);
    for (const [, body] of text.matchAll(template)) add(templates, body!, relative);
    for (const [, list] of text.matchAll(destructured))
      for (const entry of list!.split(',')) {
        const name = /^\s*([A-Z][A-Z0-9_]*)/.exec(entry)?.[1];
        if (name) add(names, name, relative);
      }
  }
  return { names, templates };
}

/** Every setting the services' and libraries' sources read; libs/testing is a test harness and left out. */
export function codeSettings(workspace: string): CodeSettings {
  const roots = ['services', 'libs'].flatMap((group) =>
    readdirSync(path.join(workspace, group))
      .filter((name) => !(group === 'libs' && name === 'testing'))
      .map((name) => path.join(workspace, group, name, 'src')),
  );
  return scan(workspace, roots.flatMap(sourceFiles));
}

/** What these infra scripts (paths relative to the workspace) read. */
export const scriptSettings = (workspace: string, scripts: readonly string[]) =>
  scan(
    workspace,
    scripts.map((script) => path.join(workspace, script)),
  );

/** Names the code builds at run time, expanded for every gRPC service. */
const templates: Record<string, (service: string) => string> = {
  '${prefix}_GRPC_BIND': grpcBindVar,
  '${prefix}_GRPC_URL': grpcUrlVar,
};

/** Every variable the services and libraries read, the run-time names expanded; throws on a template it does not know. */
export function readByCode(workspace: string): Map<string, string[]> {
  const code = codeSettings(workspace);
  const names = new Map(code.names);
  for (const [template, files] of code.templates) {
    const expand = templates[template];
    if (!expand) throw new Error(`${files.join(', ')} read env[\`${template}\`]: expand it in code-settings.ts`);
    for (const { name } of grpcServices as ReadonlyArray<{ name: string }>) names.set(expand(name), files);
  }
  return names;
}
