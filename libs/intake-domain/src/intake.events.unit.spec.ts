// The events' data are the proto messages: each one survives the Kafka encoding unchanged, so no
// field is named differently in the domain and in the contract other contexts consume.
import { describe, expect, it } from '@jest/globals';
import { intakeEvents } from '@homeward/contracts';
import type { PersonEvent } from './person.events.js';
import { personEventTypes } from './person.events.js';
import type { ReleaseBatchEvent } from './release-batch.events.js';
import {
  conditionReported,
  contactLost,
  contactReestablished,
  deported,
  forgotten,
  imprisoned,
  registered,
  rearrested,
  released,
  returnRefused,
} from './person.fixtures.js';

const events: Array<PersonEvent | ReleaseBatchEvent> = [
  { ...registered, data: { ...registered.data, aliases: ['A. T.'], batchId: 'batch-2025-09-11' } },
  imprisoned,
  conditionReported,
  released,
  deported,
  returnRefused,
  contactLost,
  contactReestablished,
  rearrested,
  forgotten,
  {
    type: 'ReleaseBatchAnnounced',
    data: { batchId: 'batch-2025-09-11', date: '2025-09-11', announcedCount: 52, brokeredBy: 'United States', conditions: 'none' },
  },
];

const caseOf = (type: string) => type.charAt(0).toLowerCase() + type.slice(1);

describe('intake events and the protobuf contract', () => {
  it('covers every person event type', () =>
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining([...personEventTypes])));

  it.each(events.map((event) => [event.type, event] as const))('%s round-trips through IntakeEvent', (_type, event) => {
    const payload = { $case: caseOf(event.type), [caseOf(event.type)]: event.data };
    const bytes = intakeEvents.IntakeEvent.encode({ envelope: undefined, payload } as never).finish();
    const decoded = intakeEvents.IntakeEvent.decode(bytes) as { payload?: Record<string, unknown> };
    expect(decoded.payload).toEqual(payload);
  });
});
