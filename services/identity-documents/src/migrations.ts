import { EventStoreSchema1764000000000 } from '@homeward/eventsourcing';

export const migrations = [EventStoreSchema1764000000000];
