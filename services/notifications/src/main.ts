import 'reflect-metadata';
import { requireProductionReady } from '@homeward/service-kit';
import { startNotifications } from './service.js';

// Before anything opens: production (anything but HOMEWARD_DEV=1) names all it lacks and stops.
requireProductionReady('notifications');

// The worker and the timer finish what they hold before the runtime closes the database.
const service = await startNotifications();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void service.stop().finally(() => process.exit(0)));
