import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { audit } from '@homeward/contracts';
import type { FastifyRequest } from 'fastify';
import { AccessLog } from '../access/access-log.js';
import { readAnswers } from '../auth/field-views.js';
import { callOptions, commandDeadlineMs, unary, type AuditClient } from '../grpc/grpc-clients.js';
import { NoBody } from '../http/no-body.js';
import { defaultPageSize, PageQuery } from '../http/page.query.js';
import { bearerScheme } from '../openapi/openapi.js';
import { ApiGuardedProblems } from '../openapi/problem.view.js';
import { ProblemException } from '../problems/problem.js';
import { AUDIT_CLIENT } from '../tokens.js';
import {
  ConsistencyProofQuery,
  CosignatureBody,
  InclusionProofQuery,
  LeafSelectionQuery,
  ListLeavesQuery,
  treeSizeOf,
} from './transparency.queries.js';
import {
  BundleManifestView,
  bundleManifestView,
  CheckpointsPage,
  CheckpointView,
  checkpointView,
  ConsistencyProofView,
  InclusionProofView,
  LeavesPage,
  leavesPage,
} from './transparency.view.js';

export const textContentType = 'text/plain; charset=utf-8';
const textAnswer = (description: string) => ApiOkResponse({ description, content: { 'text/plain': { schema: { type: 'string' } } } });

/** A page of leaves holds a proof per leaf, and a manifest reads every leaf hash of the selection. */
const bundleDeadlineMs = 60_000;
const defaultLeavesPage = 100;

/** The selection of a bundle: exactly one of a person, a stream and all, at one tree size. */
function selectionOf(query: LeafSelectionQuery): Omit<audit.ListLeavesRequest, 'limit' | 'cursor'> {
  if ([query.personId, query.streamId, query.all].filter((given) => given !== undefined).length !== 1) {
    throw new ProblemException('validation-failed', 'Give exactly one of personId, streamId and all=true', {
      code: 'audit.leaves-selection',
    });
  }
  return { personId: query.personId ?? '', streamId: query.streamId ?? '', all: query.all === 'true', treeSize: query.treeSize ?? 0 };
}

/**
 * The transparency log (RFC 9162 Merkle tree, C2SP signed checkpoints), read-only but for two
 * writes that record no fact: signing a checkpoint now, and a witness's cosignature. The key and
 * checkpoints are served as the text a verifier reads; proofs and pages as JSON.
 */
@ApiTags('audit')
@ApiBearerAuth(bearerScheme)
@Controller('v1/audit')
export class TransparencyController {
  constructor(
    @Inject(AUDIT_CLIENT) private readonly audit: AuditClient,
    @Inject(AccessLog) private readonly reads: AccessLog,
  ) {}

  @Get('key')
  @Header('Content-Type', textContentType)
  @ApiOperation({
    summary: "The log's verifier key",
    description: 'C2SP signed-note form `<name>+<hex key id>+<base64(0x01 || Ed25519 public key)>`, one line',
  })
  @ApiProduces('text/plain')
  @textAnswer('The verifier key line')
  @ApiGuardedProblems()
  async key(@Req() request: FastifyRequest): Promise<string> {
    const key = await unary(this.audit.getLogKey({}, ...callOptions(commandDeadlineMs, request)));
    return `${key.verifierKey}\n`;
  }

  @Get('checkpoint')
  @Header('Content-Type', textContentType)
  @ApiOperation({
    summary: 'The latest signed checkpoint',
    description: 'A C2SP tlog-checkpoint signed note, with every cosignature received so far',
  })
  @ApiProduces('text/plain')
  @textAnswer('The signed note')
  @ApiGuardedProblems(404)
  async latest(@Req() request: FastifyRequest): Promise<string> {
    return (await unary(this.audit.latestCheckpoint({}, ...callOptions(commandDeadlineMs, request)))).note;
  }

  @Get('checkpoints')
  @ApiOperation({ summary: 'Every checkpoint issued, newest first' })
  @ApiOkResponse({ type: CheckpointsPage })
  @ApiGuardedProblems(400)
  async checkpoints(@Query() query: PageQuery, @Req() request: FastifyRequest): Promise<CheckpointsPage> {
    const page = await unary(
      this.audit.listCheckpoints(
        { limit: query.limit ?? defaultPageSize, cursor: query.cursor ?? '' },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { items: (page.items ?? []).map(checkpointView), nextCursor: page.nextCursor || null };
  }

  @Get('checkpoints/:treeSize')
  @Header('Content-Type', textContentType)
  @ApiOperation({
    summary: 'The checkpoint of one tree size',
    description: 'The signed note as signed then, with every cosignature received since',
  })
  @ApiParam({ name: 'treeSize', schema: { type: 'integer', minimum: 1 } })
  @ApiProduces('text/plain')
  @textAnswer('The signed note')
  @ApiGuardedProblems(400, 404)
  async checkpoint(@Param('treeSize') treeSize: string, @Req() request: FastifyRequest): Promise<string> {
    return (await unary(this.audit.getCheckpoint({ treeSize: treeSizeOf(treeSize) }, ...callOptions(commandDeadlineMs, request)))).note;
  }

  @Post('checkpoints')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign a checkpoint of the log as it is now',
    description: 'The latest one again when the log has not grown since',
  })
  @ApiCreatedResponse({ type: CheckpointView })
  @ApiGuardedProblems(400)
  async issue(@NoBody() _none: undefined, @Req() request: FastifyRequest): Promise<CheckpointView> {
    return checkpointView(await unary(this.audit.issueCheckpoint({}, ...callOptions(commandDeadlineMs, request))));
  }

