import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from '@jest/globals';
import { callerOfCertificate, grpcMethodAccess } from './grpc-callers.js';

const certificate = (CN: unknown) => ({ subject: { CN } }) as unknown as PeerCertificate;

describe('the caller table', () => {
  it("gives a context service's methods to the gateway, with the user's token", () => {
    expect(grpcMethodAccess('/homeward.intake.v1.IntakeService/RegisterPerson')).toEqual({ callers: ['gateway'], token: 'user' });
    expect(grpcMethodAccess('/homeward.audit.v1.AuditService/RecordAccess')).toEqual({ callers: ['gateway'], token: 'user' });
  });

  it('gives Health to the gateway alone, with no token (a probe acts for nobody)', () => {
    expect(grpcMethodAccess('/homeward.legal.v1.LegalService/Health')).toEqual({ callers: ['gateway'], token: 'none' });
  });

  it("gives the admin surface, and audit's side of a reconciliation, to the gateway and to operators' tooling", () => {
    expect(grpcMethodAccess('/homeward.admin.v1.AdminService/RebuildProjection')).toEqual({
      callers: ['gateway', 'operator'],
      token: 'none',
    });
    expect(grpcMethodAccess('/homeward.audit.v1.AuditService/CopiedStreamHeads')).toEqual({
      callers: ['gateway', 'operator'],
      token: 'none',
    });
    expect(grpcMethodAccess('/homeward.audit.v1.AuditService/CopiedStreamEvents')).toEqual({
      callers: ['gateway', 'operator'],
      token: 'none',
    });
  });

  it('names no caller for a method or service it does not list', () => {
    expect(grpcMethodAccess('/homeward.other.v1.OtherService/Anything')).toBeUndefined();
    expect(grpcMethodAccess('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo')).toBeUndefined();
    expect(grpcMethodAccess('/homeward.intake.v1.IntakeService/*')).toEqual({ callers: ['gateway'], token: 'user' });
    expect(grpcMethodAccess('homeward.intake.v1.IntakeService/RegisterPerson')).toBeUndefined();
    expect(grpcMethodAccess('/toString')).toBeUndefined();
  });

  it('takes a caller from the certificate subject CN, only when it is one of ours', () => {
    expect(callerOfCertificate(certificate('gateway'))).toBe('gateway');
    expect(callerOfCertificate(certificate('operator'))).toBe('operator');
    expect(callerOfCertificate(certificate('stranger'))).toBeUndefined();
    expect(callerOfCertificate(certificate(['gateway', 'operator']))).toBeUndefined();
    expect(callerOfCertificate(certificate(undefined))).toBeUndefined();
    expect(callerOfCertificate(undefined)).toBeUndefined();
  });
});
