import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { legal } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { DataSource } from 'typeorm';
import type { LegalCaseDocument } from '../legal-cases/legal-cases.projection.js';

const maxLimit = 200;

/** Cursor = the last case id of the previous page, opaque to clients. */
const encodeCursor = (caseId: string) => Buffer.from(caseId).toString('base64url');
function decodeCursor(cursor: string): string {
  const caseId = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(caseId)) throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
  return caseId;
}

@Controller()
export class ListCasesController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('LegalService', 'ListCases')
  async listCases(request: legal.ListCasesRequest): Promise<legal.ListCasesResponse> {
    const limit = Math.min(Math.max(request.limit || 50, 1), maxLimit);
    const after = request.cursor ? decodeCursor(request.cursor) : '';
    const rows: Array<{ id: string; doc: LegalCaseDocument }> = await this.dataSource.query(
      `SELECT id, doc FROM legal_cases
       WHERE ($1 = '' OR doc->>'personId' = $1) AND id > $2
       ORDER BY id LIMIT $3`,
      [request.personId, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    return { items: page.map((row) => row.doc), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : '' };
  }
}
