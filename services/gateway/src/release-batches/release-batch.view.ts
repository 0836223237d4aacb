import { ApiProperty } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';

export class ReleaseBatchAnnouncementView {
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() announcedCount!: number;
  @ApiProperty({ type: String, nullable: true }) brokeredBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) conditions!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the announcement was recorded' }) announcedAt!: string;
}

export class ReleaseBatchCountsView {
  @ApiProperty({ description: 'From the announcement; 0 when there is none' }) announced!: number;
  @ApiProperty({
    description:
      'People of the batch known to intake: released in it (in any custody episode), or registered for it and released in no batch. A ' +
      'person released in two batches counts in both.',
  })
  registered!: number;
  @ApiProperty({ description: 'Released in this batch' }) released!: number;
  @ApiProperty({
    description:
      'Deported after their release in this batch (or, registered for it and not yet released in a batch, after their latest release)',
  })
  deported!: number;
  @ApiProperty() foreignNationals!: number;
  @ApiProperty({
    description:
      'Released in this batch with 1 to 182 days of sentence left (under six months): the days stated with the release, else derived ' +
      "from the imprisonment's expected release date",
  })
  nearEndOfSentence!: number;
  @ApiProperty({ description: 'Contact lost right now' }) contactLost!: number;
}

export class ReleaseBatchView {
  @ApiProperty() batchId!: string;
  @ApiProperty({ type: ReleaseBatchAnnouncementView, nullable: true, description: 'null when releases name a batch never announced' })
  announcement!: ReleaseBatchAnnouncementView | null;
  @ApiProperty({ type: ReleaseBatchCountsView }) counts!: ReleaseBatchCountsView;
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

export function releaseBatchView(batch: intake.ReleaseBatch): ReleaseBatchView {
  const { announcement, counts } = batch;
  return {
    batchId: batch.batchId,
    announcement: announcement
      ? {
          date: announcement.date,
          announcedCount: announcement.announcedCount,
          brokeredBy: orNull(announcement.brokeredBy),
          conditions: orNull(announcement.conditions),
          announcedAt: announcement.announcedAt,
        }
      : null,
    counts: {
      announced: counts?.announced ?? 0,
      registered: counts?.registered ?? 0,
      released: counts?.released ?? 0,
      deported: counts?.deported ?? 0,
      foreignNationals: counts?.foreignNationals ?? 0,
      nearEndOfSentence: counts?.nearEndOfSentence ?? 0,
      contactLost: counts?.contactLost ?? 0,
    },
  };
}
