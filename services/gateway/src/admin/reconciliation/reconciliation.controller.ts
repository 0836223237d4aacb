import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@homeward/vocabulary';
import { bearerScheme } from '../../openapi/openapi.js';
import { ApiGuardedProblems } from '../../openapi/problem.view.js';
import { ProblemException } from '../../problems/problem.js';
import { RECONCILER } from '../../tokens.js';
import type { Reconciler } from './reconciler.js';
import { ReconciliationBody, reconciliationView, ReconciliationView } from './reconciliation.views.js';

/** A run id, or "latest" (in any case, like the id). */
const isRunId = (value: string) => isUuid(value) || value.toLowerCase() === 'latest';

/** Each context's own store against audit's copy: what is missing from the copy, extra in it or different. */
@ApiTags('operations')
@ApiBearerAuth(bearerScheme)
@Controller()
export class ReconciliationController {
  constructor(@Inject(RECONCILER) private readonly reconciler: Reconciler) {}

  @Post('v1/admin/reconciliations')
  @HttpCode(202)
  @ApiOperation({
    summary: "Compare each context's event store with audit's copy, stream by stream",
    description:
      'Answers at once with the run; follow it at /v1/admin/reconciliations/{reconciliationId}. A run already under way that covers the ' +
      'contexts asked for is answered instead. Its outcome is also on /metrics (homeward_audit_reconcile_discrepancies{context,kind}).',
  })
  @ApiAcceptedResponse({ type: ReconciliationView })
  @ApiGuardedProblems(400)
  start(@Body() body: ReconciliationBody): ReconciliationView {
    return reconciliationView(this.reconciler.start({ contexts: body.contexts, graceSeconds: body.graceSeconds }));
  }

  @Get('v1/admin/reconciliations/:reconciliationId')
  @ApiOperation({ summary: 'Where a reconciliation stands, and what it found: counts and the first event ids of each kind' })
  @ApiParam({ name: 'reconciliationId', description: 'A run id, or "latest"' })
  @ApiOkResponse({ type: ReconciliationView })
  @ApiGuardedProblems(400, 404)
  get(@Param('reconciliationId') reconciliationId: string): ReconciliationView {
    if (!isRunId(reconciliationId)) {
      throw new ProblemException('validation-failed', 'reconciliationId must be a run id or "latest"', {
        errors: [{ field: 'reconciliationId', rule: 'isUUID', message: 'reconciliationId must be a run id or "latest"' }],
      });
    }
    const run = this.reconciler.get(reconciliationId.toLowerCase());
    if (!run) throw new ProblemException('not-found', 'no such reconciliation on this gateway', { code: 'reconciliation.not-found' });
    return reconciliationView(run);
  }
}
