import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { LegalCaseView } from '../legal/legal-case.view.js';

export class ReleaseView {
  @ApiProperty({ format: 'date-time' }) releasedAt!: string;
  @ApiProperty({ example: 'pardon' }) mechanism!: string;
  @ApiProperty({ type: String, nullable: true }) batchId!: string | null;
  @ApiProperty() daysOfSentenceRemaining!: number;
}

export class DeportationView {
  @ApiProperty({ format: 'date-time' }) deportedAt!: string;
  @ApiProperty({ example: 'BY' }) fromCountry!: string;
  @ApiProperty({ example: 'LT' }) toCountry!: string;
  @ApiProperty({ type: String, nullable: true }) borderCrossing!: string | null;
  @ApiProperty() consented!: boolean;
}

export class TimelineEntryView {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'PrisonerDeported' }) type!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: 'deported BY -> LT' }) summary!: string;
}

export class LegalSectionView {
  @ApiProperty({ type: [LegalCaseView] }) cases!: LegalCaseView[];
}

export class PersonFileView {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ example: 'in-exile', description: 'registered, imprisoned, released, in-exile, return-attempted, whereabouts-unknown, re-arrested, home' })
  status!: string;
  @ApiProperty() fullName!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) birthDate!: string | null;
  @ApiProperty({ type: [String] }) citizenships!: string[];
  @ApiProperty() foreignNational!: boolean;
  @ApiProperty({ type: String, nullable: true }) occupation!: string | null;
  @ApiProperty({ type: ReleaseView, nullable: true }) release!: ReleaseView | null;
  @ApiProperty({ type: DeportationView, nullable: true }) deportation!: DeportationView | null;
  @ApiProperty({ type: [TimelineEntryView] }) timeline!: TimelineEntryView[];
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: LegalSectionView, nullable: true, description: 'null when the legal service did not answer' })
  legal!: LegalSectionView | null;
  @ApiPropertyOptional({ type: [String], example: ['legal'], description: 'Sections that could not be read; absent when complete' })
  partial?: string[];
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

/** The REST shape of intake's PersonFile, field by field, so nothing unplanned passes through. */
export function personFileView(file: intake.PersonFile, legal: LegalSectionView | null): PersonFileView {
  const { release, deportation } = file;
  return {
    personId: file.personId,
    streamVersion: file.streamVersion,
    status: file.status,
    fullName: file.fullName,
    aliases: file.aliases ?? [],
    birthDate: orNull(file.birthDate),
    citizenships: file.citizenships ?? [],
    foreignNational: file.foreignNational,
    occupation: orNull(file.occupation),
    release: release
      ? { releasedAt: release.releasedAt, mechanism: release.mechanism, batchId: orNull(release.batchId), daysOfSentenceRemaining: release.daysOfSentenceRemaining }
      : null,
    deportation: deportation
      ? {
          deportedAt: deportation.deportedAt,
          fromCountry: deportation.fromCountry,
          toCountry: deportation.toCountry,
          borderCrossing: orNull(deportation.borderCrossing),
          consented: deportation.consented,
        }
      : null,
    timeline: (file.timeline ?? []).map((entry) => ({
      eventId: entry.eventId,
      type: entry.type,
      streamVersion: entry.streamVersion,
      occurredAt: entry.occurredAt,
      summary: entry.summary,
    })),
    registeredAt: file.registeredAt,
    updatedAt: file.updatedAt,
    legal,
    ...(legal ? {} : { partial: ['legal'] }),
  };
}
