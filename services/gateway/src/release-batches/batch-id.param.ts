import { Injectable, type PipeTransform } from '@nestjs/common';
import { validationFailed } from '../problems/problem.js';
import { batchIdPattern } from '../people/record-release.dto.js';

/** A batch id in the path: the same rule as in bodies (letters, digits, . _ -, at most 64). */
@Injectable()
export class BatchIdParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value.length > 64 || !batchIdPattern.test(value)) {
      throw validationFailed([{ field: 'batchId', rule: 'matches', message: 'batchId must be 1 to 64 letters, digits, dots, underscores or hyphens' }]);
    }
    return value;
  }
}
