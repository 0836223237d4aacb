// Upcasters turn an event stored under an older schema version into the current shape on read.
// Stored rows are never rewritten: the hash chain covers them as they were written.
import type { EventEnvelope } from '@homeward/messaging';

/** Per event type, upcasters[type][n - 1] turns schema version n into n + 1. */
export type Upcasters = Readonly<Record<string, ReadonlyArray<(data: Record<string, unknown>) => Record<string, unknown>>>>;

export function currentSchemaVersion(type: string, upcasters: Upcasters = {}): number {
  return (upcasters[type]?.length ?? 0) + 1;
}

export function upcast<E extends EventEnvelope>(event: E, upcasters: Upcasters = {}): E {
  const steps = upcasters[event.type] ?? [];
  if (event.schemaVersion > steps.length + 1) {
    throw new Error(`event ${event.eventId} has schema version ${event.schemaVersion}, newer than this code knows`);
  }
  let data = event.data;
  for (let version = event.schemaVersion; version <= steps.length; version += 1) data = steps[version - 1]!(data);
  return data === event.data ? event : { ...event, data, schemaVersion: steps.length + 1 };
}