  @Post('checkpoints/:treeSize/cosignatures')
  @HttpCode(201)
  @ApiOperation({
    summary: "A witness's cosignature of a checkpoint",
    description:
      'The witness has checked that this checkpoint extends the last one it cosigned (a consistency proof); audit verifies the line ' +
      'against the witness keys it knows (403 for an unknown witness) and stores it with the checkpoint',
  })
  @ApiParam({ name: 'treeSize', schema: { type: 'integer', minimum: 1 } })
  @ApiCreatedResponse({ type: CheckpointView, description: 'The checkpoint with the cosignature added' })
  @ApiGuardedProblems(400, 404, 422)
  async cosign(
    @Param('treeSize') treeSize: string,
    @Body() body: CosignatureBody,
    @Req() request: FastifyRequest,
  ): Promise<CheckpointView> {
    // The line goes to audit as the note will hold it, without its newline (the proto's form).
    const signatureLine = body.signatureLine.replace(/\n$/, '');
    return checkpointView(
      await unary(this.audit.addCosignature({ treeSize: treeSizeOf(treeSize), signatureLine }, ...callOptions(commandDeadlineMs, request))),
    );
  }

  @Get('proofs/inclusion')
  @ApiOperation({
    summary: "An event's or an access entry's inclusion proof (RFC 9162 §2.1.3)",
    description: '404 when the entry is not (yet) in the checkpointed tree',
  })
  @ApiOkResponse({ type: InclusionProofView })
  @ApiGuardedProblems(400, 404)
  async inclusion(@Query() query: InclusionProofQuery, @Req() request: FastifyRequest): Promise<InclusionProofView> {
    if (Boolean(query.eventId) === Boolean(query.accessId))
      throw new ProblemException('validation-failed', 'Give exactly one of eventId and accessId', { code: 'audit.proof-target' });
    const proof = await unary(
      this.audit.inclusionProof(
        { eventId: query.eventId ?? '', accessId: query.accessId ?? '', treeSize: query.treeSize ?? 0 },
        ...callOptions(commandDeadlineMs, request),
      ),
    );
    return { leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: proof.leafHash, path: proof.path ?? [] };
  }

  @Get('proofs/consistency')
  @ApiOperation({ summary: 'That the tree of `to` leaves extends the tree of `from` leaves (RFC 9162 §2.1.4)' })
  @ApiOkResponse({ type: ConsistencyProofView })
  @ApiGuardedProblems(400, 404)
  async consistency(@Query() query: ConsistencyProofQuery, @Req() request: FastifyRequest): Promise<ConsistencyProofView> {
    if (query.to && query.to < query.from)
      throw new ProblemException('validation-failed', 'to must not be smaller than from', { code: 'audit.consistency-range' });
    const proof = await unary(
      this.audit.consistencyProof({ from: query.from, to: query.to ?? 0 }, ...callOptions(commandDeadlineMs, request)),
    );
    return { from: proof.from, to: proof.to, path: proof.path ?? [] };
  }

  @Get('leaves')
  @ApiOperation({
    summary: "A bundle's leaves: a person's, a stream's or all, each with its bytes and its inclusion proof",
    description: "A person's selection holds their events and the access entries naming them",
  })
  @ApiOkResponse({ type: LeavesPage })
  @ApiGuardedProblems(400, 404)
  async leaves(@Query() query: ListLeavesQuery, @Req() request: FastifyRequest): Promise<LeavesPage> {
    const selection = selectionOf(query);
    const options = callOptions(bundleDeadlineMs, request);
    // Logged before audit is asked, naming whom the request selects: the person, or everyone a
    // stream's events are about (one indexed question). The whole log is logged with no person:
    // naming everyone on every page would write the population into each entry, and `all` reads
    // every leaf anyway. Access entries inside a person's leaves may name others too; the entry
    // names the person selected, which is what the reader asked for.
    const named = selection.streamId
      ? ((
          await unary(
            this.audit.subjectsOf(
              { personId: '', streamId: selection.streamId, type: '', actor: '', from: '', to: '', through: '' },
              ...options,
            ),
          )
        ).subjects ?? [])
      : selection.personId
        ? [selection.personId]
        : [];
    await this.reads.record(request, readAnswers['GET /v1/audit/leaves']!, named);
    return leavesPage(
      await unary(this.audit.listLeaves({ ...selection, limit: query.limit ?? defaultLeavesPage, cursor: query.cursor ?? '' }, ...options)),
    );
  }

  @Get('leaves/manifest')
  @ApiOperation({
    summary: "A bundle's signed manifest: how many leaves the selection holds at the tree size and the digest of their hashes",
    description: 'Signed with the log’s key, so that a leaf left out of a bundle is found',
  })
  @ApiOkResponse({ type: BundleManifestView })
  @ApiGuardedProblems(400, 404)
  async manifest(@Query() query: LeafSelectionQuery, @Req() request: FastifyRequest): Promise<BundleManifestView> {
    return bundleManifestView(
      await unary(
        this.audit.signBundleManifest({ ...selectionOf(query), limit: 0, cursor: '' }, ...callOptions(bundleDeadlineMs, request)),
      ),
    );
  }
}
