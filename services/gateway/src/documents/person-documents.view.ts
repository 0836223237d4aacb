import { ApiProperty } from '@nestjs/swagger';
import type { identityDocuments } from '@homeward/contracts';
import {
  applicationDecisions,
  authorities,
  documentsStatuses,
  passportStates,
  travelDocumentTypes,
  undocumentedStatuses,
} from '@homeward/vocabulary';
import { CommandResultView } from '../openapi/command-result.view.js';

export class PassportConfiscationView {
  @ApiProperty({ format: 'date-time' }) confiscatedAt!: string;
  @ApiProperty({ enum: authorities }) authority!: string;
  @ApiProperty({ type: String, nullable: true }) place!: string | null;
}

export class PassportDestructionView {
  @ApiProperty({ format: 'date-time' }) destroyedAt!: string;
  @ApiProperty({ enum: authorities }) authority!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Personal: what happened, as told' }) account!: string | null;
}

export class PassportView {
  @ApiProperty({ enum: passportStates, description: 'held: no confiscation or destruction recorded' }) state!: string;
  @ApiProperty({ type: PassportConfiscationView, nullable: true }) confiscation!: PassportConfiscationView | null;
  @ApiProperty({ type: PassportDestructionView, nullable: true }) destruction!: PassportDestructionView | null;
}

export class TemporaryCertificateView {
  @ApiProperty({ description: 'The event that recorded it' }) eventId!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ example: 'OGiM' }) issuer!: string;
  @ApiProperty({ example: 'A4' }) format!: string;
  @ApiProperty() validAsIdentityDocument!: boolean;
}

export class TravelDocumentApplicationView {
  @ApiProperty({ format: 'uuid' }) applicationId!: string;
  @ApiProperty({ format: 'date-time' }) appliedAt!: string;
  @ApiProperty({ example: 'LT' }) country!: string;
  @ApiProperty({ enum: travelDocumentTypes }) documentType!: string;
  @ApiProperty({ enum: applicationDecisions }) decision!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while pending' }) decidedAt!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'issued only; null when not known' }) validUntil!:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'refused only' }) reason!: string | null;
}

export class PersonDocumentsView {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ description: 'Version of the documents stream; send it as If-Match next time' }) streamVersion!: number;
  @ApiProperty({
    enum: documentsStatuses,
    description:
      "Derived, by the one rule legal's statelessness flag also uses. documented: a passport still held, an issued alien's passport " +
      'or refugee travel document, or a certificate valid as an identity document (a humanitarian visa or a residence permit lets a ' +
      'person stay but replaces no passport); undocumented: none of those; at-risk-of-statelessness: undocumented, and the only ' +
      "certificates are not valid identity documents, or every application for an alien's passport " +
      'or refugee travel document was refused. ' +
      'Legal flags a statelessness risk exactly when this is at-risk-of-statelessness',
  })
  status!: string;
  @ApiProperty({ type: PassportView }) passport!: PassportView;
  @ApiProperty({ type: [TemporaryCertificateView] }) certificates!: TemporaryCertificateView[];
  @ApiProperty({ type: [TravelDocumentApplicationView] }) applications!: TravelDocumentApplicationView[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class UndocumentedPersonView {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ enum: undocumentedStatuses }) status!: string;
}

export class UndocumentedPage {
  @ApiProperty({ type: [UndocumentedPersonView] }) items!: UndocumentedPersonView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

export class TravelDocumentApplicationResultView extends CommandResultView {
  @ApiProperty({ format: 'uuid', description: 'The application id the service assigned (the first one, for a repeated request)' })
  applicationId!: string;
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

/** The REST shape of the service's PersonDocuments, field by field, so nothing unplanned passes through. */
export function personDocumentsView(documents: identityDocuments.PersonDocuments): PersonDocumentsView {
  const { confiscation, destruction } = documents.passport ?? {};
  return {
    personId: documents.personId,
    streamVersion: documents.streamVersion,
    status: documents.status,
    passport: {
      state: documents.passport?.state ?? 'held',
      confiscation: confiscation
        ? { confiscatedAt: confiscation.confiscatedAt, authority: confiscation.authority, place: orNull(confiscation.place) }
        : null,
      destruction: destruction
        ? { destroyedAt: destruction.destroyedAt, authority: destruction.authority, account: orNull(destruction.account) }
        : null,
    },
    certificates: (documents.certificates ?? []).map((certificate) => ({
      eventId: certificate.eventId,
      issuedAt: certificate.issuedAt,
      issuer: certificate.issuer,
      format: certificate.format,
      validAsIdentityDocument: certificate.validAsIdentityDocument,
    })),
    applications: (documents.applications ?? []).map((application) => ({
      applicationId: application.applicationId,
      appliedAt: application.appliedAt,
      country: application.country,
      documentType: application.documentType,
      decision: application.decision,
      decidedAt: orNull(application.decidedAt),
      validUntil: orNull(application.validUntil),
      reason: orNull(application.reason),
    })),
    updatedAt: documents.updatedAt,
  };
}
