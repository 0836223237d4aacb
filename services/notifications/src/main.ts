import 'reflect-metadata';
import { startNotifications } from './service.js';

// The worker and the timer finish what they hold before the runtime closes the database.
const service = await startNotifications();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void service.stop().finally(() => process.exit(0)));
