import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { audit } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { uuidv7 } from '@homeward/observability';
import { DataSource } from 'typeorm';
import { decodeCursor, pageOf, pageSize } from '../pagination.js';
import { accessLogColumns, accessRowLeaf, personIdsOfRow, type AccessLogRow } from '../transparency-log/leaves.js';
import { appendToLog } from '../transparency-log/log-store.js';

const invalid = (field: string) => new DomainError('validation-failed', `access.${field}-invalid`, `${field} is missing or not valid`);
const isTimestamp = (value: string) => value !== '' && !Number.isNaN(Date.parse(value));
const maxPersonIdLength = 200;

/** Everyone the read named; an older gateway sends one person_id. A list that found nobody names nobody. */
function personIdsOf(request: audit.RecordAccessRequest): string[] {
  const ids = request.personIds?.length ? request.personIds : request.personId ? [request.personId] : [];
  if (ids.some((id) => id === '' || id.length > maxPersonIdLength)) throw invalid('personIds');
  return [...new Set(ids)];
}

/**
 * Who read which people, when, through which route and which fields they were shown: written by
 * the gateway before it answers any read of personal data.
 */
@Controller()
export class AccessLogController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('AuditService', 'RecordAccess')
  async recordAccess(request: audit.RecordAccessRequest): Promise<audit.RecordAccessResponse> {
    if (!request.actor) throw invalid('actor');
    const personIds = personIdsOf(request);
    if (!isTimestamp(request.at)) throw invalid('at');
    if (!request.route) throw invalid('route');
    const accessId = uuidv7();
    // The entry and its leaf commit together: an access is logged only as a provable leaf.
    await this.dataSource.transaction(async (tx) => {
      const [row]: AccessLogRow[] = await tx.query(
        `INSERT INTO access_log (access_id, actor, roles, person_id, person_ids, fields, at, correlation_id, route) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${accessLogColumns}`,
        [
          accessId,
          request.actor,
          request.roles ?? [],
          personIds.length === 1 ? personIds[0] : '',
          personIds,
          request.fields ?? [],
          request.at,
          request.correlationId,
          request.route,
        ],
      );
      await appendToLog(tx, [accessRowLeaf(row!)]);
    });
    return { accessId };
  }

  @GrpcMethod('AuditService', 'ListAccessLog')
  async listAccessLog(request: audit.ListAccessLogRequest): Promise<audit.ListAccessLogResponse> {
    const limit = pageSize(request.limit);
    const parameters: unknown[] = [decodeCursor(request.cursor)];
    const conditions = ['id > $1'];
    const add = (condition: (placeholder: string) => string, value: string) => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    // A person is named in person_ids (a list read names everyone on its page), or, in an entry
    // written before that column, in person_id.
    if (request.personId) add((p) => `(person_ids @> ARRAY[${p}::text] OR person_id = ${p})`, request.personId);
    if (request.actor) add((p) => `actor = ${p}`, request.actor);
    for (const [name, value, operator] of [
      ['from', request.from, 'at >='],
      ['to', request.to, 'at <'],
    ] as const) {
      if (!value) continue;
      if (!isTimestamp(value)) throw invalid(name);
      add((p) => `${operator} ${p}`, value);
    }
    parameters.push(limit + 1);
    const rows: AccessLogRow[] = await this.dataSource.query(
      `SELECT ${accessLogColumns} FROM access_log
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
        personIds: personIdsOfRow(row),
        fields: row.fields,
        at: row.at.toISOString(),
        correlationId: row.correlation_id,
        route: row.route,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
