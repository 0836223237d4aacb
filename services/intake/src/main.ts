import { stopOnSignals } from '@homeward/service-kit';
import { startIntake } from './service.js';

const { app, runtime } = await startIntake();
stopOnSignals(app, runtime);
