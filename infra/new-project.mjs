#!/usr/bin/env node
// Scaffolds a workspace project: node infra/new-project.mjs libs|services <name> <type> <scope>
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { root } from './common.mjs';

const [kind, name, type, scope] = process.argv.slice(2);
if (!['libs', 'services'].includes(kind) || !name || !type || !scope) {
  console.error('usage: node infra/new-project.mjs libs|services <name> <type> <scope>');
  process.exit(2);
}
const dir = path.join(root, kind, name);
if (existsSync(path.join(dir, 'package.json'))) throw new Error(`${kind}/${name} exists`);
mkdirSync(path.join(dir, 'src'), { recursive: true });
const targets = { build: {}, 'test-unit': {}, 'test-int': {} };
const pkg = {
  name: `@homeward/${name}`,
  version: '0.0.0',
  private: true,
  type: 'module',
  ...(kind === 'libs' ? { exports: { '.': { types: './src/index.ts', default: './dist/index.js' } } } : { main: './dist/main.js' }),
  nx: { tags: [`type:${type}`, `scope:${scope}`], targets },
};
writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(
  path.join(dir, 'tsconfig.json'),
  JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src/**/*.ts'] }, null, 2) + '\n',
);
const entry = kind === 'libs' ? 'index.ts' : 'main.ts';
if (!existsSync(path.join(dir, 'src', entry))) writeFileSync(path.join(dir, 'src', entry), 'export {};\n');
console.log(`created ${kind}/${name}`);
