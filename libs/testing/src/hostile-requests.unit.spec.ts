import { describe, expect, it } from '@jest/globals';
import { answerFaults } from './hostile-requests.js';

const problem = (fields: Record<string, unknown>) =>
  JSON.stringify({
    type: 'https://homeward.example/problems/validation-failed',
    title: 'The request is not valid',
    status: 400,
    ...fields,
  });

describe('answerFaults', () => {
  it('takes the request path echoed in `instance` for what it is, even when the fuzzer put pg_ in it', () => {
    expect(answerFaults(400, 'application/problem+json', problem({ instance: '/v1/people/%20-pg_23eXl/contact-lost' }))).toEqual([]);
  });

  it('names a leak anywhere else the gateway wrote', () => {
    const faults = answerFaults(
      400,
      'application/problem+json',
      problem({ detail: 'duplicate key in relation "person_keys"', instance: '/v1/people' }),
    );
    expect(faults).toEqual([expect.stringMatching(/^reveals internals/)]);
  });

  it('names a 5xx, a body that is not a problem, and the wrong media type', () => {
    expect(answerFaults(500, 'application/problem+json', problem({ status: 500 }))).toEqual(['expected a 4xx']);
    expect(answerFaults(400, 'application/json', '{"error":"x"}')).toEqual(['content-type application/json', 'not a problem document']);
  });
});
