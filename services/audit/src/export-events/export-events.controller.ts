import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { auditEventColumns, auditEventOf, positionOf, whereOf, type AuditEventRow } from '../audit-events.js';

const chunk = 500;

/**
 * Every event matching the filter, streamed: read in keyset chunks of 500 and written as they are
 * read, so neither side ever holds the whole export. Stops reading when the caller goes away.
 */
@Controller()
export class ExportEventsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Whom an export will name, asked before it is sent so that the gateway can log the read first:
   * the distinct subjects of the matching events stored up to now, and that position, which the
   * export is then bounded by (events copied meanwhile are left for the next export).
   */
  @GrpcMethod('AuditService', 'SubjectsOf')
  async subjectsOf(filter: audit.EventFilter): Promise<audit.SubjectsOfResponse> {
    const through = filter.through
      ? positionOf(filter.through)
      : String(((await this.dataSource.query(`SELECT coalesce(max(id), 0) AS last FROM audit_events`)) as [{ last: string }])[0].last);
    const where = whereOf({ ...filter, through });
    const rows: Array<{ subject: string }> = await this.dataSource.query(
      `SELECT DISTINCT subject FROM audit_events ${where.sql} AND subject <> '' ORDER BY subject`,
      where.parameters,
    );
    return { subjects: rows.map((row) => row.subject), through };
  }

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
