// A release batch file, row by row: each row becomes the person's registration, imprisonment,
// release in the batch and, when given, deportation. Re-importing creates nothing new: the person
// id comes from (batch, externalRef) and every command has an idempotency key of its own, derived
// from that person id and the step, so a repeated step answers with its first result.
import type { intake } from '@homeward/contracts';
import { DomainError } from '@homeward/decider';
import type { CommandContext } from '@homeward/eventsourcing';
import type { PersonCommand } from '@homeward/intake-domain';
import { loggableError, type Logger } from '@homeward/observability';
import { v5 as uuidv5 } from 'uuid';
import type { PersonCommands } from '../person-commands.js';

export const maxImportRows = 1_000;
/** Rows imported at once; each runs its steps in order, on its own stream. */
const parallelRows = 4;
const importNamespace = 'b7c1f0d2-4c3e-5a8b-9d61-2e7f3a9c4b10';

/** The person a row is about: the same batch and externalRef always give the same id. */
export const importedPersonId = (batchId: string, externalRef: string) => uuidv5(JSON.stringify([batchId, externalRef]), importNamespace);

export const importIdempotencyKey = (personId: string, step: Step) => `import/${personId}/${step}`;

type Step = 'registration' | 'imprisonment' | 'release' | 'deportation';
type Result = intake.ImportRowResult;

const rejected = (row: intake.ImportRow, personId: string, reason: string, errors: intake.FieldError[]): Result => ({
  row: row.row,
  externalRef: row.externalRef,
  outcome: 'rejected',
  personId,
  reason,
  errors,
});

type CompleteRow = intake.ImportRow & { person: intake.PersonDetails; imprisonment: intake.Imprisonment; release: intake.Release };

function stepsOf(batchId: string, personId: string, row: CompleteRow): Array<[Step, PersonCommand]> {
  const steps: Array<[Step, PersonCommand]> = [
    ['registration', { type: 'RegisterPerson', data: { personId, ...row.person, batchId } }],
    ['imprisonment', { type: 'RecordImprisonment', data: { personId, ...row.imprisonment } }],
    ['release', { type: 'RecordRelease', data: { personId, ...row.release, batchId } }],
  ];
  if (row.deportation) steps.push(['deportation', { type: 'RecordDeportation', data: { personId, ...row.deportation } }]);
  return steps;
}

/** Structure only: the gateway has checked the values with the rules of the single endpoints. */
function structuralErrors(row: intake.ImportRow): intake.FieldError[] {
  const errors: intake.FieldError[] = [];
  if (!row.externalRef?.trim() || row.externalRef.length > 100) {
    errors.push({ field: 'externalRef', rule: 'length', message: 'externalRef must be 1 to 100 characters, not blank' });
  }
  for (const part of ['person', 'imprisonment', 'release'] as const) {
    if (!row[part]) errors.push({ field: part, rule: 'isDefined', message: `the row has no ${part}` });
  }
  return errors;
}

export class ReleaseBatchImport {
  constructor(
    private readonly people: PersonCommands,
    private readonly logger: Logger,
  ) {}

  async run(batchId: string, rows: readonly intake.ImportRow[], context: CommandContext): Promise<Result[]> {
    const seen = new Set<string>();
    const work: Array<() => Promise<Result>> = rows.map((row) => {
      const errors = structuralErrors(row);
      if (errors.length > 0) return async () => rejected(row, '', 'validation-failed', errors);
      const personId = importedPersonId(batchId, row.externalRef);
      if (seen.has(row.externalRef)) {
        return async () =>
          rejected(row, personId, 'import.external-ref-repeated', [
            { field: 'externalRef', rule: 'unique', message: 'an earlier row of this import has the same externalRef' },
          ]);
      }
      seen.add(row.externalRef);
      return () => this.importRow(batchId, personId, row as CompleteRow, context);
    });

    const results: Result[] = new Array(work.length);
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const index = next++;
        results[index] = await work[index]!();
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelRows, work.length) }, worker));
    return results;
  }

  private async importRow(batchId: string, personId: string, row: CompleteRow, context: CommandContext): Promise<Result> {
    let created = false;
    let appended = false;
    for (const [step, command] of stepsOf(batchId, personId, row)) {
      try {
        const result = await this.people.handle(
          command,
          { ...context, idempotencyKey: importIdempotencyKey(personId, step) },
          command.data,
        );
        if (!result.repeatedRequest) {
          appended = true;
          created ||= step === 'registration';
        }
      } catch (error) {
        return this.refusal(row, personId, step, error);
      }
    }
    return {
      row: row.row,
      externalRef: row.externalRef,
      outcome: created ? 'created' : appended ? 'updated' : 'unchanged',
      personId,
      reason: '',
      errors: [],
    };
  }

  private refusal(row: intake.ImportRow, personId: string, step: Step, error: unknown): Result {
    if (error instanceof DomainError && error.kind === 'idempotency-key-reused') {
      return rejected(row, personId, 'import.row-changed', [
        {
          field: step,
          rule: 'unchangedOnReimport',
          message: `the ${step} differs from the one an earlier import of this externalRef recorded`,
        },
      ]);
    }
    if (error instanceof DomainError)
      return rejected(row, personId, error.code, [{ field: step, rule: error.code, message: error.message }]);
    // Not the row's fault: say so for this row and carry on with the others; a re-import resumes.
    this.logger.error({ err: loggableError(error), step }, 'a release batch row failed');
    return rejected(row, personId, 'import.row-failed', [
      { field: step, rule: 'internal', message: `the ${step} could not be recorded; import the file again` },
    ]);
  }
}
