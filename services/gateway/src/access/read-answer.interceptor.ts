import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable } from 'rxjs';
import { personIdsIn, shape } from '../auth/field-table.js';
import { readAnswerFor } from '../auth/field-views.js';
import { accessFor } from '../auth/route-roles.js';
import { ProblemException } from '../problems/problem.js';
import { AccessLog } from './access-log.js';

/**
 * The one place a read answer leaves the gateway: logged first when it names people (AccessLog,
 * fail closed), then cut down to what the caller's roles see (field-views.ts). A read route with
 * no table answers 403: fields are denied by default like routes. Commands pass untouched.
 */
@Injectable()
export class ReadAnswerInterceptor implements NestInterceptor {
  constructor(@Inject(AccessLog) private readonly accessLog: AccessLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next.handle();
    const pattern = request.routeOptions.url;
    const answer = readAnswerFor(request.method, pattern);
    if (!answer) {
      if (accessFor(request.method, pattern) === 'public') return next.handle();
      throw new ProblemException('forbidden', 'No field of this answer is granted to any role');
    }
    // A streamed answer shapes and logs itself, line by line (the audit export); a text is read whole.
    if (answer.lines || answer.text) return next.handle();
    const roles = request.principal?.roles ?? [];
    return next.handle().pipe(
      mergeMap((value: unknown) =>
        from(
          (async () => {
            if (answer.logs && !answer.loggedByRoute)
              await this.accessLog.record(request, answer, personIdsIn(value, answer.logs.split('.')));
            return shape(value, answer.table, roles);
          })(),
        ),
      ),
    );
  }
}
