import { stopOnSignals } from '@homeward/service-kit';
import { startLegal } from './service.js';

const { app, runtime } = await startLegal();
stopOnSignals(app, runtime);
