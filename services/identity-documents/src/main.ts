import { requireProductionReady, stopOnSignals } from '@homeward/service-kit';
import { startIdentityDocuments } from './service.js';

// Before anything opens: production (anything but HOMEWARD_DEV=1) names all it lacks and stops.
requireProductionReady('identity-documents');

const { app, runtime } = await startIdentityDocuments();
stopOnSignals(app, runtime);
