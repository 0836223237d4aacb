import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { intake } from '@homeward/contracts';
import { notFound } from '@homeward/decider';
import { DataSource } from 'typeorm';
import { requireBatchId } from '../person-commands.js';
import { releaseBatchSummary } from '../release-batch-summary/release-batch-summary.query.js';

@Controller()
export class GetReleaseBatchController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('IntakeService', 'GetReleaseBatch')
  async getReleaseBatch(request: intake.GetReleaseBatchRequest): Promise<intake.ReleaseBatch> {
    const summary = await releaseBatchSummary(this.dataSource.manager, requireBatchId(request.batchId));
    if (!summary) throw notFound('release-batch.not-found', 'no release batch with this id is announced or named by a release');
    return summary;
  }
}
