// Which of intake's fields are personal (DOMAIN.md marks them *), sealed with the person's key on
// the way in and opened at the query edge. Nothing else in intake reads or writes them.
import type { intake } from '@homeward/contracts';
import { ruleViolated } from '@homeward/decider';
import type { PersonCommand } from '@homeward/intake-domain';
import { decryptFor, encryptFor, readableOr, type PersonKey } from '@homeward/personal-data';

type Sealable = Extract<PersonCommand, { type: 'RegisterPerson' | 'ReportDetentionCondition' }>;

export const hasPersonalFields = (command: PersonCommand): command is Sealable => command.type === 'RegisterPerson' || command.type === 'ReportDetentionCondition';

/** The command with its personal fields encrypted; refused when the person was forgotten. */
export function sealCommand(command: Sealable, key: PersonKey): PersonCommand {
  if (key.state !== 'active') throw ruleViolated('person.forgotten', 'this person has been erased; nothing more can be recorded');
  const seal = (value: string) => encryptFor(key, value);
  if (command.type === 'ReportDetentionCondition') return { ...command, data: { ...command.data, account: seal(command.data.account) } };
  const { fullName, aliases, birthDate } = command.data;
  return { ...command, data: { ...command.data, fullName: seal(fullName), aliases: aliases.map(seal), birthDate: seal(birthDate) } };
}

/** What cannot be read (a forgotten person, a damaged value) reads as unknown: "" or left out. */
export function openPersonFile(file: intake.PersonFile, key: PersonKey): intake.PersonFile {
  const open = (value: string) => decryptFor(key, value);
  const aliases = file.aliases.map(open).flatMap((alias) => (alias.readable && alias.value ? [alias.value] : []));
  const openConditions = (conditions: intake.DetentionCondition[]) => conditions.map((condition) => ({ ...condition, account: readableOr(open(condition.account)) }));
  return {
    ...file,
    fullName: readableOr(open(file.fullName)),
    aliases,
    birthDate: readableOr(open(file.birthDate)),
    detentionConditions: openConditions(file.detentionConditions),
    episodes: file.episodes.map((episode) => ({ ...episode, detentionConditions: openConditions(episode.detentionConditions) })),
  };
}

export const openFullName = (fullName: string, key: PersonKey) => readableOr(decryptFor(key, fullName));
