import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { auditEventColumns, auditEventOf, whereOf, type AuditEventRow } from '../audit-events.js';

const chunk = 500;

/**
 * Every event matching the filter, streamed: read in keyset chunks of 500 and written as they are
 * read, so neither side ever holds the whole export. Stops reading when the caller goes away.
 */
@Controller()
export class ExportEventsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('AuditService', 'ExportEvents')
  exportEvents(filter: audit.EventFilter): Observable<audit.AuditEvent> {
    const where = whereOf(filter);
    const n = where.parameters.length;
    const sql = `SELECT ${auditEventColumns} FROM audit_events ${where.sql ? `${where.sql} AND` : 'WHERE'} id > $${n + 1} ORDER BY id LIMIT $${n + 2}`;
    return new Observable<audit.AuditEvent>((subscriber) => {
      let cancelled = false;
      void (async () => {
        let after = '0';
        while (!cancelled) {
          const rows: AuditEventRow[] = await this.dataSource.query(sql, [...where.parameters, after, chunk]);
          for (const row of rows) subscriber.next(auditEventOf(row));
          if (rows.length < chunk) break;
          after = String(rows[rows.length - 1]!.id);
        }
        subscriber.complete();
      })().catch((error: unknown) => subscriber.error(error));
      return () => {
        cancelled = true;
      };
    });
  }
}
