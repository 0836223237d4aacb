import { ApiProperty, OmitType } from '@nestjs/swagger';
import type { common } from '@homeward/contracts';
import type { FastifyReply } from 'fastify';

export class CommandResultView {
  @ApiProperty({ description: 'Id of the stream the command wrote to', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Version of the stream after the command; send it as If-Match next time' }) streamVersion!: number;
  @ApiProperty({ type: [String], description: 'Ids of the events recorded (UUID v7)' }) eventIds!: string[];
}

/** A release batch's command: its stream's id is the batch id as it was announced, not a UUID. */
export class BatchCommandResultView extends OmitType(CommandResultView, ['id'] as const) {
  @ApiProperty({ description: 'The batch id, as it was announced', example: 'batch-2025-09-11' }) id!: string;
}

/** 201 with the result, or 200 when the service recognised a repeated Idempotency-Key. */
export function commandAnswer(result: common.CommandResult, reply: FastifyReply): CommandResultView {
  if (result.repeatedRequest) reply.status(200);
  return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds ?? [] };
}
