import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ProblemKind } from '@homeward/decider';
import { loggableError, type Logger } from '@homeward/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER } from '../tokens.js';
import { fromGrpcError, grpcStatusName, isGrpcError } from './grpc-problem.js';
import { problem, problemContentType, ProblemException, type FieldError, type Problem } from './problem.js';

interface Mapped {
  kind: ProblemKind;
  detail: string;
  code?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

/** Fastify's own refusals (body parsing, routing), by the code of the error Nest wraps. */
const fastifyErrors: Record<string, Mapped> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { kind: 'payload-too-large', detail: 'The request body is larger than 1 MiB' },
  FST_ERR_CTP_INVALID_JSON_BODY: { kind: 'validation-failed', detail: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { kind: 'validation-failed', detail: 'The request body is empty' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { kind: 'validation-failed', detail: 'The request body must be application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { kind: 'validation-failed', detail: 'The Content-Length does not match the body' },
};

const byHttpStatus: Record<number, Mapped> = {
  400: { kind: 'validation-failed', detail: 'The request is not valid' },
  401: { kind: 'unauthenticated', detail: 'A valid bearer token is required' },
  403: { kind: 'forbidden', detail: 'Your roles do not allow this' },
  404: { kind: 'not-found', detail: 'There is nothing at this address' },
  413: { kind: 'payload-too-large', detail: 'The request body is too large' },
  415: { kind: 'validation-failed', detail: 'The request body must be application/json' },
  429: { kind: 'rate-limited', detail: 'Too many requests' },
};

/** An HttpException's own message is never sent: Nest and Fastify put request text in some. */
function fromHttpException(exception: HttpException): Mapped {
  const cause = exception.cause as { code?: unknown } | undefined;
  const byCode = typeof cause?.code === 'string' ? fastifyErrors[cause.code] : undefined;
  if (byCode) return byCode;
  // Fastify's JSON parser hands over the SyntaxError itself, with a 400 status.
  if (cause instanceof SyntaxError) return fastifyErrors['FST_ERR_CTP_INVALID_JSON_BODY']!;
  const status = exception.getStatus();
  return byHttpStatus[status] ?? (status < 500 ? byHttpStatus[400]! : { kind: 'internal', detail: 'Internal error' });
}

/**
 * The one place where failures become HTTP answers: RFC 9457 problem documents whose `type` names
 * a stable kind. A 5xx never carries a message or a stack; it is logged (class and frames only).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const mapped = this.map(exception, request);
    const body: Problem = problem(mapped.kind, mapped.detail, request.url.split('?')[0] ?? '/', mapped);
    if (reply.sent) return;
    reply
      .status(body.status)
      .headers({ ...mapped.headers, 'content-type': problemContentType })
      .send(JSON.stringify(body));
  }

  private map(exception: unknown, request: FastifyRequest): Mapped {
    if (exception instanceof ProblemException) return { kind: exception.kind, detail: exception.detail, ...exception.extra };
    if (exception instanceof HttpException) return fromHttpException(exception);
    const context = { correlationId: request.correlationId, route: request.routeOptions.url ?? '(unmatched)' };
    if (isGrpcError(exception)) {
      const mapped = fromGrpcError(exception);
      if (mapped.kind === 'internal' || mapped.kind === 'unavailable') {
        this.logger.error({ ...context, grpcStatus: grpcStatusName(exception.code), kind: mapped.kind }, 'a service call failed');
      }
      return mapped;
    }
    this.logger.error({ ...context, err: loggableError(exception) }, 'unexpected error');
    return { kind: 'internal', detail: 'Internal error' };
  }
}
