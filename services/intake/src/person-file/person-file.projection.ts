// The person file: everything intake knows about one person, for `GET /v1/people/{personId}`.
import type { DocumentProjection } from '@homeward/eventsourcing';
import { statusAfter, type PersonEvent, type PersonStatus } from '@homeward/intake-domain';
import type { intake } from '@homeward/contracts';
import type { EventEnvelope } from '@homeward/messaging';

export type PersonFileDocument = Omit<intake.PersonFile, 'status'> & { status: PersonStatus };

function summaryOf(event: PersonEvent): string {
  switch (event.type) {
    case 'PersonRegistered':
      return 'registered';
    case 'PrisonerReleased':
      return `released (${event.data.mechanism})`;
    case 'PrisonerDeported':
      return `deported ${event.data.fromCountry} -> ${event.data.toCountry}${event.data.consented ? '' : ' without consent'}`;
  }
}

export const personFile: DocumentProjection<PersonFileDocument> = {
  name: 'person_file',
  handles: ['PersonRegistered', 'PrisonerReleased', 'PrisonerDeported'] satisfies PersonEvent['type'][],
  idOf: (envelope) => envelope.subject,
  evolve(doc, envelope: EventEnvelope) {
    const event = envelope as unknown as PersonEvent;
    const base: PersonFileDocument = doc ?? {
      personId: envelope.subject,
      streamVersion: 0,
      status: 'unregistered',
      fullName: '',
      aliases: [],
      birthDate: '',
      citizenships: [],
      foreignNational: false,
      occupation: '',
      timeline: [],
      registeredAt: envelope.recordedAt,
      updatedAt: envelope.recordedAt,
    };
    const next: PersonFileDocument = {
      ...base,
      streamVersion: envelope.streamVersion,
      status: statusAfter(base.status, event),
      updatedAt: envelope.recordedAt,
      timeline: [
        ...base.timeline,
        { eventId: envelope.eventId, type: envelope.type, streamVersion: envelope.streamVersion, occurredAt: envelope.occurredAt, summary: summaryOf(event) },
      ],
    };
    switch (event.type) {
      case 'PersonRegistered': {
        const { personId: _id, ...person } = event.data;
        return { ...next, ...person };
      }
      case 'PrisonerReleased': {
        const { personId: _id, ...release } = event.data;
        return { ...next, release };
      }
      case 'PrisonerDeported': {
        const { personId: _id, ...deportation } = event.data;
        return { ...next, deportation };
      }
    }
  },
};
