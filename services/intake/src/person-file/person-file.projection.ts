// The person file: everything intake knows about one person, for `GET /v1/people/{personId}`,
// and the rows of the people list and the release batch counts (queries over this table).
import type { intake } from '@homeward/contracts';
import { assertNever } from '@homeward/decider';
import type { DocumentProjection } from '@homeward/eventsourcing';
import {
  initialStatusTrack,
  personEventTypes,
  sentenceRemaining,
  statusOf,
  trackStatus,
  type PersonEvent,
  type PersonStatus,
  type PrisonerReleased,
  type StatusTrack,
} from '@homeward/intake-domain';
import type { EventEnvelope } from '@homeward/messaging';
import { scrubMessage } from '@homeward/personal-data';

export type PersonFileDocument = Omit<intake.PersonFile, 'status'> & {
  status: PersonStatus;
  /** The two parts the status is derived from (person.status.ts); not part of the contract. */
  track: StatusTrack;
  /** The batch named at registration; not part of the contract. */
  registeredBatchId: string;
  /**
   * The release batches the person counts in: every batch a release named, else the one named at
   * registration. The people list and the batch counts select on it; not part of the contract.
   */
  batchIds: string[];
};

/** A line of the timeline: what happened, without any personal field. */
function summaryOf(event: PersonEvent, file: PersonFileDocument): string {
  switch (event.type) {
    case 'PersonRegistered':
      return 'registered';
    case 'ImprisonmentRecorded': {
      const imprisoned = file.episodes.length > 0 ? `imprisoned again (custody episode ${file.episodes.length + 1})` : 'imprisoned';
      return event.data.sentenceMonths > 0
        ? `${imprisoned}: sentence of ${event.data.sentenceMonths} months`
        : `${imprisoned}: sentence unknown`;
    }
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
    registeredBatchId: '',
    batchIds: [],
    episodes: [],
    forgotten: false,
    detentionConditions: [],
    returnAttempts: [],
    timeline: [],
    registeredAt: envelope.recordedAt,
    updatedAt: envelope.recordedAt,
  };
}

type Episode = intake.CustodyEpisode;

/** The file's episodes with the latest one changed. */
function withLatest(file: PersonFileDocument, change: (episode: Episode) => Partial<Episode>): Pick<PersonFileDocument, 'episodes'> {
  const latest = file.episodes[file.episodes.length - 1];
  if (!latest) return { episodes: file.episodes };
  return { episodes: [...file.episodes.slice(0, -1), { ...latest, ...change(latest) }] };
}

/** Batches a release named, else the one named at registration. */
function batchIdsOf(registeredBatchId: string, episodes: readonly Episode[]): string[] {
  const released = [...new Set(episodes.map((episode) => episode.release?.batchId ?? '').filter(Boolean))];
  if (released.length > 0) return released;
  return registeredBatchId ? [registeredBatchId] : [];
}

/**
 * A release stored before the source of its remaining sentence was recorded (schema version 1,
 * upcast with source "" when it stated no days) is derived from its episode's imprisonment, by
 * the decider's own rule.
 */
function releaseOf({ personId: _id, ...release }: PrisonerReleased['data'], episode: Episode | undefined): intake.Release {
  if (release.sentenceRemainingSource) return release;
  return {
    ...release,
    ...sentenceRemaining(release.daysOfSentenceRemaining, episode?.imprisonment?.expectedRelease ?? '', release.releasedAt),
  };
}

/** What the event adds to the file, beside version, status and timeline. */
function facts(file: PersonFileDocument, event: PersonEvent, envelope: EventEnvelope): Partial<PersonFileDocument> {
  switch (event.type) {
    case 'PersonRegistered': {
      const { personId: _id, batchId, ...person } = event.data;
      return {
        ...person,
        registeredBatchId: batchId,
        batchId: file.release?.batchId || batchId,
        batchIds: batchIdsOf(batchId, file.episodes),
      };
    }
    case 'ImprisonmentRecorded': {
      const { personId: _id, ...imprisonment } = event.data;
      const episode: Episode = { number: file.episodes.length + 1, imprisonment, detentionConditions: [], returnAttempts: [] };
      return { imprisonment, episodes: [...file.episodes, episode] };
    }
    case 'DetentionConditionReported': {
      const { personId: _id, ...reported } = event.data;
      const condition = { ...reported, reportedAt: envelope.occurredAt, eventId: envelope.eventId };
      return {
        detentionConditions: [...file.detentionConditions, condition],
        ...withLatest(file, (episode) => ({ detentionConditions: [...episode.detentionConditions, condition] })),
      };
    }
    case 'PrisonerReleased': {
      const release = releaseOf(event.data, file.episodes[file.episodes.length - 1]);
      const { episodes } = withLatest(file, () => ({ release }));
      return { release, episodes, batchId: release.batchId || file.batchId, batchIds: batchIdsOf(file.registeredBatchId, episodes) };
    }
    case 'PrisonerDeported': {
      const { personId: _id, ...deportation } = event.data;
      return { deportation, ...withLatest(file, () => ({ deportation })) };
    }
    case 'ReturnAttempted': {
      const { personId: _id, ...attempt } = event.data;
      return {
        returnAttempts: [...file.returnAttempts, attempt],
        ...withLatest(file, (episode) => ({ returnAttempts: [...episode.returnAttempts, attempt] })),
      };
    }
    case 'ContactLost':
      return {
        contact: { lost: true, lastContactAt: event.data.lastContactAt, reportedBy: event.data.reportedBy, changedAt: envelope.recordedAt },
      };
    case 'ContactReestablished':
      return {
        contact: { lost: false, lastContactAt: event.data.contactAt, reportedBy: event.data.reportedBy, changedAt: envelope.recordedAt },
      };
    case 'RearrestReported': {
      const rearrest = { reportedAt: event.data.reportedAt, place: event.data.place };
      return { rearrest, ...withLatest(file, () => ({ rearrest })) };
    }
    case 'PersonForgotten':
      // The values were ciphertext already; dropping them leaves nothing to decrypt should a key survive somewhere.
      return { ...scrubMessage('homeward.intake.v1.PersonFile', file), forgotten: true };
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
        {
          eventId: envelope.eventId,
          type: envelope.type,
          streamVersion: envelope.streamVersion,
          occurredAt: envelope.occurredAt,
          summary: summaryOf(event, file),
        },
      ],
    };
  },
};

/** The contract's PersonFile: the document without what only the projection needs. */
export function personFileMessage({
  track: _track,
  registeredBatchId: _registered,
  batchIds: _batches,
  ...file
}: PersonFileDocument): intake.PersonFile {
  return file;
}
