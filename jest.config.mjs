// One Jest configuration for the whole workspace; Nx targets pick a kind with --selectProjects.
// NestJS 12 is ESM-only, so tests run as native ESM (node --experimental-vm-modules).
import { readFileSync } from 'node:fs';

const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swcrc.$schema;

const shared = {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, sourceMaps: 'inline' }] },
  moduleNameMapper: {
    '^@homeward/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^@homeward/([a-z-]+)/testing$': '<rootDir>/libs/$1/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const kind = (name, timeout) => ({
  ...shared,
  displayName: name,
  testMatch: [`**/*.${name}.spec.ts`],
  testTimeout: timeout,
});

export default {
  projects: [kind('unit', 5_000), kind('int', 60_000), kind('e2e', 180_000)],
};
