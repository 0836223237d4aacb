import { ApiProperty } from '@nestjs/swagger';
import type { common } from '@homeward/contracts';
import type { FastifyReply } from 'fastify';

export class CommandResultView {
  @ApiProperty({ description: "Id of the stream the command wrote to: a UUID, or a release batch's id as it was given" }) id!: string;
  @ApiProperty({ description: 'Version of the stream after the command; send it as If-Match next time' }) streamVersion!: number;
  @ApiProperty({ type: [String], description: 'Ids of the events recorded (UUID v7)' }) eventIds!: string[];
}

/** 201 with the result, or 200 when the service recognised a repeated Idempotency-Key. */
export function commandAnswer(result: common.CommandResult, reply: FastifyReply): CommandResultView {
  if (result.repeatedRequest) reply.status(200);
  return { id: result.id, streamVersion: result.streamVersion, eventIds: result.eventIds ?? [] };
}
