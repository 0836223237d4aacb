import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { legal } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { PracticeTally } from '@homeward/legal-domain';
import { DataSource } from 'typeorm';
import type { PatternDocument } from '../patterns/patterns.projection.js';

const maxLimit = 200;

const encodeCursor = (patternId: string) => Buffer.from(patternId).toString('base64url');
function decodeCursor(cursor: string): string {
  const patternId = Buffer.from(cursor, 'base64url').toString();
  if (!/^[0-9a-f-]{36}$/.test(patternId)) throw new DomainError('validation-failed', 'cursor.invalid', 'the cursor is not valid');
  return patternId;
}

/** Pattern indicators, with how many people of the batch the practice affects by now. */
@Controller()
export class ListPatternsController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('LegalService', 'ListPatterns')
  async listPatterns(request: legal.ListPatternsRequest): Promise<legal.ListPatternsResponse> {
    const limit = Math.min(Math.max(request.limit || 50, 1), maxLimit);
    const after = request.cursor ? decodeCursor(request.cursor) : '';
    const rows: Array<{ id: string; doc: PatternDocument; tally: PracticeTally | null }> = await this.dataSource.query(
      `SELECT p.id, p.doc, t.doc AS tally FROM patterns p LEFT JOIN batch_practices t ON t.id = p.id
       WHERE ($1 = '' OR p.doc->>'batchId' = $1) AND ($2 = '' OR p.doc->>'practice' = $2) AND p.id > $3
       ORDER BY p.id LIMIT $4`,
      [request.batchId, request.practice, after, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({ ...row.doc, peopleAffectedNow: row.tally?.caseIds.length ?? row.doc.peopleAffected })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : '',
    };
  }
}
