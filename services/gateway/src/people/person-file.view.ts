import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { intake } from '@homeward/contracts';
import { LegalCaseDetailView } from '../legal/legal-case.view.js';
import { PersonDocumentsView } from '../documents/person-documents.view.js';
import { DeliveryView, WelfareCheckView } from '../notifications/notifications.view.js';

export class ReleaseView {
  @ApiProperty({ format: 'date-time' }) releasedAt!: string;
  @ApiProperty({ example: 'pardon' }) mechanism!: string;
  @ApiProperty({ type: String, nullable: true }) batchId!: string | null;
  @ApiProperty({
    type: 'integer',
    description:
      "Days of sentence left at release: as stated with the release, else derived from the imprisonment's expected release date (0 once " +
      'it has passed), else 0 (unknown). The batch count nearEndOfSentence counts 1 to 182 days.',
  })
  daysOfSentenceRemaining!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['stated', 'derived'],
    description: 'Where daysOfSentenceRemaining comes from; null when unknown',
  })
  sentenceRemainingSource!: 'stated' | 'derived' | null;
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

export class CustodyEpisodeView {
  @ApiProperty({
    type: 'integer',
    example: 1,
    description: '1 for the first imprisonment; a new imprisonment after a re-arrest begins the next',
  })
  number!: number;
  @ApiProperty({ type: ImprisonmentView, nullable: true }) imprisonment!: ImprisonmentView | null;
  @ApiProperty({ type: [DetentionConditionView], description: 'Reported while this episode was the latest' })
  detentionConditions!: DetentionConditionView[];
  @ApiProperty({ type: ReleaseView, nullable: true }) release!: ReleaseView | null;
  @ApiProperty({ type: DeportationView, nullable: true }) deportation!: DeportationView | null;
  @ApiProperty({ type: [ReturnAttemptView] }) returnAttempts!: ReturnAttemptView[];
  @ApiProperty({ type: RearrestView, nullable: true, description: 'The re-arrest that ended this episode' }) rearrest!: RearrestView | null;
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
  @ApiProperty({
    example: 'in-exile',
    description: 'registered, imprisoned, released, in-exile, return-attempted, whereabouts-unknown, re-arrested, home',
  })
  status!: string;
  @ApiProperty({ description: 'Personal; "" once the person is erased' }) fullName!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) birthDate!: string | null;
  @ApiProperty({ type: [String] }) citizenships!: string[];
  @ApiProperty() foreignNational!: boolean;
  @ApiProperty({ type: String, nullable: true }) occupation!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The batch the person was released in, else the one registered for' })
  batchId!: string | null;
  @ApiProperty({ type: ImprisonmentView, nullable: true, description: 'The latest imprisonment (see episodes for each one)' })
  imprisonment!: ImprisonmentView | null;
  @ApiProperty({ type: [DetentionConditionView], description: 'Every one reported, in every episode' })
  detentionConditions!: DetentionConditionView[];
  @ApiProperty({ type: ReleaseView, nullable: true, description: 'The latest release' }) release!: ReleaseView | null;
  @ApiProperty({ type: DeportationView, nullable: true, description: 'The latest deportation' }) deportation!: DeportationView | null;
  @ApiProperty({ type: [ReturnAttemptView], description: 'Every one, in every episode' }) returnAttempts!: ReturnAttemptView[];
  @ApiProperty({ type: ContactView, nullable: true, description: 'null until a contact is reported lost' }) contact!: ContactView | null;
  @ApiProperty({ type: RearrestView, nullable: true, description: 'The latest re-arrest' }) rearrest!: RearrestView | null;
  @ApiProperty({
    type: [CustodyEpisodeView],
    description:
      'Each custody episode in order: an imprisonment and what followed it (release, deportation, return attempts) up to the re-arrest ' +
      "that ended it. A re-arrested person's next imprisonment begins the next episode.",
  })
  episodes!: CustodyEpisodeView[];
  @ApiProperty({ type: [TimelineEntryView] }) timeline!: TimelineEntryView[];
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'Erased (DELETE /v1/people/{personId}): every personal field is empty, the rest of the story stays' })
  forgotten!: boolean;
  @ApiProperty({
    type: PersonDocumentsView,
    nullable: true,
    description: 'Papers and documents status; null when none are recorded or the service did not answer',
  })
  documents!: PersonDocumentsView | null;
  @ApiProperty({ type: LegalSectionView, nullable: true, description: 'null when the legal service did not answer' })
  legal!: LegalSectionView | null;
  @ApiProperty({ type: NotificationsSectionView, nullable: true, description: 'null when the notifications service did not answer' })
  notifications!: NotificationsSectionView | null;
  @ApiPropertyOptional({ type: [String], example: ['legal'], description: 'Sections that could not be read; absent when complete' })
  partial?: string[];
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

