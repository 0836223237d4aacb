import { ApiProperty } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { personStatuses } from '@homeward/vocabulary';

/** A line of the list: the only personal field is the name. */
export class PersonSummaryView {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ description: 'Personal' }) fullName!: string;
  @ApiProperty({ enum: personStatuses }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The batch the person was released in, else the one registered for' })
  batchId!: string | null;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Erased: fullName is ""' }) forgotten!: boolean;
}

export class PeoplePage {
  @ApiProperty({ type: [PersonSummaryView] }) items!: PersonSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

export const personSummaryView = (item: intake.PersonSummary): PersonSummaryView => ({
  personId: item.personId,
  fullName: item.fullName,
  status: item.status,
  batchId: item.batchId || null,
  streamVersion: item.streamVersion,
  updatedAt: item.updatedAt,
  forgotten: item.forgotten ?? false,
});
