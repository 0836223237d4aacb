import { Body, Controller, HttpCode, Inject, Param, Post, Req, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callOptions, unary, type IntakeClient } from '../grpc/grpc-clients.js';
import { CommandMeta, type CommandMetadata } from '../http/command-metadata.js';
import { validationPipe } from '../http/validation.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { INTAKE_CLIENT } from '../tokens.js';
import { BatchIdParam } from './batch-id.param.js';
import { acceptCsvOn } from './csv-body.js';
import { importColumns, checkRow, rowsFromCsv, rowsFromJson, type ParsedRow } from './import-rows.js';
import { ImportReleaseBatchBody, releaseBatchImportView, ReleaseBatchImportView } from './import-release-batch.view.js';
import type { intake } from '@homeward/contracts';

/** A thousand rows are some four thousand appends in intake. */
export const importDeadlineMs = 120_000;
const route = '/v1/release-batches/:batchId/import';

@ApiTags('release-batches')
@ApiBearerAuth(bearerScheme)
@Controller('v1/release-batches')
export class ImportReleaseBatchController implements OnModuleInit {
  constructor(
    @Inject(INTAKE_CLIENT) private readonly intake: IntakeClient,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    acceptCsvOn(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), route);
  }

  @Post(':batchId/import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import the people of a release batch',
    description:
      'JSON `{ rows: [...] }` or text/csv with a header row (columns: ' +
      importColumns.join(', ') +
      '); at most 1,000 rows and 1 MiB. Each row registers the person, records the imprisonment, the release in this batch ' +
      'and, when given, the deportation. The person id follows from the batch and externalRef, and each step is recorded once: ' +
      'importing the same file again answers `unchanged` and records nothing. A bad row is rejected with its reason; the other rows go on.',
  })
  @ApiParam({ name: 'batchId', example: 'batch-2025-09-11' })
  @ApiConsumes('application/json', 'text/csv')
  @ApiExtraModels(ImportReleaseBatchBody)
  @ApiBody({
    schema: { oneOf: [{ $ref: getSchemaPath(ImportReleaseBatchBody) }, { type: 'string', description: 'CSV, header row first' }] },
  })
  @ApiOkResponse({ type: ReleaseBatchImportView, description: 'One outcome per row' })
  @ApiGuardedProblems(400, 413)
  async import(
    @Param('batchId', BatchIdParam) batchId: string,
    @Body() body: unknown,
    @CommandMeta() metadata: CommandMetadata,
    @Req() request: FastifyRequest,
  ): Promise<ReleaseBatchImportView> {
    const parsed: ParsedRow[] =
      typeof body === 'string'
        ? rowsFromCsv(body)
        : rowsFromJson(
            (
              (await validationPipe().transform(body ?? {}, {
                type: 'body',
                metatype: ImportReleaseBatchBody,
                data: '',
              })) as ImportReleaseBatchBody
            ).rows,
          );
    const checked = await Promise.all(parsed.map((row, index) => checkRow(index + 1, row)));
    const rejected = checked.flatMap((row) => ('rejected' in row ? [row.rejected] : []));
    const accepted = checked.flatMap((row) => ('accepted' in row ? [row.accepted] : []));
    let imported: intake.ImportRowResult[] = [];
    if (accepted.length > 0) {
      const response = await unary(
        this.intake.importReleaseBatch({ metadata, batchId, rows: accepted }, ...callOptions(importDeadlineMs, request)),
      );
      imported = response.rows ?? [];
    }
    return releaseBatchImportView(batchId, [...rejected, ...imported]);
  }
}
