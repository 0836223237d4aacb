import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { legal } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import { PersonKeys } from '@homeward/personal-data';
import { DataSource } from 'typeorm';
import { caseRowsFrom, openCases, type CaseRow } from '../legal-cases/legal-case.read.js';

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
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  /** Cases by person and by provision ("ICCPR 12(4)": a violation of it flagged or confirmed). */
  @GrpcMethod('LegalService', 'ListCases')
  async listCases(request: legal.ListCasesRequest): Promise<legal.ListCasesResponse> {
    const limit = Math.min(Math.max(request.limit || 50, 1), maxLimit);
    const after = request.cursor ? decodeCursor(request.cursor) : '';
    const rows: CaseRow[] = await this.dataSource.query(
      `${caseRowsFrom}
       WHERE ($1 = '' OR c.doc->>'personId' = $1)
         AND ($2 = '' OR c.doc->'provisions' @> jsonb_build_array($2::text))
         AND c.id > $3
       ORDER BY c.id LIMIT $4`,
      [request.personId, request.provision, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: await openCases(this.dataSource.manager, this.keys, page),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : '',
    };
  }
}
