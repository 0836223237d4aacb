import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger, loggableError } from './logger.js';

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
