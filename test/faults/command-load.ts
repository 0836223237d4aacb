// A steady command load through the gateway for the fault tests: workers take invented people
// through register -> imprisonment -> release -> deportation -> passport confiscation, and every
// answer is recorded (status, event ids, when), so that what the client was told can be compared
// with what every read model holds afterwards.
import type { System } from '../support/system.js';

export type Step = 'register' | 'imprisonment' | 'release' | 'deportation' | 'passport';

export interface Outcome {
  step: Step;
  /** Known for every step after a successful register. */
  personId: string | null;
  /** The invented name a register was sent with: how a failed register is looked for. */
  fullName: string;
  status: number;
  eventIds: string[];
  startedAt: number;
  endedAt: number;
}

export const accepted = (outcome: Pick<Outcome, 'status'>) => outcome.status === 200 || outcome.status === 201;

const imprisonment = { charges: ['art-342'], sentenceMonths: 36, sentenceStart: '2022-12-01', facility: 'Invented penal colony 17' };
const release = {
  releasedAt: '2025-09-11T08:00:00.000Z',
  mechanism: 'brokered',
  batchId: 'batch-2025-09-11',
  daysOfSentenceRemaining: 120,
};
const deportation = {
  deportedAt: '2025-09-11T14:00:00.000Z',
  fromCountry: 'BY',
  toCountry: 'LT',
  borderCrossing: 'Kamenny Log',
  consented: false,
};
const confiscation = { confiscatedAt: '2025-09-11T06:00:00Z', authority: 'kgb', place: 'Invented pre-trial detention centre' };
const givenNames = ['Aster', 'Brisa', 'Calder', 'Dovra', 'Elvin', 'Fenna', 'Garit', 'Halma'];

function route(step: Step, personId: string | null): { path: string; role: string; body: unknown } {
  switch (step) {
    case 'register':
      throw new Error('register is sent by the worker itself');
    case 'imprisonment':
      return { path: `/v1/people/${personId}/imprisonment`, role: 'intake', body: imprisonment };
    case 'release':
      return { path: `/v1/people/${personId}/release`, role: 'intake', body: release };
    case 'deportation':
      return { path: `/v1/people/${personId}/deportation`, role: 'intake', body: deportation };
    case 'passport':
      return { path: `/v1/people/${personId}/documents/passport-confiscations`, role: 'documents', body: confiscation };
  }
}

export interface Load {
  outcomes: Outcome[];
  /** Accepted commands so far. */
  acceptedCount(): number;
  /** Lets the workers finish the command they are in, then resolves. */
  stop(): Promise<Outcome[]>;
}

/**
 * `workers` people are in flight at once; each worker waits `pauseMs` between commands, which
 * keeps the rate steady instead of as fast as the machine goes.
 */
export function startLoad(system: System, { workers = 4, pauseMs = 40, label = 'fault' } = {}): Load {
  const outcomes: Outcome[] = [];
  let running = true;
  let people = 0;
  const tokens = { intake: system.token('intake'), documents: system.token('documents') };

  async function send(
    step: Step,
    personId: string | null,
    fullName: string,
    path: string,
    role: 'intake' | 'documents',
    body: unknown,
  ): Promise<Outcome> {
    const startedAt = Date.now();
    let status = 0;
    let eventIds: string[] = [];
    let id = personId;
    try {
      const response = await system.http<{ id?: string; eventIds?: string[] }>('POST', path, {
        token: tokens[role],
        body,
        timeoutMs: 20_000,
      });
      status = response.status;
      if (accepted({ status })) {
        eventIds = response.body.eventIds ?? [];
        id = response.body.id ?? id;
      }
    } catch {
      status = 0; // no answer at all (connection reset, timeout): an error to the client
    }
    const outcome = { step, personId: id, fullName, status, eventIds, startedAt, endedAt: Date.now() };
    outcomes.push(outcome);
    return outcome;
  }

  async function worker(): Promise<void> {
    while (running) {
      people += 1;
      const fullName = `${givenNames[people % givenNames.length]} ${label}-invented-${people}`;
      const registered = await send('register', null, fullName, '/v1/people', 'intake', {
        fullName,
        citizenships: ['BY'],
        foreignNational: false,
        occupation: 'journalist',
        birthDate: '1979-03-02',
      });
      // A person whose step failed is left where it stopped: the next steps would only be refused.
      if (!accepted(registered)) continue;
      for (const step of ['imprisonment', 'release', 'deportation', 'passport'] as const) {
        if (!running) break;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        const { path, role, body } = route(step, registered.personId);
        if (!accepted(await send(step, registered.personId, fullName, path, role as 'intake' | 'documents', body))) break;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  const done = Promise.all(Array.from({ length: workers }, () => worker()));
  return {
    outcomes,
    acceptedCount: () => outcomes.filter(accepted).length,
    async stop() {
      running = false;
      await done;
      return outcomes;
    },
  };
}
