// Intake's events as they were stored under older schema versions, brought to today's shape on
// read. Per type, the n-th function turns schema version n into n + 1.
type Data = Record<string, unknown>;

export const intakeUpcasters: Readonly<Record<string, ReadonlyArray<(data: Data) => Data>>> = {
  // v1 had no sentenceRemainingSource: days it carries were stated with the release; 0 was unknown.
  PrisonerReleased: [(data) => ({ ...data, sentenceRemainingSource: Number(data['daysOfSentenceRemaining'] ?? 0) > 0 ? 'stated' : '' })],
};
