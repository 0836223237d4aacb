// What the store writes must be what its relay can publish and its consumers can read.
import { decodeEventValue, encodeEventValues, type EventEnvelope } from '@homeward/messaging';

/** An event its context's protobuf contract cannot carry: refused before anything is stored. */
export class UnpublishableEventError extends Error {
  override name = 'UnpublishableEventError';
}

/**
 * Encodes the events as the relay will and decodes them as a consumer will. One the contract
 * cannot carry would stop the relay at it for good, every later event of the service behind it;
 * refused here, it fails only its own command (an internal error: the decider made it), with
 * nothing stored. The message names the event type and context, never a value.
 */
export function assertPublishable(events: readonly EventEnvelope[]): void {
  for (const event of events) {
    try {
      const [value] = encodeEventValues([event]);
      decodeEventValue(event.source, value!);
    } catch (error) {
      const reason = error instanceof Error ? error.constructor.name : typeof error;
      throw new UnpublishableEventError(`a ${event.type} event does not fit the ${event.source} contract (${reason})`);
    }
  }
}
