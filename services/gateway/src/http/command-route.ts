// What every command route has in common: POST, 201 with the command's result (200 with the first
// answer for a repeated Idempotency-Key), the Idempotency-Key header, usually If-Match, and the
// call to the service that decides it, with the request's correlation id, the user's token and the
// command deadline. A controller states each of its commands once, as a descriptor in the table it
// hands to CommandRoutes; the routes, their documentation and the gRPC calls are made from it.
import type { CallOptions, Metadata } from '@grpc/grpc-js';
import { applyDecorators, Body, Delete, HttpCode, Param, Post, Res, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { common } from '@homeward/contracts';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { callOptions, commandDeadlineMs, unary } from '../grpc/grpc-clients.js';
import { commandAnswer, CommandResultView } from '../openapi/command-result.view.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { CommandMeta, type CommandMetadata } from './command-metadata.js';
import { NoBody } from './no-body.js';
import { uuidParam } from './validation.js';

export const idempotencyKeyHeader = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: '1..200 printable characters; a retry with the same key and body records nothing new',
});

/** If-Match: the expected version of the stream `description` names. */
export const ifMatchHeader = (description: string) => ApiHeader({ name: 'If-Match', required: false, description });

const repeatedDescription = 'A repeated request (same Idempotency-Key): the first answer, nothing new recorded';

type UuidParam<Name extends string = string> = Name | { name: Name; description: string };

/** A POST answers 201 (200 when repeated); a DELETE answers 200 with what `deleted` says. */
type CommandAnswers = { created: string; repeated?: string; deleted?: never } | { deleted: string; created?: never; repeated?: never };

export type CommandRouteOptions<Param extends string = string> = CommandAnswers & {
  summary: string;
  description?: string;
  /** Path parameters, each a UUID (with a description where the name does not say enough). */
  uuidParams: readonly UuidParam<Param>[];
  /** What If-Match names, or nothing when the command takes no expected version. */
  ifMatch?: string;
  /** The answer's schema when it says more than CommandResultView. */
  view?: Type<CommandResultView>;
  problems: Readonly<Parameters<typeof ApiGuardedProblems>>;
};

/** A UUID path parameter as the document shows it. */
export const uuidPathParam = (param: UuidParam) =>
  ApiParam(
    typeof param === 'string' ? { name: param, format: 'uuid' } : { name: param.name, format: 'uuid', description: param.description },
  );

const paramName = (param: UuidParam): string => (typeof param === 'string' ? param : param.name);

/** POST `path` (or DELETE, for `deleted`), documented as a command. */
export function CommandRoute(path: string, options: CommandRouteOptions): MethodDecorator {
  const type = options.view ?? CommandResultView;
  const answers =
    options.deleted !== undefined
      ? [ApiOkResponse({ type, description: options.deleted })]
      : [
          ApiCreatedResponse({ type, description: options.created }),
          ApiOkResponse({ type, description: options.repeated ?? repeatedDescription }),
        ];
  // Listed as they would be stacked, applied last first as stacked decorators are (the document
  // lists parameters in that order).
  const stacked = [
    options.deleted !== undefined ? Delete(path) : Post(path),
    HttpCode(options.deleted !== undefined ? 200 : 201),
    ApiOperation({ summary: options.summary, ...(options.description ? { description: options.description } : {}) }),
    ...options.uuidParams.map(uuidPathParam),
    idempotencyKeyHeader,
    ...(options.ifMatch ? [ifMatchHeader(options.ifMatch)] : []),
    ...answers,
    ApiGuardedProblems(...options.problems),
  ];
  return applyDecorators(...stacked.reverse());
}

/** The client's methods that decide a command: those answering a CommandResult. */
type CommandRpc<Client> = {
  [Method in keyof Client & string]: Client[Method] extends (...args: never[]) => Observable<common.CommandResult> ? Method : never;
}[keyof Client & string];
type RequestOf<Rpc> = Rpc extends (request: infer Request, ...rest: never[]) => unknown ? Request : never;
type ResultOf<Rpc> = Rpc extends (...args: never[]) => Observable<infer Result> ? Result : never;

/** The gRPC request but for what the route fills in: the metadata, and the path's ids under their own names. */
type RequestFromBody<Client, Rpc extends keyof Client, Param extends string> = Omit<RequestOf<Client[Rpc]>, 'metadata' | Param>;
/** `Request` with no field `Shape` lacks: a misspelt field fails to compile, as in an object literal typed `Shape`. */
type Exact<Request, Shape> = Request & Record<Exclude<keyof Request, keyof Shape>, never>;

/** One command: its route and documentation, its body, and the gRPC call it becomes. */
export type CommandDescriptor<
  Client,
  Rpc extends CommandRpc<Client>,
  Body,
  Param extends string,
  View extends CommandResultView,
  Request extends RequestFromBody<Client, Rpc, Param>,
