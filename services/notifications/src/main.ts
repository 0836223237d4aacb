import 'reflect-metadata';
import { topicOf } from '@homeward/messaging';
import { grpcBindAddress, startGrpcService, startRuntime, stopOnSignals } from '@homeward/service-kit';
import { NotificationsModule } from './notifications.module.js';
import { migrations } from './migrations.js';

const runtime = await startRuntime({
  service: 'notifications',
  migrations,
  store: { source: 'notifications', topic: topicOf('notifications'), projections: [] },
});
const app = await startGrpcService({
  service: 'notifications',
  runtime,
  module: NotificationsModule.with(runtime),
  url: grpcBindAddress('notifications', 50054),
});
stopOnSignals(app, runtime);
