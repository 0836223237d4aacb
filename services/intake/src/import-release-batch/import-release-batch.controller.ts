import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { intake } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { Logger } from '@homeward/observability';
import { commandContext } from '@homeward/service-kit';
import { PersonCommands, requireBatchId } from '../person-commands.js';
import { LOGGER } from '../tokens.js';
import { maxImportRows, ReleaseBatchImport } from './import-release-batch.js';

@Controller()
export class ImportReleaseBatchController {
  private readonly batchImport: ReleaseBatchImport;

  constructor(@Inject(PersonCommands) people: PersonCommands, @Inject(LOGGER) logger: Logger) {
    this.batchImport = new ReleaseBatchImport(people, logger);
  }

  @GrpcMethod('IntakeService', 'ImportReleaseBatch')
  async importReleaseBatch(request: intake.ImportReleaseBatchRequest): Promise<intake.ImportReleaseBatchResponse> {
    const batchId = requireBatchId(request.batchId);
    const rows = request.rows ?? [];
    if (rows.length > maxImportRows)
      throw new DomainError('validation-failed', 'import.too-many-rows', `an import takes at most ${maxImportRows} rows`);
    // Each step of each row has its own idempotency key and its own stream: neither a caller's
    // key nor an expected version could apply to the whole import.
    const { expectedVersion, idempotencyKey: _key, ...context } = commandContext(request.metadata);
    if (expectedVersion !== undefined)
      throw new DomainError('validation-failed', 'import.if-match-unsupported', 'an import applies to many streams; If-Match cannot apply');
    return { batchId, rows: await this.batchImport.run(batchId, rows, context) };
  }
}
