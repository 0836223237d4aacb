import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { intake } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { personStatuses } from '@homeward/intake-domain';
import { PersonKeys } from '@homeward/personal-data';
import { DataSource } from 'typeorm';
import type { PersonFileDocument } from '../person-file/person-file.projection.js';
import { requireBatchId } from '../person-commands.js';
import { openFullName } from '../personal-fields.js';

const defaultLimit = 50;
const maxLimit = 200;

/** Cursor = the last person id of the previous page, opaque to clients. */
const encodeCursor = (personId: string) => Buffer.from(personId).toString('base64url');
function decodeCursor(cursor: string): string {
  const personId = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(personId)) throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
  return personId;
}

type Row = { id: string } & Pick<PersonFileDocument, 'fullName' | 'status' | 'batchId' | 'streamVersion' | 'updatedAt' | 'forgotten'>;

/** The people list: filtered by derived status and batch, ordered by person id; no personal field but the name. */
@Controller()
export class ListPeopleController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('IntakeService', 'ListPeople')
  async listPeople(request: intake.ListPeopleRequest): Promise<intake.ListPeopleResponse> {
    if (request.status && !(personStatuses as readonly string[]).includes(request.status)) {
      throw new DomainError('validation-failed', 'people.status-invalid', `status must be one of ${personStatuses.join(', ')}`);
    }
    if (request.batchId) requireBatchId(request.batchId);
    const limit = Math.min(Math.max(request.limit || defaultLimit, 1), maxLimit);
    const after = request.cursor ? decodeCursor(request.cursor) : '';
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, doc->>'fullName' AS "fullName", doc->>'status' AS status, doc->>'batchId' AS "batchId",
              (doc->>'streamVersion')::int AS "streamVersion", doc->>'updatedAt' AS "updatedAt",
              coalesce((doc->>'forgotten')::boolean, false) AS forgotten
       FROM person_file
       WHERE ($1 = '' OR doc->>'status' = $1) AND ($2 = '' OR doc->'batchIds' ? $2) AND id > $3
       ORDER BY id LIMIT $4`,
      [request.status, request.batchId, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    const keys = await this.keys.findMany(
      this.dataSource.manager,
      page.map((row) => row.id),
    );
    return {
      items: page.map((row) => ({
        personId: row.id,
        fullName: openFullName(row.fullName, keys.get(row.id)!),
        forgotten: row.forgotten,
        status: row.status,
        batchId: row.batchId ?? '',
        streamVersion: row.streamVersion,
        updatedAt: row.updatedAt,
      })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : '',
    };
  }
}