> = CommandRouteOptions<Param> & {
  path: string;
  /** Validated by the global ValidationPipe and documented as the request body. Without one, a POST refuses any body. */
  body?: Type<Body>;
  view?: Type<View>;
  /** The client's method that decides the command. */
  rpc: Rpc;
  /** The Location header of the answer: where what the command created is read. */
  location?(answer: CommandResultView, body: Body): string;
  /** What the answer holds besides the CommandResultView. */
  answerFields?(result: ResultOf<Client[Rpc]>): Omit<View, keyof CommandResultView>;
} & RequestMapping<Body, RequestFromBody<Client, Rpc, Param>, Request>;

/** The rest of the gRPC request, from the validated body: required unless the ids are the whole request. */
type RequestMapping<Body, Shape, Request> = keyof Shape extends never
  ? { request?: never }
  : { request(body: Body): Exact<Request, Shape> };

/** A descriptor as the routes use it, its types checked where it was written (`commandsOf`). */
export type Command<Client> = CommandRouteOptions & {
  path: string;
  body?: Type<unknown>;
  rpc: CommandRpc<Client>;
  request?(body: unknown): object;
  location?(answer: CommandResultView, body: unknown): string;
  answerFields?(result: common.CommandResult): object;
};

/** `const command = commandsOf<IntakeClient>()`, then `command({ ... })` for each of the client's commands. */
export const commandsOf =
  <Client>() =>
  <
    Rpc extends CommandRpc<Client>,
    Body = undefined,
    const Param extends string = never,
    View extends CommandResultView = CommandResultView,
    Request extends RequestFromBody<Client, Rpc, Param> = RequestFromBody<Client, Rpc, Param>,
  >(
    descriptor: CommandDescriptor<Client, Rpc, Body, Param, View, Request>,
  ): Command<Client> =>
    descriptor as unknown as Command<Client>;

type UnaryCommand = (request: object, ...options: [Metadata, CallOptions]) => Observable<common.CommandResult>;

/**
 * The handler of one command: (ids..., body, metadata, reply) as the route's parameter decorators
 * hand them in (a DELETE takes no body), sending the request with the request's correlation id,
 * the user's token and the command deadline, and answering with its result.
 */
function commandHandler<Client>(name: string, command: Command<Client>, ids: string[], takesBody: boolean) {
  const handler = async function (this: { readonly client: Client }, ...args: unknown[]): Promise<CommandResultView> {
    const params = Object.fromEntries(ids.map((param, index) => [param, args[index] as string]));
    const rest = args.slice(ids.length);
    const [body, metadata, reply] = (takesBody ? rest : [undefined, ...rest]) as [unknown, CommandMetadata, FastifyReply];
    const client = this.client as unknown as Record<string, UnaryCommand>;
    const request = { metadata, ...params, ...command.request?.(body) };
    const result = await unary(client[command.rpc]!(request, ...callOptions(commandDeadlineMs, reply.request)));
    const answer = commandAnswer(result, reply);
    if (command.location) reply.header('location', command.location(answer, body));
    return { ...answer, ...command.answerFields?.(result) };
  };
  Object.defineProperty(handler, 'name', { value: name }); // the operationId is the controller's name and the handler's
  return handler;
}

/**
 * Makes a route of each command in `table`, named by its key (the OpenAPI operationId), as if it
 * were written as a method with @CommandRoute, @Param(uuidParam) for each id, @Body() (or @NoBody()),
 * @CommandMeta() and @Res({ passthrough: true }). The controller's own methods follow the table's:
 * the order of the routes is the order of the document.
 */
export function CommandRoutes<Client>(table: Record<string, Command<Client>>) {
  return (controller: new (...args: never[]) => { readonly client: Client }): void => {
    const prototype = controller.prototype as object;
    const own = Object.getOwnPropertyNames(prototype)
      .filter((key) => key !== 'constructor')
      .map((key) => [key, Object.getOwnPropertyDescriptor(prototype, key)!] as const);
    for (const [key] of own) Reflect.deleteProperty(prototype, key);

    for (const [name, command] of Object.entries(table)) {
      const ids = command.uuidParams.map(paramName);
      const takesBody = command.deleted === undefined;
      const parameters: ParameterDecorator[] = [
        ...ids.map((id) => Param(id, uuidParam(id))),
        ...(takesBody ? [command.body ? Body() : NoBody()] : []),
        CommandMeta(),
        Res({ passthrough: true }),
      ];
      // The design types the compiler would emit for such a method: the ValidationPipe validates
      // the body against its class, and the document describes the body from the same.
      const types = [...ids.map(() => String), ...(takesBody ? [command.body] : []), Object, Object];
      const decorators = [
        CommandRoute(command.path, command),
        ...parameters.map((decorate, index) => (target: object, key: string | symbol) => decorate(target, key, index)),
        Reflect.metadata('design:type', Function),
        Reflect.metadata('design:paramtypes', types),
        Reflect.metadata('design:returntype', Promise),
      ];
      const handler = { value: commandHandler(name, command, ids, takesBody), writable: true, configurable: true };
      Object.defineProperty(prototype, name, Reflect.decorate(decorators, prototype, name, handler) ?? handler);
    }
    for (const [key, descriptor] of own) Object.defineProperty(prototype, key, descriptor);
  };
}
