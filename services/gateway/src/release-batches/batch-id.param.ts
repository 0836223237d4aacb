import { Injectable, type PipeTransform } from '@nestjs/common';
import { batchIdRule, isBatchId } from '@homeward/vocabulary';
import { validationFailed } from '../problems/problem.js';

/** A batch id in the path: the same rule as in bodies. */
@Injectable()
export class BatchIdParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isBatchId(value)) {
      throw validationFailed([{ field: 'batchId', rule: 'matches', message: `batchId must be ${batchIdRule}` }]);
    }
    return value;
  }
}
