import { ApiProperty } from '@nestjs/swagger';
import type { legal } from '@homeward/contracts';

export class DeportationFactsView {
  @ApiProperty({ format: 'date-time' }) deportedAt!: string;
  @ApiProperty({ example: 'BY' }) fromCountry!: string;
  @ApiProperty({ example: 'LT' }) toCountry!: string;
  @ApiProperty() consented!: boolean;
  @ApiProperty({ description: 'The intake event the facts come from' }) sourceEventId!: string;
}

export class LegalCaseView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: DeportationFactsView, nullable: true }) deportation!: DeportationFactsView | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class LegalCasesPage {
  @ApiProperty({ type: [LegalCaseView] }) items!: LegalCaseView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last one' })
  nextCursor!: string | null;
}

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
