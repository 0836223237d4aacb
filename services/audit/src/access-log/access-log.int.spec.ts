// Audit records who read which person's data and lists it by person and actor, over gRPC, against
// the real PostgreSQL. Invented people only.
import { describe, expect, it } from '@jest/globals';
import { v7 as uuidv7 } from 'uuid';
import { auditHarnessWith } from '../testing/audit-harness.js';
import { newPersonId } from '../testing/events.js';

describe('the access log', () => {
  const personA = newPersonId();
  const personB = newPersonId();
  const audit = auditHarnessWith('audit_access');

  it('records reads of a person file and lists them by person and actor', async () => {
    const base = {
      roles: ['legal'],
      personIds: [],
      fields: ['person', 'documents', 'legal'],
      correlationId: uuidv7(),
      route: 'GET /v1/people/:personId',
    };
    await audit.client.recordAccess({ ...base, actor: 'advisor-1', personId: personA, at: '2025-10-01T10:00:00Z' });
    await audit.client.recordAccess({ ...base, actor: 'advisor-2', personId: personA, at: '2025-10-01T11:00:00Z' });
    await audit.client.recordAccess({ ...base, actor: 'advisor-1', personId: personB, at: '2025-10-01T12:00:00Z' });
    const forA = await audit.client.listAccessLog({
      personId: personA,
      actor: '',
      from: '2025-10-01T00:00:00Z',
      to: '',
      limit: 1,
      cursor: '',
    });
    expect(forA.items).toEqual([
      expect.objectContaining({
        actor: 'advisor-1',
        personId: personA,
        roles: ['legal'],
        fields: ['person', 'documents', 'legal'],
        at: '2025-10-01T10:00:00.000Z',
      }),
    ]);
    const next = await audit.client.listAccessLog({
      personId: personA,
      actor: '',
      from: '2025-10-01T00:00:00Z',
      to: '',
      limit: 1,
      cursor: forA.nextCursor,
    });
    expect(next.items.map((item) => item.actor)).toEqual(['advisor-2']);
    const byActor = await audit.client.listAccessLog({
      personId: '',
      actor: 'advisor-1',
      from: '2025-10-01T11:30:00Z',
      to: '',
      limit: 10,
      cursor: '',
    });
    expect(byActor.items.map((item) => item.personId)).toEqual([personB]);
    expect(byActor.items.map((item) => item.personIds)).toEqual([[personB]]);
    await expect(audit.client.recordAccess({ ...base, actor: '', personId: personA, at: '2025-10-01T10:00:00Z' })).rejects.toMatchObject({
      code: 3,
    });
  });

  it('records a list read naming everyone on the page, and finds it by any of them', async () => {
    const personC = newPersonId();
    const base = {
      roles: ['documents'],
      personId: '',
      fields: ['items.personId', 'items.status'],
      correlationId: uuidv7(),
      route: 'GET /v1/documents/undocumented',
    };
    await audit.client.recordAccess({ ...base, actor: 'clerk-list', personIds: [personB, personC, personB], at: '2025-10-02T10:00:00Z' });
    await audit.client.recordAccess({ ...base, actor: 'clerk-list', personIds: [], at: '2025-10-02T11:00:00Z' });
    const forC = await audit.client.listAccessLog({ personId: personC, actor: '', from: '', to: '', limit: 10, cursor: '' });
    expect(forC.items).toEqual([
      expect.objectContaining({
        actor: 'clerk-list',
        personIds: [personB, personC],
        personId: '',
        fields: ['items.personId', 'items.status'],
      }),
    ]);
    // Older entries (one person_id) and list entries are found alike by a person.
    const forB = await audit.client.listAccessLog({
      personId: personB,
      actor: '',
      from: '2025-10-01T00:00:00Z',
      to: '',
      limit: 10,
      cursor: '',
    });
    expect(forB.items.map((item) => item.actor)).toEqual(['advisor-1', 'clerk-list']);
    const byActor = await audit.client.listAccessLog({ personId: '', actor: 'clerk-list', from: '', to: '', limit: 10, cursor: '' });
    expect(byActor.items.map((item) => item.personIds)).toEqual([[personB, personC], []]);
    await expect(
      audit.client.recordAccess({ ...base, actor: 'clerk-list', personIds: [''], at: '2025-10-02T10:00:00Z' }),
    ).rejects.toMatchObject({ code: 3 });
  });
});
