// Jest runs every suite in development, as npm test does (infra/test.mjs): without the switch a
// process is production and refuses the development keys, secrets and plaintext connections.
process.env.HOMEWARD_DEV ??= '1';
