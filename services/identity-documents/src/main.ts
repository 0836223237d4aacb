import { stopOnSignals } from '@homeward/service-kit';
import { startIdentityDocuments } from './service.js';

const { app, runtime } = await startIdentityDocuments();
stopOnSignals(app, runtime);
