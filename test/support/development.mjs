// Jest runs every suite in development, as npm test does (infra/test.mjs): without the switch a
// process is production and refuses the development keys, secrets and plaintext connections.
import { ensureDevKeys } from '../../infra/dev-keys.mjs';

process.env.HOMEWARD_DEV ??= '1';

// Services verify the users' tokens the test clients send: the development key pair must exist
// before the first service starts (@homeward/testing signs with its private half).
ensureDevKeys();
