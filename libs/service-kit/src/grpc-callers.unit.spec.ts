// Every method every service serves has a row in the caller table (its own or its service's
// default): a method added to a proto is never left to the deny-by-default by accident.
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSync } from '@grpc/proto-loader';
import { adminGrpcService, grpcLoaderOptions, grpcServices, protoRoot } from '@homeward/contracts';
import { grpcMethodAccess } from '@homeward/security';

const served = [...Object.values(grpcServices), adminGrpcService].flatMap(({ package: packageName, service, file }) => {
  const definition = loadSync(path.join(protoRoot, file), grpcLoaderOptions)[`${packageName}.${service}`] as Record<
    string,
    { path: string }
  >;
  return Object.values(definition).map((method) => method.path);
});

// Methods of a context's service that belong to the operator surface (a reconciliation reads audit's copy).
const operatorSurface = ['/homeward.audit.v1.AuditService/CopiedStreamHeads', '/homeward.audit.v1.AuditService/CopiedStreamEvents'];

describe('the caller table covers every served method', () => {
  it('knows at least the methods of the six services', () => {
    expect(served.length).toBeGreaterThan(40);
  });

  it.each(served)('%s', (methodPath) => {
    const access = grpcMethodAccess(methodPath);
    expect(access?.callers.length).toBeGreaterThan(0);
    if (methodPath.endsWith('/Health')) expect(access).toEqual({ callers: ['gateway'], token: 'none' });
    else if (methodPath.startsWith(`/${adminGrpcService.package}.`) || operatorSurface.includes(methodPath))
      expect(access?.token).toBe('none');
    else expect(access).toEqual({ callers: ['gateway'], token: 'user' });
  });
});
