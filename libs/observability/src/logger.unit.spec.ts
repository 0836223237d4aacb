import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger, loggableError, redactPersonal } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with level, time and the component', () => {
    const { lines, destination } = capture();
    createLogger('gateway', { destination }).info({ status: 201 }, 'request');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', logger: 'gateway', status: 201, msg: 'request' });
    expect(typeof line.time).toBe('string');
  });

  it('takes its level from the options, dropping lower levels', () => {
    const { lines, destination } = capture();
    const logger = createLogger('gateway', { level: 'warn', destination });
    logger.info('dropped');
    logger.warn('kept');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['kept']);
  });

  it('redacts personal fields at any depth, in arrays too, and the authorization header', () => {
    const { lines, destination } = capture();
    createLogger('gateway', { destination }).info(
      {
        fullName: 'SECRET-1',
        person: { aliases: ['SECRET-2'], birthDate: 'SECRET-3', contact: { email: 'SECRET-4', address: 'SECRET-5' } },
        people: [{ name: 'SECRET-6' }],
        condition: { report: { account: 'SECRET-7' } },
        req: { headers: { authorization: 'Bearer SECRET-8' } },
        a: { b: { c: { d: { e: { fullName: 'SECRET-9' } } } } },
        personId: '0190a5a0-0000-7000-8000-000000000000',
      },
      'saved',
    );
    expect(lines[0]).not.toContain('SECRET');
    expect(JSON.parse(lines[0]!)).toMatchObject({ fullName: '[redacted]', personId: '0190a5a0-0000-7000-8000-000000000000' });
  });

  it('redacts inside class instances, ten levels down, and leaves what it was given untouched', () => {
    const { lines, destination } = capture();
    class Registration {
      constructor(
        readonly fullName: string,
        readonly reference: string,
      ) {}
    }
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: { l9: { fullName: 'SECRET-1' } } } } } } } } } };
    const registration = new Registration('SECRET-2', 'REF-1');
    const logger = createLogger('intake', { destination });
    logger.info({ deep, registration, list: [[{ email: 'SECRET-4' }], 'plain'] }, 'saved');
    expect(lines[0]).not.toContain('SECRET');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      registration: { fullName: '[redacted]', reference: 'REF-1' },
      list: [[{ email: '[redacted]' }], 'plain'],
    });
    expect(registration.fullName).toBe('SECRET-2');
    expect(deep.l1.l2.l3.l4.l5.l6.l7.l8.l9.fullName).toBe('SECRET-1');
  });

  it('ends a cycle at its depth limit instead of looping', () => {
    const { lines, destination } = capture();
    const loop: Record<string, unknown> = { fullName: 'SECRET-1' };
    loop['self'] = loop;
    createLogger('gateway', { destination }).info({ loop }, 'cyclic');
    expect(lines[0]).not.toContain('SECRET');
    expect(lines[0]).toContain('[too deep]');
  });
});

describe('redactPersonal', () => {
  it('hands back the very object when nothing in it is personal', () => {
    const line = { status: 201, route: '/v1/people', at: new Date(0), nested: [{ code: 'ok' }] };
    expect(redactPersonal(line)).toBe(line);
  });
});

describe('loggableError', () => {
  it('keeps the class, code and stack frames but not the message', () => {
    const error = Object.assign(new SyntaxError('Unexpected token in {"fullName":"SECRET"}'), { code: 'E_PARSE' });
    const logged = loggableError(error);
    expect(logged).toMatchObject({ type: 'SyntaxError', code: 'E_PARSE' });
    expect(logged.frames).toMatch(/^\s+at /);
    expect(JSON.stringify(logged)).not.toContain('SECRET');
  });

  it('names what was thrown when it is not an Error', () => {
    expect(loggableError('SECRET')).toEqual({ type: 'string' });
  });
});
