import { Controller, Inject } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { legal } from '@homeward/contracts';
import { notFound } from '@homeward/decider';
import { PersonKeys } from '@homeward/personal-data';
import { DataSource } from 'typeorm';
import { requireUuid } from '../case-commands.js';
import { findCase } from '../legal-cases/legal-case.read.js';

@Controller()
export class GetCaseController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PersonKeys) private readonly keys: PersonKeys,
  ) {}

  @GrpcMethod('LegalService', 'GetCase')
  async getCase(request: legal.GetCaseRequest): Promise<legal.LegalCase> {
    const found = await findCase(this.dataSource.manager, this.keys, requireUuid(request.caseId, 'caseId', 'case.id-invalid'));
    if (!found) throw notFound('case.not-found', 'there is no legal case with this id');
    return found;
  }
}
