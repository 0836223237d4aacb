// Personal data by the inventory (proto/homeward/common/v1/privacy.proto): every field a contract
// classifies personal or identifying is sealed with the key of the person (or recipient) it is
// about before it enters an event, and opened only at the query edge. Nothing else names fields:
// a field classified in proto/ is sealed, opened and scrubbed wherever it is written.
import { inventory, type Privacy } from '@homeward/contracts';
import { ruleViolated } from '@homeward/decider';
import type { DomainEvent, EventSealer, StreamTarget } from '@homeward/eventsourcing';
import type { EntityManager } from 'typeorm';
import { decryptFor, encryptFor, type PersonKey, type PersonKeys } from './person-keys.js';

type Data = Record<string, unknown>;

const protected_: readonly Privacy[] = ['personal', 'identifying'];

/** The contract message of an event of `context` (`identity-documents` → `homeward.identity_documents.v1.<type>`). */
export const eventMessageOf = (context: string, type: string) => `homeward.${context.replaceAll('-', '_')}.v1.${type}`;

/** Applies `change` to every personal or identifying string of `value`, a `message`, and of the messages it holds. */
function mapProtected(message: string, value: Data, change: (field: string, text: string) => string | null): Data {
  const fields = inventory[message];
  if (!fields) throw new Error(`no contract message ${message} in the inventory`);
  let result = value;
  for (const [field, entry] of Object.entries(fields)) {
    const current = value[field];
    if (current === undefined || current === null) continue;
    let next: unknown = current;
    if ('message' in entry) {
      if (Array.isArray(current)) next = current.map((item: Data) => mapProtected(entry.message, item, change));
      else if (typeof current === 'object') next = mapProtected(entry.message, current as Data, change);
    } else if (protected_.includes(entry.privacy)) {
      if (Array.isArray(current))
        next = (current as string[]).map((text) => change(field, text)).filter((text): text is string => text !== null);
      else if (typeof current === 'string') next = change(field, current) ?? '';
    }
    if (next !== current) {
      if (result === value) result = { ...value };
      result[field] = next;
    }
  }
  return result;
}

/** Whether the message holds any non-empty personal or identifying value. */
export function hasProtectedValues(message: string, value: Data): boolean {
  let found = false;
  mapProtected(message, value, (_field, text) => {
    if (text !== '') found = true;
    return text;
  });
  return found;
}

/** The message with its personal and identifying values encrypted, each bound to the key's owner and its field. */
export const sealMessage = <T extends object>(message: string, value: T, key: PersonKey): T =>
  mapProtected(message, value as Data, (field, text) => (text === '' ? '' : encryptFor(key, field, text))) as T;

/** The message with its values decrypted; what cannot be read (erased, damaged) reads as unknown: "" or left out of a list. */
export const openMessage = <T extends object>(message: string, value: T, key: PersonKey): T =>
  mapProtected(message, value as Data, (field, text) => {
    const opened = decryptFor(key, field, text);
    return opened.readable && opened.value !== '' ? opened.value : null;
  }) as T;

/** The message without its personal and identifying values: what a read model keeps of an erased person. */
export const scrubMessage = <T extends object>(message: string, value: T): T => mapProtected(message, value as Data, () => null) as T;

export interface SealerOptions {
  /** The context whose events are sealed, e.g. `identity-documents`. */
  context: string;
  keys: PersonKeys;
}

/**
 * The event store's sealer for one context: before an append, every event's personal and
 * identifying values are encrypted with the key of the stream's subject (made on first use). An
 * append that has such values for a person whose key was destroyed is refused: `person.forgotten`.
 */
export function personalDataSealer({ context, keys }: SealerOptions): EventSealer {
  return {
    async seal(tx: EntityManager, events: readonly DomainEvent[], target: StreamTarget): Promise<readonly DomainEvent[]> {
      const sealable = events.filter((event) => hasProtectedValues(eventMessageOf(context, event.type), event.data as Data));
      if (sealable.length === 0) return events;
      const key = await keys.ensure(tx, target.subject);
      if (key.state !== 'active') throw ruleViolated('person.forgotten', 'this person has been erased; nothing more can be recorded');
      return events.map((event) =>
        sealable.includes(event) ? { ...event, data: sealMessage(eventMessageOf(context, event.type), event.data, key) } : event,
      );
    },
  };
}
