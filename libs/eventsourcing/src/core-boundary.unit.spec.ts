// The core stays a core: no file of this lib, its tests included, imports the operations lib
// built on top of it (@homeward/operations), by name or by a relative path out of the lib. Imports
// run one way only: operations → eventsourcing. The check proves itself on fixtures first.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const libRoot = resolve(import.meta.dirname, '..');
const operations = ['@homeward', 'operations'].join('/');

/** The specifiers a TypeScript file imports or re-exports, statically or dynamically. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)) found.push(match[1]!);
  return found;
}

/** What a file imports that the core must not: the operations lib, or anything outside the lib by relative path. */
function violations(file: string, source: string): string[] {
  return specifiers(source).filter((specifier) => {
    if (specifier === operations || specifier.startsWith(`${operations}/`)) return true;
    if (!specifier.startsWith('.')) return false;
    return relative(libRoot, resolve(dirname(file), specifier)).startsWith('..');
  });
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe('libs/eventsourcing imports nothing of the operations lib', () => {
  it('catches the imports it forbids (fixtures)', () => {
    const file = join(libRoot, 'src', 'store', 'fixture.ts');
    expect(violations(file, `import { ServiceOperations } from '${operations}';`)).toEqual([operations]);
    expect(violations(file, `export { rebuildInlineProjection } from "${operations}";`)).toEqual([operations]);
    expect(violations(file, `const ops = await import('${operations}');`)).toEqual([operations]);
    expect(violations(file, `import type { JobInfo } from '../../../operations/src/operations.js';`)).toEqual([
      '../../../operations/src/operations.js',
    ]);
    expect(violations(file, `import { fold } from '@homeward/decider';\nimport { prepared } from '../prepared.js';`)).toEqual([]);
  });

  it('holds for every file of the lib', () => {
    // This file names the forbidden imports in its fixtures.
    const files = sourceFiles(join(libRoot, 'src')).filter((file) => file !== import.meta.filename);
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) =>
      violations(file, readFileSync(file, 'utf8')).map((specifier) => `${relative(libRoot, file)} imports ${specifier}`),
    );
    expect(found).toEqual([]);
  });

  it('declares no dependency on it', () => {
    const manifest = readFileSync(join(libRoot, 'package.json'), 'utf8');
    expect(manifest).not.toContain(operations);
  });
});
