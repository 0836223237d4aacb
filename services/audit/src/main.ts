import 'reflect-metadata';
import { startAudit } from './service.js';

const service = await startAudit();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void service.stop().finally(() => process.exit(0)));
