// The volume alert; that every logged read fails closed is proved route by route in field-views.unit.spec.ts.
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@homeward/observability';
import { of } from 'rxjs';
import { personSummary, startGateway } from '../testing/gateway-harness.js';
import { AccessVolume, accessAlertConfigFromEnv } from './access-volume.js';

describe('one actor reading many people', () => {
  const capture = () => {
    const lines: string[] = [];
    const logger = createLogger('gateway', {
      level: 'info',
      destination: new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }),
    });
    return { lines, logger };
  };

  it('is a heavy reader past the threshold for the rest of the hour, warned once, with no label naming anyone', () => {
    let now = Date.parse('2025-10-01T10:00:00Z');
    const { lines, logger } = capture();
    const volume = new AccessVolume({ peoplePerHour: 3 }, logger, () => now);
    volume.count('clerk-1', ['p1', 'p2']);
    volume.count('clerk-1', ['p1', 'p2', 'p3']);
    expect(volume.heavyReaders()).toBe(0);
    volume.count('clerk-1', ['p4']);
    volume.count('clerk-1', ['p5']);
    volume.count('clerk-2', ['p1']);
    expect(volume.heavyReaders()).toBe(1);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', actor: 'clerk-1', threshold: 3 });
    expect(volume.metricsText()).toContain('homeward_access_heavy_readers 1\n');
    expect(volume.metricsText()).toContain('homeward_access_people_read_total 8\n');
    expect(volume.metricsText()).not.toMatch(/\{/);
    now += 60 * 60_000;
    expect(volume.heavyReaders()).toBe(0);
    volume.count('clerk-1', ['p1']);
    expect(volume.heavyReaders()).toBe(0);
  });

  it('reads its threshold from ACCESS_ALERT_PEOPLE_PER_HOUR, 500 by default', () => {
    expect(accessAlertConfigFromEnv({})).toEqual({ peoplePerHour: 500 });
    expect(accessAlertConfigFromEnv({ ACCESS_ALERT_PEOPLE_PER_HOUR: '20' })).toEqual({ peoplePerHour: 20 });
    expect(() => accessAlertConfigFromEnv({ ACCESS_ALERT_PEOPLE_PER_HOUR: '0' })).toThrow(/ACCESS_ALERT_PEOPLE_PER_HOUR/);
    expect(() => accessAlertConfigFromEnv({ ACCESS_ALERT_PEOPLE_PER_HOUR: 'many' })).toThrow(/ACCESS_ALERT_PEOPLE_PER_HOUR/);
  });

  it('counts the people every logged read names, and shows it on /metrics', async () => {
    const gateway = await startGateway({ accessAlert: { peoplePerHour: 1 } });
    try {
      gateway.intake.answers.listPeople = () =>
        of({ items: [personSummary(), personSummary({ personId: '01936b2e-7a4c-7d1e-9f3a-2b8c4d5e6f79' })], nextCursor: '' });
      const token = await gateway.token(['intake'], { sub: 'clerk-heavy' });
      expect(
        (await gateway.app.inject({ method: 'GET', url: '/v1/people', headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(200);
      const operator = await gateway.token(['operator'], { sub: 'operator-1' });
      const metrics = (await gateway.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${operator}` } })).body;
      expect(metrics).toContain('homeward_access_heavy_readers 1\n');
      expect(metrics).toContain('homeward_access_people_read_total 2\n');
      const warning = gateway.logs
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line['level'] === 'warn' && line['actor'] === 'clerk-heavy');
      expect(warning).toMatchObject({ threshold: 1 });
      expect(gateway.logs.join('\n')).not.toContain('Test Person');
    } finally {
      await gateway.close();
    }
  });
});
