import 'reflect-metadata';
import { requireProductionReady } from '@homeward/service-kit';
import { startAudit } from './service.js';

// Before anything opens: production (anything but HOMEWARD_DEV=1) names all it lacks and stops.
requireProductionReady('audit');

const service = await startAudit();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void service.stop().finally(() => process.exit(0)));
