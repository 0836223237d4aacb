import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { legal } from '@homeward/contracts';
import { notFound } from '@homeward/decider';
import { DataSource } from 'typeorm';
import { requireUuid } from '../case-commands.js';
import { findCase } from '../legal-cases/legal-case.read.js';

@Controller()
export class GetCaseController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @GrpcMethod('LegalService', 'GetCase')
  async getCase(request: legal.GetCaseRequest): Promise<legal.LegalCase> {
    const found = await findCase(this.dataSource.manager, requireUuid(request.caseId, 'caseId', 'case.id-invalid'));
    if (!found) throw notFound('case.not-found', 'there is no legal case with this id');
    return found;
  }
}
