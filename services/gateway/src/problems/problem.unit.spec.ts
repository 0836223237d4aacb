// Every problem kind the domain speaks has its problem document at this edge.
import { describe, expect, it } from '@jest/globals';
import { problemKinds } from '@homeward/decider';
import { isProblemKind, problem, problemDocuments, problemType } from './problem.js';

describe('problem documents', () => {
  it.each(problemKinds)('maps the problem kind %s to an HTTP error status and a title', (kind) => {
    const { status, title } = problemDocuments[kind];
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    expect(title).not.toBe('');
    expect(isProblemKind(kind)).toBe(true);
    expect(problem(kind, 'detail', '/v1/x')).toEqual({ type: problemType(kind), title, status, detail: 'detail', instance: '/v1/x' });
  });

  it('knows no kind the domain does not', () => expect(Object.keys(problemDocuments).sort()).toEqual([...problemKinds].sort()));
});
