import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { LegalCaseDetailView } from '../legal/legal-case.view.js';
import { PersonDocumentsView } from '../documents/person-documents.view.js';
import { DeliveryView, WelfareCheckView } from '../notifications/notifications.view.js';

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

export class ImprisonmentView {
  @ApiProperty({ type: [String] }) charges!: string[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when unknown' }) sentenceMonths!: number | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) sentenceStart!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) expectedRelease!: string | null;
  @ApiProperty({ type: String, nullable: true }) facility!: string | null;
}

export class DetentionConditionView {
  @ApiProperty({ example: 'solitary-confinement' }) kind!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) periodFrom!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) periodTo!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Personal: the account as given' }) account!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was reported' }) reportedAt!: string;
  @ApiProperty() eventId!: string;
}

export class ReturnAttemptView {
  @ApiProperty({ format: 'date-time' }) attemptedAt!: string;
  @ApiProperty({ type: String, nullable: true }) borderCrossing!: string | null;
  @ApiProperty({ example: 'refused', description: 'refused, crossed, unknown' }) outcome!: string;
}

export class ContactView {
  @ApiProperty({ description: 'Whether contact is lost right now' }) lost!: boolean;
  @ApiProperty({ format: 'date-time', description: 'When the person was last heard from' }) lastContactAt!: string;
  @ApiProperty({ example: 'family', description: 'Who reported the latest change, as a role' }) reportedBy!: string;
  @ApiProperty({ format: 'date-time' }) changedAt!: string;
}

export class RearrestView {
  @ApiProperty({ format: 'date-time' }) reportedAt!: string;
  @ApiProperty({ type: String, nullable: true }) place!: string | null;
}

export class TimelineEntryView {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'PrisonerDeported' }) type!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: 'deported BY -> LT' }) summary!: string;
}

export class LegalSectionView {
  @ApiProperty({ type: [LegalCaseDetailView], description: 'With their flags, evidence and submissions' }) cases!: LegalCaseDetailView[];
}

export class NotificationsSectionView {
  @ApiProperty({ type: [DeliveryView], description: 'The most recent notifications about the person (addresses never included)' })
  deliveries!: DeliveryView[];
  @ApiProperty({ type: [WelfareCheckView] }) welfareChecks!: WelfareCheckView[];
}

/** What the other services add to intake's file; null where a service did not answer. */
export interface PersonFileSections {
  documents: PersonDocumentsView | null;
  legal: LegalSectionView | null;
  notifications: NotificationsSectionView | null;
  /** Sections that could not be read. */
  partial: string[];
}

export class PersonFileView {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ example: 'in-exile', description: 'registered, imprisoned, released, in-exile, return-attempted, whereabouts-unknown, re-arrested, home' })
  status!: string;
  @ApiProperty({ description: 'Personal; "" once the person is erased' }) fullName!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) birthDate!: string | null;
  @ApiProperty({ type: [String] }) citizenships!: string[];
  @ApiProperty() foreignNational!: boolean;
  @ApiProperty({ type: String, nullable: true }) occupation!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The batch the person was released in, else the one registered for' }) batchId!: string | null;
  @ApiProperty({ type: ImprisonmentView, nullable: true }) imprisonment!: ImprisonmentView | null;
  @ApiProperty({ type: [DetentionConditionView] }) detentionConditions!: DetentionConditionView[];
  @ApiProperty({ type: ReleaseView, nullable: true }) release!: ReleaseView | null;
  @ApiProperty({ type: DeportationView, nullable: true }) deportation!: DeportationView | null;
  @ApiProperty({ type: [ReturnAttemptView] }) returnAttempts!: ReturnAttemptView[];
  @ApiProperty({ type: ContactView, nullable: true, description: 'null until a contact is reported lost' }) contact!: ContactView | null;
  @ApiProperty({ type: RearrestView, nullable: true }) rearrest!: RearrestView | null;
  @ApiProperty({ type: [TimelineEntryView] }) timeline!: TimelineEntryView[];
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Erased (DELETE /v1/people/{personId}): every personal field is empty, the rest of the story stays' }) forgotten!: boolean;
  @ApiProperty({ type: PersonDocumentsView, nullable: true, description: 'Papers and documents status; null when none are recorded or the service did not answer' })
  documents!: PersonDocumentsView | null;
  @ApiProperty({ type: LegalSectionView, nullable: true, description: 'null when the legal service did not answer' })
  legal!: LegalSectionView | null;
  @ApiProperty({ type: NotificationsSectionView, nullable: true, description: 'null when the notifications service did not answer' })
  notifications!: NotificationsSectionView | null;
  @ApiPropertyOptional({ type: [String], example: ['legal'], description: 'Sections that could not be read; absent when complete' })
  partial?: string[];
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

/** The REST shape of intake's PersonFile, field by field, so nothing unplanned passes through. */
export function personFileView(file: intake.PersonFile, { documents, legal, notifications, partial }: PersonFileSections): PersonFileView {
  const { imprisonment, release, deportation, contact, rearrest } = file;
  return {
    personId: file.personId,
    streamVersion: file.streamVersion,
    status: file.status,
    fullName: file.fullName,
    forgotten: file.forgotten ?? false,
    aliases: file.aliases ?? [],
    birthDate: orNull(file.birthDate),
    citizenships: file.citizenships ?? [],
    foreignNational: file.foreignNational,
    occupation: orNull(file.occupation),
    batchId: orNull(file.batchId),
    imprisonment: imprisonment
      ? {
          charges: imprisonment.charges ?? [],
          sentenceMonths: imprisonment.sentenceMonths || null,
          sentenceStart: orNull(imprisonment.sentenceStart),
          expectedRelease: orNull(imprisonment.expectedRelease),
          facility: orNull(imprisonment.facility),
        }
      : null,
    detentionConditions: (file.detentionConditions ?? []).map((condition) => ({
      kind: condition.kind,
      periodFrom: orNull(condition.periodFrom),
      periodTo: orNull(condition.periodTo),
      account: orNull(condition.account),
      reportedAt: condition.reportedAt,
      eventId: condition.eventId,
    })),
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
    returnAttempts: (file.returnAttempts ?? []).map((attempt) => ({
      attemptedAt: attempt.attemptedAt,
      borderCrossing: orNull(attempt.borderCrossing),
      outcome: attempt.outcome,
    })),
    contact: contact ? { lost: contact.lost, lastContactAt: contact.lastContactAt, reportedBy: contact.reportedBy, changedAt: contact.changedAt } : null,
    rearrest: rearrest ? { reportedAt: rearrest.reportedAt, place: orNull(rearrest.place) } : null,
    timeline: (file.timeline ?? []).map((entry) => ({
      eventId: entry.eventId,
      type: entry.type,
      streamVersion: entry.streamVersion,
      occurredAt: entry.occurredAt,
      summary: entry.summary,
    })),
    registeredAt: file.registeredAt,
    updatedAt: file.updatedAt,
    documents,
    legal,
    notifications,
    ...(partial.length > 0 ? { partial } : {}),
  };
}
