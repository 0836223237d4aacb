import type { Logger } from '@homeward/observability';

export interface AccessAlertConfig {
  /** Different people one actor may read in an hour before the gateway raises the alert. */
  peoplePerHour: number;
}

export const defaultAccessAlert: AccessAlertConfig = { peoplePerHour: 500 };

const windowMs = 60 * 60_000;

export function accessAlertConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AccessAlertConfig {
  const raw = env['ACCESS_ALERT_PEOPLE_PER_HOUR'];
  if (raw === undefined || raw === '') return defaultAccessAlert;
  const peoplePerHour = Number(raw);
  if (!Number.isInteger(peoplePerHour) || peoplePerHour < 1)
    throw new Error('ACCESS_ALERT_PEOPLE_PER_HOUR must be a whole number of people, 1 or more');
  return { peoplePerHour };
}

interface Window {
  startedAt: number;
  /** Different people read in this window; no more than the threshold is kept, that is enough to know. */
  people: Set<string>;
  alerted: boolean;
}

/**
 * One actor reading many people is how a leak looks from inside. Each actor's reads are counted in
 * windows of an hour from their first read; past ACCESS_ALERT_PEOPLE_PER_HOUR different people the
 * actor is a heavy reader until the window ends: a warning names the actor (a token subject, not a
 * person at risk) once per window, and the gauge counts heavy readers, so no label names anyone.
 * Counted per gateway process.
 */
export class AccessVolume {
  private readonly windows = new Map<string, Window>();
  private peopleRead = 0;

  constructor(
    private readonly config: AccessAlertConfig,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  count(actor: string, personIds: readonly string[]): void {
    this.peopleRead += personIds.length;
    const now = this.now();
    let window = this.windows.get(actor);
    if (!window || now - window.startedAt >= windowMs) {
      window = { startedAt: now, people: new Set(), alerted: false };
      this.windows.set(actor, window);
    }
    for (const personId of personIds) {
      if (window.people.size > this.config.peoplePerHour) break;
      window.people.add(personId);
    }
    if (!window.alerted && window.people.size > this.config.peoplePerHour) {
      window.alerted = true;
      this.logger.warn(
        { actor, threshold: this.config.peoplePerHour, windowStartedAt: new Date(window.startedAt).toISOString() },
        'one actor read more people in an hour than ACCESS_ALERT_PEOPLE_PER_HOUR',
      );
    }
  }

  /** Actors over the threshold in their current window; ended windows are forgotten on the way. */
  heavyReaders(): number {
    const now = this.now();
    let heavy = 0;
    for (const [actor, window] of this.windows) {
      if (now - window.startedAt >= windowMs) this.windows.delete(actor);
      else if (window.alerted) heavy += 1;
    }
    return heavy;
  }

  /** Prometheus text: no label at all, so nothing personal or unbounded. */
  metricsText(): string {
    return [
      '# TYPE homeward_access_people_read_total counter',
      `homeward_access_people_read_total ${this.peopleRead}`,
      '# TYPE homeward_access_heavy_readers gauge',
      `homeward_access_heavy_readers ${this.heavyReaders()}`,
      '# TYPE homeward_access_alert_people_per_hour gauge',
      `homeward_access_alert_people_per_hour ${this.config.peoplePerHour}`,
      '',
    ].join('\n');
  }
}
