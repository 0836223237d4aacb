// Notifications' events as they were stored under older schema versions, brought to today's shape
// on read. Per type, the n-th function turns schema version n into n + 1.
type Data = Record<string, unknown>;

export const notificationsUpcasters: Readonly<Record<string, ReadonlyArray<(data: Data) => Data>>> = {
  // v1 had no webhookSecret: a webhook registered then has none, and is sent nothing until registered again.
  RecipientRegistered: [(data) => ({ ...data, webhookSecret: '' })],
};
