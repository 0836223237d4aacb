import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DataSource } from 'typeorm';
import { auditEventColumns, auditEventOf, whereOf, type AuditEventRow } from '../audit-events.js';
import { decodeCursor, pageOf, pageSize } from '../pagination.js';

/** Events by person, stream, type, actor and time, in the order they were copied. */
@Controller()
export class SearchEventsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('AuditService', 'SearchEvents')
  async searchEvents(request: audit.SearchEventsRequest): Promise<audit.SearchEventsResponse> {
    const limit = pageSize(request.limit);
    const after = decodeCursor(request.cursor);
    const where = whereOf(request.filter);
    const [{ total }]: [{ total: string }] = await this.dataSource.query(
      `SELECT count(*) AS total FROM audit_events ${where.sql}`,
      where.parameters,
    );
    const n = where.parameters.length;
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT ${auditEventColumns} FROM audit_events ${where.sql ? `${where.sql} AND` : 'WHERE'} id > $${n + 1} ORDER BY id LIMIT $${n + 2}`,
      [...where.parameters, after, limit + 1],
    );
    const page = pageOf(rows, limit);
    return { items: page.rows.map(auditEventOf), nextCursor: page.nextCursor, total: Number(total) };
  }
}
