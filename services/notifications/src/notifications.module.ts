import { Module, type DynamicModule } from '@nestjs/common';
import { EventStore } from '@homeward/eventsourcing';
import type { WebhookTargetPolicy } from '@homeward/notifications-domain';
import { PersonKeys } from '@homeward/personal-data';
import type { ServiceRuntime } from '@homeward/service-kit';
import { DataSource } from 'typeorm';
import { ChangeRecipientController } from './change-recipient/change-recipient.controller.js';
import { EraseRecipientController } from './erase-recipient/erase-recipient.controller.js';
import { ListDeliveriesController } from './list-deliveries/list-deliveries.controller.js';
import { ListWelfareChecksController } from './list-welfare-checks/list-welfare-checks.controller.js';
import { RegisterRecipientController, WebhookTargets } from './register-recipient/register-recipient.controller.js';

@Module({})
export class NotificationsModule {
  static with(runtime: ServiceRuntime, keys: PersonKeys, webhookTargets: WebhookTargetPolicy): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [
        RegisterRecipientController,
        ChangeRecipientController,
        EraseRecipientController,
        ListDeliveriesController,
        ListWelfareChecksController,
      ],
      providers: [
        { provide: EventStore, useValue: runtime.store },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: PersonKeys, useValue: keys },
        { provide: WebhookTargets, useValue: new WebhookTargets(webhookTargets) },
      ],
    };
  }
}
