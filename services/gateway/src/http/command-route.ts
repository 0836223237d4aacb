// What every command route has in common: POST, 201 with the command's result (200 with the first
// answer for a repeated Idempotency-Key), the Idempotency-Key header, usually If-Match, and the
// call to the service that decides it, with the request's correlation id, the user's token and the
// command deadline.
import type { Metadata, CallOptions } from '@grpc/grpc-js';
import { applyDecorators, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { common } from '@homeward/contracts';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { callOptions, commandDeadlineMs, unary } from '../grpc/grpc-clients.js';
import { type BatchCommandResultView, commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import type { CommandMetadata } from './command-metadata.js';

export const idempotencyKeyHeader = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: '1..200 printable characters; a retry with the same key and body records nothing new',
});

/** If-Match: the expected version of the stream `description` names. */
export const ifMatchHeader = (description: string) => ApiHeader({ name: 'If-Match', required: false, description });

/** 200 with `type`: a repeated request gets the first answer again. */
export const repeatedAnswer = (type: typeof CommandResultView | typeof BatchCommandResultView) =>
  ApiOkResponse({ type, description: 'A repeated request (same Idempotency-Key): the first answer, nothing new recorded' });
export const repeatedResponse = repeatedAnswer(CommandResultView);

export interface CommandRouteOptions {
  summary: string;
  description?: string;
  /** Path parameters, each a UUID (with a description where the name does not say enough). */
  uuidParams: Array<string | { name: string; description: string }>;
  /** What If-Match names, or nothing when the command takes no expected version. */
  ifMatch?: string;
  /** The 201 answer's description. */
  created: string;
  problems: Parameters<typeof ApiGuardedProblems>;
}

/** A UUID path parameter as the document shows it. */
export const uuidPathParam = (param: string | { name: string; description: string }) =>
  ApiParam(
    typeof param === 'string' ? { name: param, format: 'uuid' } : { name: param.name, format: 'uuid', description: param.description },
  );

/** POST `path`, answering 201 (or 200 when repeated), documented as a command. */
export function CommandRoute(path: string, options: CommandRouteOptions): MethodDecorator {
  // Listed as they would be stacked, applied last first as stacked decorators are (the document
  // lists parameters in that order).
  const stacked = [
    Post(path),
    HttpCode(201),
    ApiOperation({ summary: options.summary, ...(options.description ? { description: options.description } : {}) }),
    ...options.uuidParams.map(uuidPathParam),
    idempotencyKeyHeader,
    ...(options.ifMatch ? [ifMatchHeader(options.ifMatch)] : []),
    ApiCreatedResponse({ type: CommandResultView, description: options.created }),
    repeatedResponse,
    ApiGuardedProblems(...options.problems),
  ];
  return applyDecorators(...stacked.reverse());
}

/** Calls the command with the request's correlation id, the user's token and the command deadline, and answers with its result. */
export async function sendCommand(
  _metadata: CommandMetadata,
  reply: FastifyReply,
  call: (...options: [Metadata, CallOptions]) => Observable<common.CommandResult>,
): Promise<CommandResultView> {
  return commandAnswer(await unary(call(...callOptions(commandDeadlineMs, reply.request))), reply);
}
