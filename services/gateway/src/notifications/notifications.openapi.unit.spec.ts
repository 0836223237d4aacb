// The notifications routes in /openapi.json: every one there, guarded, with its parameters, body
// and answers; and no view that would carry a recipient's address.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type Harness } from '../testing/gateway-harness.js';

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}
interface Schema {
  required?: string[];
  properties: Record<string, { enum?: string[]; maxLength?: number; maxItems?: number }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let gateway: Harness;
let document: Document;
beforeAll(async () => {
  gateway = await startGateway();
  document = (await gateway.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Document;
}, 30_000);
afterAll(() => gateway.close());

describe('/openapi.json for notifications', () => {
  it('lists every notifications route, each behind the bearer scheme', () => {
    const routes = Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/notifications'));
    expect(
      routes.flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)).sort(),
    ).toEqual([
      'DELETE /v1/notifications/recipients/{recipientId}',
      'GET /v1/notifications/deliveries',
      'GET /v1/notifications/welfare-checks',
      'POST /v1/notifications/recipients',
      'POST /v1/notifications/recipients/{recipientId}/consent-withdrawal',
      'POST /v1/notifications/recipients/{recipientId}/follows',
    ]);
    for (const [path, operations] of routes) {
      for (const operation of Object.values(operations))
        expect({ path, security: operation.security }).toEqual({ path, security: [{ bearer: [] }] });
    }
  });

  it('describes the recipient body and its answers', () => {
    const operation = document.paths['/v1/notifications/recipients']!['post']!;
    expect(operation.requestBody!.content['application/json']!.schema.$ref).toBe('#/components/schemas/RegisterRecipientBody');
    expect(operation.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(['header:Idempotency-Key']);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '201', '400', '401', '403', '413', '422', '500', '503']);
    const body = document.components.schemas['RegisterRecipientBody']!;
    expect(body.required!.sort()).toEqual(['address', 'channel', 'consent', 'role']);
    expect(body.properties['role']!.enum).toEqual(['family', 'lawyer', 'partner-organisation', 'caseworker']);
    expect(body.properties['channel']!.enum).toEqual(['email', 'webhook']);
    expect(body.properties['address']!.maxLength).toBe(2048);
    expect(body.properties['follows']!.maxItems).toBe(1000);
    expect(operation.responses['201']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/RegisterRecipientResultView');
    const answer = document.components.schemas['RegisterRecipientResultView']!;
    expect(answer.required ?? []).not.toContain('webhookSecret');
    expect(JSON.stringify(answer.properties['webhookSecret'])).toMatch(/t=<Unix seconds>,v1=.*5 minutes.*delivery ids/);
  });

  it('describes the changes of a recipient: path, If-Match, body and answers', () => {
    const withdrawal = document.paths['/v1/notifications/recipients/{recipientId}/consent-withdrawal']!['post']!;
    const follows = document.paths['/v1/notifications/recipients/{recipientId}/follows']!['post']!;
    for (const operation of [withdrawal, follows]) {
      expect(operation.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
        'header:Idempotency-Key',
        'header:If-Match',
        'path:recipientId',
      ]);
      expect(operation.responses['201']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/CommandResultView');
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['404', '409', '422']));
    }
    expect(withdrawal.requestBody).toBeUndefined();
    expect(follows.requestBody!.content['application/json']!.schema.$ref).toBe('#/components/schemas/ChangeFollowsBody');
    expect(document.components.schemas['ChangeFollowsBody']!.required).toEqual(['follows']);
  });

  it('describes the erasure of a recipient: path, headers, 200 and its problems', () => {
    const erasure = document.paths['/v1/notifications/recipients/{recipientId}']!['delete']!;
    expect(erasure.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'header:Idempotency-Key',
      'header:If-Match',
      'path:recipientId',
    ]);
    expect(erasure.requestBody).toBeUndefined();
    expect(Object.keys(erasure.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '422', '500', '503']);
    expect(erasure.responses['200']!.content!['application/json']!.schema.$ref).toBe('#/components/schemas/CommandResultView');
  });

  it('describes the query parameters and pages, with no address in them', () => {
    const parameters = (path: string) => document.paths[path]!['get']!.parameters!.map((p) => `${p.name}${p.required ? '*' : ''}`).sort();
    expect(parameters('/v1/notifications/deliveries')).toEqual(['cursor', 'limit', 'personId*']);
    expect(parameters('/v1/notifications/welfare-checks')).toEqual(['cursor', 'limit', 'overdue', 'personId']);
    const schemas = document.components.schemas;
    expect(Object.keys(schemas['DeliveryView']!.properties).sort()).toEqual(
      [
        'attempts',
        'causeEventId',
        'channel',
        'deliveredAt',
        'kind',
        'lastAttemptAt',
        'lastErrorCode',
        'nextAttemptAt',
        'notificationId',
        'personId',
        'queuedAt',
        'recipientId',
        'status',
        'urgent',
      ].sort(),
    );
    expect(schemas['DeliveryView']!.properties['status']!.enum).toEqual(['queued', 'delivered', 'failed', 'cancelled']);
    expect(schemas['WelfareCheckView']!.properties['status']!.enum).toEqual(['scheduled', 'overdue', 'cleared', 'cancelled']);
    expect(schemas['WelfareCheckView']!.properties['escalation']!.enum).toEqual(['none', 'escalated', 'unconfigured']);
    expect(schemas['WelfareCheckView']!.properties['escalationReason']!.enum).toEqual(['no-followers', 'deliveries-failed', null]);
    expect(schemas['WelfareCheckView']!.required).toEqual(
      expect.arrayContaining(['escalation', 'escalationReason', 'escalatedAt', 'escalationNotificationIds']),
    );
    expect(Object.keys(schemas['DeliveriesPage']!.properties).sort()).toEqual(['items', 'nextCursor']);
  });
});
