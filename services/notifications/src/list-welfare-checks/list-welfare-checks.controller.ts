import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { notifications } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { isUuid } from '@homeward/notifications-domain';
import { DataSource } from 'typeorm';
import type { WelfareCheckDocument } from '../welfare-checks/welfare-checks.projection.js';
import { decodeCursor, pageOf, pageSize } from '../pagination.js';

/** Welfare checks by due time; `overdue` keeps those overdue and not cleared: the ones to act on. */
@Controller()
export class ListWelfareChecksController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('NotificationsService', 'ListWelfareChecks')
  async listWelfareChecks(request: notifications.ListWelfareChecksRequest): Promise<notifications.ListWelfareChecksResponse> {
    if (request.personId && !isUuid(request.personId))
      throw new DomainError('validation-failed', 'welfare-checks.person-id-invalid', 'personId must be a UUID');
    const limit = pageSize(request.limit);
    const [afterDueAt, afterId] = decodeCursor(request.cursor);
    const rows: Array<{ id: string; doc: WelfareCheckDocument; sort_key: string }> = await this.dataSource.query(
      `SELECT id, doc, doc->>'dueAt' AS sort_key FROM welfare_checks
       WHERE ($1::boolean IS FALSE OR doc->>'status' = 'overdue')
         AND ($2 = '' OR doc->>'personId' = $2)
         AND (doc->>'dueAt', id) > ($3, $4)
       ORDER BY doc->>'dueAt', id
       LIMIT $5`,
      [request.overdue, request.personId ?? '', afterDueAt, afterId, limit + 1],
    );
    return pageOf(rows, limit);
  }
}
