import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { identityDocuments } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { DocumentsStatus } from '@homeward/identity-documents-domain';
import { undocumentedStatuses } from '@homeward/vocabulary';
import { DataSource } from 'typeorm';

const defaultLimit = 50;
const maxLimit = 200;
const withoutValidPapers: DocumentsStatus[] = [...undocumentedStatuses];

/** Cursor = the last person id of the previous page, opaque to clients. */
const encodeCursor = (personId: string) => Buffer.from(personId).toString('base64url');
function decodeCursor(cursor: string): string {
  const personId = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/i.test(personId)) throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
  return personId;
}

function statusesOf(filter: string): DocumentsStatus[] {
  if (filter === '') return withoutValidPapers;
  const status = withoutValidPapers.find((candidate) => candidate === filter);
  if (!status)
    throw new DomainError('validation-failed', 'documents.status-filter-invalid', `status must be one of ${withoutValidPapers.join(', ')}`);
  return [status];
}

@Controller()
export class ListUndocumentedController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('IdentityDocumentsService', 'ListUndocumented')
  async listUndocumented(request: identityDocuments.ListUndocumentedRequest): Promise<identityDocuments.ListUndocumentedResponse> {
    const statuses = statusesOf(request.status);
    const limit = Math.min(Math.max(request.limit || defaultLimit, 1), maxLimit);
    const after = request.cursor ? decodeCursor(request.cursor) : '';
    const rows: Array<{ id: string; status: string }> = await this.dataSource.query(
      `SELECT id, doc->>'status' AS status FROM undocumented_people
       WHERE doc->>'status' <> 'documented' AND doc->>'status' = ANY($1::text[]) AND id > $2
       ORDER BY id LIMIT $3`,
      [statuses, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({ personId: row.id, status: row.status })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : '',
    };
  }
}
