// A release shaped like the one of 11 September 2025 (DOMAIN.md), with invented people only:
// 52 released in one brokered batch, 14 of them foreign nationals, everyone driven to Lithuania
// without consent, about half with under six months of sentence left.
export const batchId = 'batch-2025-09-11';
export const batchSize = 52;
export const foreignNationals = 14;

const givenNames = ['Aster', 'Brisa', 'Calder', 'Dovra', 'Elvin', 'Fenna', 'Garit', 'Halma', 'Isko', 'Jorna', 'Kelmar', 'Lusia', 'Morvan'];
const familyNames = ['Vellin', 'Orrowitz', 'Tamsk', 'Quellan'];
const occupations = ['journalist', 'blogger', 'party-leader', 'union-leader', 'lawyer', 'teacher'];
const foreignCitizenships = ['PL', 'DE', 'LV', 'EE', 'FR', 'GB', 'JP'];

export interface BatchRow {
  externalRef: string;
  fullName: string;
  birthDate: string;
  citizenships: string;
  foreignNational: boolean;
  occupation: string;
  charges: string;
  sentenceMonths: number;
  sentenceStart: string;
  releasedAt: string;
  mechanism: 'brokered';
  daysOfSentenceRemaining: number;
  deportedAt: string;
  fromCountry: 'BY';
  toCountry: 'LT';
  borderCrossing: string;
  consented: false;
}

/** Row i: the first 14 are foreign nationals; even rows have under six months left. */
export function septemberRows(): BatchRow[] {
  return Array.from({ length: batchSize }, (_, i) => {
    const foreign = i < foreignNationals;
    const nearEnd = i % 2 === 0;
    return {
      externalRef: `sept-${String(i + 1).padStart(2, '0')}`,
      fullName: `${givenNames[i % givenNames.length]} ${familyNames[Math.floor(i / givenNames.length)]}`,
      birthDate: `19${60 + (i % 35)}-0${1 + (i % 9)}-1${i % 10}`,
      citizenships: foreign ? foreignCitizenships[i % foreignCitizenships.length]! : 'BY',
      foreignNational: foreign,
      occupation: occupations[i % occupations.length]!,
      charges: 'art-342',
      sentenceMonths: nearEnd ? 36 : 96,
      sentenceStart: nearEnd ? '2022-12-01' : '2022-03-01',
      releasedAt: '2025-09-11T08:00:00.000Z',
      mechanism: 'brokered',
      daysOfSentenceRemaining: nearEnd ? 30 + i : 400 + i * 30,
      deportedAt: '2025-09-11T14:00:00.000Z',
      fromCountry: 'BY',
      toCountry: 'LT',
      borderCrossing: 'Kamenny Log',
      consented: false,
    };
  });
}

/** The same rows as a CSV file, as an organisation would upload it. */
export function toCsv(rows: BatchRow[]): string {
  const columns = Object.keys(rows[0]!) as Array<keyof BatchRow>;
  const cell = (value: unknown) => (/[",\n]/.test(String(value)) ? `"${String(value).replaceAll('"', '""')}"` : String(value));
  return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\n') + '\n';
}
