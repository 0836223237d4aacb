// The person file: everything intake knows about one person, for `GET /v1/people/{personId}`,
// and the rows of the people list and the release batch counts (queries over this table).
import type { intake } from '@homeward/contracts';
import { assertNever } from '@homeward/decider';
import type { DocumentProjection } from '@homeward/eventsourcing';
import { initialStatusTrack, personEventTypes, statusOf, trackStatus, type PersonEvent, type PersonStatus, type StatusTrack } from '@homeward/intake-domain';
import type { EventEnvelope } from '@homeward/messaging';

export type PersonFileDocument = Omit<intake.PersonFile, 'status'> & {
  status: PersonStatus;
  /** The two parts the status is derived from (person.status.ts); not part of the contract. */
  track: StatusTrack;
};

/** A line of the timeline: what happened, without any personal field. */
function summaryOf(event: PersonEvent): string {
  switch (event.type) {
    case 'PersonRegistered':
      return 'registered';
    case 'ImprisonmentRecorded':
      return event.data.sentenceMonths > 0 ? `imprisoned: sentence of ${event.data.sentenceMonths} months` : 'imprisoned: sentence unknown';
    case 'DetentionConditionReported':
      return `detention condition reported: ${event.data.kind}`;
    case 'PrisonerReleased':
      return `released (${event.data.mechanism}${event.data.batchId ? `, batch ${event.data.batchId}` : ''})`;
    case 'PrisonerDeported':
      return `deported ${event.data.fromCountry} -> ${event.data.toCountry}${event.data.consented ? '' : ' without consent'}`;
    case 'ReturnAttempted':
      return `return attempted: ${event.data.outcome}`;
    case 'ContactLost':
      return `contact lost (reported by ${event.data.reportedBy})`;
    case 'ContactReestablished':
      return `contact re-established (reported by ${event.data.reportedBy})`;
    case 'RearrestReported':
      return 're-arrest reported';
    case 'PersonForgotten':
      return 'erased';
    default:
      return assertNever(event);
  }
}

function emptyFile(envelope: EventEnvelope): PersonFileDocument {
  return {
    personId: envelope.subject,
    streamVersion: 0,
    status: 'unregistered',
    track: initialStatusTrack(),
    fullName: '',
    aliases: [],
    birthDate: '',
    citizenships: [],
    foreignNational: false,
    occupation: '',
    batchId: '',
    forgotten: false,
    detentionConditions: [],
    returnAttempts: [],
    timeline: [],
    registeredAt: envelope.recordedAt,
    updatedAt: envelope.recordedAt,
  };
}

/** What the event adds to the file, beside version, status and timeline. */
function facts(file: PersonFileDocument, event: PersonEvent, envelope: EventEnvelope): Partial<PersonFileDocument> {
  switch (event.type) {
    case 'PersonRegistered': {
      const { personId: _id, ...person } = event.data;
      return { ...person, batchId: file.release?.batchId || person.batchId };
    }
    case 'ImprisonmentRecorded': {
      const { personId: _id, ...imprisonment } = event.data;
      return { imprisonment };
    }
    case 'DetentionConditionReported': {
      const { personId: _id, ...condition } = event.data;
      return { detentionConditions: [...file.detentionConditions, { ...condition, reportedAt: envelope.occurredAt, eventId: envelope.eventId }] };
    }
    case 'PrisonerReleased': {
      const { personId: _id, ...release } = event.data;
      return { release, batchId: release.batchId || file.batchId };
    }
    case 'PrisonerDeported': {
      const { personId: _id, ...deportation } = event.data;
      return { deportation };
    }
    case 'ReturnAttempted': {
      const { personId: _id, ...attempt } = event.data;
      return { returnAttempts: [...file.returnAttempts, attempt] };
    }
    case 'ContactLost':
      return { contact: { lost: true, lastContactAt: event.data.lastContactAt, reportedBy: event.data.reportedBy, changedAt: envelope.recordedAt } };
    case 'ContactReestablished':
      return { contact: { lost: false, lastContactAt: event.data.contactAt, reportedBy: event.data.reportedBy, changedAt: envelope.recordedAt } };
    case 'RearrestReported':
      return { rearrest: { reportedAt: event.data.reportedAt, place: event.data.place } };
    case 'PersonForgotten':
      // The values were ciphertext already; dropping them leaves nothing to decrypt should a key survive somewhere.
      return { forgotten: true, fullName: '', aliases: [], birthDate: '', detentionConditions: file.detentionConditions.map((condition) => ({ ...condition, account: '' })) };
    default:
      return assertNever(event);
  }
}

export const personFile: DocumentProjection<PersonFileDocument> = {
  name: 'person_file',
  handles: personEventTypes,
  idOf: (envelope) => envelope.subject,
  evolve(doc, envelope: EventEnvelope) {
    const event = envelope as unknown as PersonEvent;
    const file = doc ?? emptyFile(envelope);
    const track = trackStatus(file.track, event);
    return {
      ...file,
      ...facts(file, event, envelope),
      streamVersion: envelope.streamVersion,
      track,
      status: statusOf(track),
      updatedAt: envelope.recordedAt,
      timeline: [
        ...file.timeline,
        { eventId: envelope.eventId, type: envelope.type, streamVersion: envelope.streamVersion, occurredAt: envelope.occurredAt, summary: summaryOf(event) },
      ],
    };
  },
};

/** The contract's PersonFile: the document without what only the projection needs. */
export function personFileMessage({ track: _track, ...file }: PersonFileDocument): intake.PersonFile {
  return file;
}
