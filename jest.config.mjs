// One Jest configuration for the whole workspace; Nx targets pick a kind with --selectProjects
// (and set --testTimeout, a global option Jest ignores inside projects).
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
  // Tests run in development (HOMEWARD_DEV=1): production refuses the development defaults.
  setupFiles: ['<rootDir>/test/support/development.mjs'],
};

const kind = (name) => ({
  ...shared,
  displayName: name,
  testMatch: [`**/*.${name}.spec.ts`],
});

export default {
  projects: [kind('unit'), kind('int'), kind('e2e'), kind('faults')],
};
