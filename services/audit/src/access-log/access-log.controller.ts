import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { uuidv7 } from '@homeward/observability';
import { DataSource } from 'typeorm';
import { decodeCursor, pageOf, pageSize } from '../pagination.js';

interface AccessRow {
  id: string;
  access_id: string;
  actor: string;
  roles: string[];
  person_id: string;
  fields: string[];
  at: Date;
  correlation_id: string;
  route: string;
}

const invalid = (field: string) => new DomainError('validation-failed', `access.${field}-invalid`, `${field} is missing or not valid`);
const isTimestamp = (value: string) => value !== '' && !Number.isNaN(Date.parse(value));

/** Who read which person's file, when and which sections: written by the gateway before it answers. */
@Controller()
export class AccessLogController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('AuditService', 'RecordAccess')
  async recordAccess(request: audit.RecordAccessRequest): Promise<audit.RecordAccessResponse> {
    if (!request.actor) throw invalid('actor');
    if (!request.personId) throw invalid('personId');
    if (!isTimestamp(request.at)) throw invalid('at');
    if (!request.route) throw invalid('route');
    const accessId = uuidv7();
    await this.dataSource.query(
      `INSERT INTO access_log (access_id, actor, roles, person_id, fields, at, correlation_id, route) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [accessId, request.actor, request.roles ?? [], request.personId, request.fields ?? [], request.at, request.correlationId, request.route],
    );
    return { accessId };
  }

  @GrpcMethod('AuditService', 'ListAccessLog')
  async listAccessLog(request: audit.ListAccessLogRequest): Promise<audit.ListAccessLogResponse> {
    const limit = pageSize(request.limit);
    const parameters: unknown[] = [decodeCursor(request.cursor)];
    const conditions = ['id > $1'];
    const add = (column: string, value: string) => {
      parameters.push(value);
      conditions.push(`${column} $${parameters.length}`);
    };
    if (request.personId) add('person_id =', request.personId);
    if (request.actor) add('actor =', request.actor);
    for (const [name, value, operator] of [['from', request.from, 'at >='], ['to', request.to, 'at <']] as const) {
      if (!value) continue;
      if (!isTimestamp(value)) throw invalid(name);
      add(operator, value);
    }
    parameters.push(limit + 1);
    const rows: AccessRow[] = await this.dataSource.query(
      `SELECT id, access_id, actor, roles, person_id, fields, at, correlation_id, route FROM access_log
       WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${parameters.length}`,
      parameters,
    );
    const page = pageOf(rows, limit);
    return {
      items: page.rows.map((row) => ({
        accessId: row.access_id,
        actor: row.actor,
        roles: row.roles,
        personId: row.person_id,
        fields: row.fields,
        at: row.at.toISOString(),
        correlationId: row.correlation_id,
        route: row.route,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
