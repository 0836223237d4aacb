import { ApiProperty } from '@nestjs/swagger';
import type { legal } from '@homeward/contracts';
import { evidenceKinds, forums, submissionStatuses, violationStates } from '@homeward/vocabulary';
import { ruleFlagsText } from './legal.vocabulary.js';

export class DeportationFactsView {
  @ApiProperty({ format: 'date-time' }) deportedAt!: string;
  @ApiProperty({ example: 'BY' }) fromCountry!: string;
  @ApiProperty({ example: 'LT' }) toCountry!: string;
  @ApiProperty() consented!: boolean;
  @ApiProperty({ description: 'The intake event the facts come from' }) sourceEventId!: string;
}

/** A case in short, as the person file shows it. */
export class LegalCaseView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({
    type: DeportationFactsView,
    nullable: true,
    description: 'The latest deportation; each deportation without consent is flagged on its own',
  })
  deportation!: DeportationFactsView | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ViolationView {
  @ApiProperty({ format: 'uuid' }) violationId!: string;
  @ApiProperty({ example: 'ICCPR' }) instrument!: string;
  @ApiProperty({ example: '12(4)', description: 'A rule always names one; "" only when an advisor flagged the instrument as a whole' })
  provision!: string;
  @ApiProperty({ example: 'ICCPR 12(4)', description: 'Instrument and provision; what ?provision= filters on' }) citation!: string;
  @ApiProperty({ enum: violationStates, description: 'Rules only flag; an advisor confirms or dismisses, once' }) state!: string;
  @ApiProperty({ type: [String], description: 'Ids of the events (any context) the flag rests on' }) restsOn!: string[];
  @ApiProperty({
    example: 'rule:passport-taken-and-deported',
    description: `rule:<name> or advisor:<subject>. The rules: ${ruleFlagsText}`,
  })
  flaggedBy!: string;
  @ApiProperty({ format: 'date-time' }) flaggedAt!: string;
  @ApiProperty({
    description: 'Why the facts may engage the provision; for an instrument Belarus is not bound by as a ratified treaty, the flag says so',
  })
  summary!: string;
  @ApiProperty({ type: String, nullable: true, example: 'advisor:lawyer-1' }) decidedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) reasoning!: string | null;
}

export class EvidenceView {
  @ApiProperty({ format: 'uuid' }) evidenceId!: string;
  @ApiProperty({ enum: evidenceKinds }) kind!: string;
  @ApiProperty({ example: 'family' }) source!: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the file, lower-case hex; the file is kept outside Homeward' })
  sha256!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String], description: 'Violations of the case it supports' }) violationIds!: string[];
  @ApiProperty({ example: 'advisor:lawyer-1' }) attachedBy!: string;
  @ApiProperty({ format: 'date-time' }) attachedAt!: string;
}

export class SubmissionStatusEntryView {
  @ApiProperty({ enum: submissionStatuses }) status!: string;
  @ApiProperty({ example: 'advisor:lawyer-1' }) changedBy!: string;
  @ApiProperty({ format: 'date-time' }) changedAt!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

export class SubmissionView {
  @ApiProperty({ format: 'uuid' }) submissionId!: string;
  @ApiProperty({ enum: forums }) forum!: string;
  @ApiProperty({ type: [String] }) violationIds!: string[];
  @ApiProperty({ enum: submissionStatuses }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: "The forum's reference, once known" }) reference!: string | null;
  @ApiProperty({ example: 'advisor:lawyer-1' }) filedBy!: string;
  @ApiProperty({ format: 'date-time' }) filedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: [SubmissionStatusEntryView] }) history!: SubmissionStatusEntryView[];
}

/** A whole case: flags and what became of them, evidence and submissions. */
export class LegalCaseDetailView extends LegalCaseView {
  @ApiProperty({ description: "Version of the case's stream; send it as If-Match with a command on the case" }) streamVersion!: number;
  @ApiProperty({
    type: [String],
    example: ['ICCPR 12(4)'],
    description: 'Citations of the violations flagged or confirmed (not dismissed)',
  })
  provisions!: string[];
  @ApiProperty({ type: [ViolationView] }) violations!: ViolationView[];
  @ApiProperty({ type: [EvidenceView] }) evidence!: EvidenceView[];
  @ApiProperty({ type: [SubmissionView] }) submissions!: SubmissionView[];
}

export class LegalCasesPage {
  @ApiProperty({ type: [LegalCaseDetailView] }) items!: LegalCaseDetailView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

const orNull = (value: string | undefined): string | null => (value ? value : null);

export function legalCaseView(item: legal.LegalCase): LegalCaseView {
  const deportation = item.deportation;
  return {
    caseId: item.caseId,
    personId: item.personId,
    openedAt: item.openedAt,
    deportation: deportation
      ? {
          deportedAt: deportation.deportedAt,
          fromCountry: deportation.fromCountry,
          toCountry: deportation.toCountry,
          consented: deportation.consented,
          sourceEventId: deportation.sourceEventId,
        }
      : null,
    updatedAt: item.updatedAt,
  };
}

/** The REST shape of legal's LegalCase, field by field, so nothing unplanned passes through. */
export function legalCaseDetailView(item: legal.LegalCase): LegalCaseDetailView {
  return {
    ...legalCaseView(item),
    streamVersion: item.streamVersion,
    provisions: item.provisions ?? [],
    violations: (item.violations ?? []).map((v) => ({
      violationId: v.violationId,
      instrument: v.instrument,
      provision: v.provision,
      citation: v.citation,
      state: v.state,
      restsOn: v.restsOn ?? [],
      flaggedBy: v.flaggedBy,
      flaggedAt: v.flaggedAt,
      summary: v.summary,
      decidedBy: orNull(v.decidedBy),
      decidedAt: orNull(v.decidedAt),
      reasoning: orNull(v.reasoning),
    })),
    evidence: (item.evidence ?? []).map((e) => ({
      evidenceId: e.evidenceId,
      kind: e.kind,
      source: e.source,
      sha256: e.sha256,
      description: e.description,
      violationIds: e.violationIds ?? [],
      attachedBy: e.attachedBy,
      attachedAt: e.attachedAt,
    })),
    submissions: (item.submissions ?? []).map((s) => ({
      submissionId: s.submissionId,
      forum: s.forum,
      violationIds: s.violationIds ?? [],
      status: s.status,
      reference: orNull(s.reference),
      filedBy: s.filedBy,
      filedAt: s.filedAt,
      updatedAt: s.updatedAt,
      history: (s.history ?? []).map((h) => ({ status: h.status, changedBy: h.changedBy, changedAt: h.changedAt, note: orNull(h.note) })),
    })),
  };
}
