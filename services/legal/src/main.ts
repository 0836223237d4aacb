import { requireProductionReady, stopOnSignals } from '@homeward/service-kit';
import { startLegal } from './service.js';

// Before anything opens: production (anything but HOMEWARD_DEV=1) names all it lacks and stops.
requireProductionReady('legal');

const { app, runtime } = await startLegal();
stopOnSignals(app, runtime);
