import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { isUuid } from '@homeward/notifications-domain';
import { DataSource } from 'typeorm';
import type { DeliveryDocument } from '../notification-deliveries/notification-deliveries.projection.js';
import { decodeCursor, pageOf, pageSize } from '../pagination.js';

/** The notifications about one person, oldest first, and where each delivery stands. */
@Controller()
export class ListDeliveriesController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('NotificationsService', 'ListDeliveries')
  async listDeliveries(request: notifications.ListDeliveriesRequest): Promise<notifications.ListDeliveriesResponse> {
    if (!isUuid(request.personId)) throw new DomainError('validation-failed', 'deliveries.person-id-invalid', 'personId must be a UUID');
    const limit = pageSize(request.limit);
    const [afterQueuedAt, afterId] = decodeCursor(request.cursor);
    const rows: Array<{ id: string; doc: DeliveryDocument; sort_key: string }> = await this.dataSource.query(
      `SELECT id, doc, doc->>'queuedAt' AS sort_key FROM notification_deliveries
       WHERE doc->>'personId' = $1 AND (doc->>'queuedAt', id) > ($2, $3)
       ORDER BY doc->>'queuedAt', id
       LIMIT $4`,
      [request.personId, afterQueuedAt, afterId, limit + 1],
    );
    return pageOf(rows, limit);
  }
}
