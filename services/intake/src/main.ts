import { requireProductionReady, stopOnSignals } from '@homeward/service-kit';
import { startIntake } from './service.js';

// Before anything opens: production (anything but HOMEWARD_DEV=1) names all it lacks and stops.
requireProductionReady('intake');

const { app, runtime } = await startIntake();
stopOnSignals(app, runtime);
