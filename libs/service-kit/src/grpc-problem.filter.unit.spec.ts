// The one error mapping inside services: domain errors keep their kind and code, a database that
// is gone answers UNAVAILABLE (the caller may retry), and anything else is INTERNAL with no details.
import { describe, expect, it } from '@jest/globals';
import { DomainError, problemKinds } from '@homeward/decider';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { grpcStatusOf, toGrpcError } from './grpc-problem.filter.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('toGrpcError', () => {
  it.each(problemKinds)('maps the problem kind %s to a gRPC status', (kind) => {
    expect(Number.isInteger(grpcStatusOf[kind])).toBe(true);
    expect(toGrpcError(new DomainError(kind, 'some.code', 'refused')).code).toBe(grpcStatusOf[kind]);
  });

  it('keeps a domain error its kind and stable code', () => {
    const answer = toGrpcError(new DomainError('version-conflict', 'stream.version-conflict', 'the stream has moved on'));
    expect(answer.code).toBe(10);
    expect(answer.details).toBe('the stream has moved on');
  });

  it.each([
    ['a backend terminated by the administrator', pgError('57P01', 'terminating connection due to administrator command')],
    ['a connection failure', pgError('08006', 'connection failure')],
    ['a deadlock Postgres broke', pgError('40P01', 'deadlock detected')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a transaction whose connection died between two statements', new QueryRunnerAlreadyReleasedError()],
  ])('answers UNAVAILABLE for %s', (_, error) => {
    const answer = toGrpcError(error);
    expect(answer.code).toBe(14);
    expect(answer.details).toBe('database unavailable, try again');
  });

  it('answers INTERNAL with no details for anything else, a constraint violation included', () => {
    for (const error of [
      new Error('Cannot read properties of undefined'),
      pgError('23505', 'duplicate key value violates unique constraint "people_pkey"'),
    ]) {
      const answer = toGrpcError(error);
      expect(answer.code).toBe(13);
      expect(answer.details).toBe('internal error');
    }
  });
});
