#!/usr/bin/env node
// `npx homeward help`: the operator and auditor command line. Plain Node, no build step.
import { main } from '../src/main.mjs';

process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