const imprisonmentView = (imprisonment: intake.Imprisonment | undefined): ImprisonmentView | null =>
  imprisonment
    ? {
        charges: imprisonment.charges ?? [],
        sentenceMonths: imprisonment.sentenceMonths || null,
        sentenceStart: orNull(imprisonment.sentenceStart),
        expectedRelease: orNull(imprisonment.expectedRelease),
        facility: orNull(imprisonment.facility),
      }
    : null;

const conditionView = (condition: intake.DetentionCondition): DetentionConditionView => ({
  kind: condition.kind,
  periodFrom: orNull(condition.periodFrom),
  periodTo: orNull(condition.periodTo),
  account: orNull(condition.account),
  reportedAt: condition.reportedAt,
  eventId: condition.eventId,
});

const releaseView = (release: intake.Release | undefined): ReleaseView | null =>
  release
    ? {
        releasedAt: release.releasedAt,
        mechanism: release.mechanism,
        batchId: orNull(release.batchId),
        daysOfSentenceRemaining: release.daysOfSentenceRemaining,
        sentenceRemainingSource:
          release.sentenceRemainingSource === 'stated' || release.sentenceRemainingSource === 'derived'
            ? release.sentenceRemainingSource
            : null,
      }
    : null;

const deportationView = (deportation: intake.Deportation | undefined): DeportationView | null =>
  deportation
    ? {
        deportedAt: deportation.deportedAt,
        fromCountry: deportation.fromCountry,
        toCountry: deportation.toCountry,
        borderCrossing: orNull(deportation.borderCrossing),
        consented: deportation.consented,
      }
    : null;

const attemptView = (attempt: intake.ReturnAttempt): ReturnAttemptView => ({
  attemptedAt: attempt.attemptedAt,
  borderCrossing: orNull(attempt.borderCrossing),
  outcome: attempt.outcome,
});

const rearrestView = (rearrest: intake.Rearrest | undefined): RearrestView | null =>
  rearrest ? { reportedAt: rearrest.reportedAt, place: orNull(rearrest.place) } : null;

/** The REST shape of intake's PersonFile, field by field, so nothing unplanned passes through. */
export function personFileView(file: intake.PersonFile, { documents, legal, notifications, partial }: PersonFileSections): PersonFileView {
  const { contact } = file;
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
    imprisonment: imprisonmentView(file.imprisonment),
    detentionConditions: (file.detentionConditions ?? []).map(conditionView),
    release: releaseView(file.release),
    deportation: deportationView(file.deportation),
    returnAttempts: (file.returnAttempts ?? []).map(attemptView),
    contact: contact
      ? { lost: contact.lost, lastContactAt: contact.lastContactAt, reportedBy: contact.reportedBy, changedAt: contact.changedAt }
      : null,
    rearrest: rearrestView(file.rearrest),
    episodes: (file.episodes ?? []).map((episode) => ({
      number: episode.number,
      imprisonment: imprisonmentView(episode.imprisonment),
      detentionConditions: (episode.detentionConditions ?? []).map(conditionView),
      release: releaseView(episode.release),
      deportation: deportationView(episode.deportation),
      returnAttempts: (episode.returnAttempts ?? []).map(attemptView),
      rearrest: rearrestView(episode.rearrest),
    })),
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
