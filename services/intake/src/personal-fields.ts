// Intake's personal and identifying fields, as the inventory in proto/ classifies them: sealed
// with the person's key by the event store's sealer (service.ts) on the way in, opened here at
// the query edge. Nothing else in intake reads or writes them.
import type { intake } from '@homeward/contracts';
import { decryptFor, openMessage, readableOr, type PersonKey } from '@homeward/personal-data';

/** What cannot be read (a forgotten person, a damaged value) reads as unknown: "" or left out. */
export const openPersonFile = (file: intake.PersonFile, key: PersonKey): intake.PersonFile =>
  openMessage('homeward.intake.v1.PersonFile', file, key);

export const openFullName = (fullName: string, key: PersonKey) => readableOr(decryptFor(key, 'fullName', fullName));
