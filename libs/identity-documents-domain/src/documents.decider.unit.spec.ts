import { describe, it } from '@jest/globals';
import { specFor } from '@homeward/decider/testing';
import type { DocumentsCommand } from './documents.commands.js';
import { documentsDecider } from './documents.decider.js';
import type { DocumentsEvent } from './documents.events.js';

const given = specFor(documentsDecider);
const personId = '0190a000-0000-7000-8000-000000000001';
const applicationId = '0190a000-0000-7000-8000-0000000000a1';
const otherApplicationId = '0190a000-0000-7000-8000-0000000000a2';

const confiscated: DocumentsEvent = {
  type: 'PassportConfiscated',
  data: { personId, confiscatedAt: '2025-09-11T06:00:00.000Z', authority: 'kgb', place: 'Minsk, pre-trial detention centre' },
};
const destroyed: DocumentsEvent = {
  type: 'PassportDestroyed',
  data: { personId, destroyedAt: '2025-09-11T07:00:00.000Z', authority: 'kgb', account: 'torn apart in front of the invented witness' },
};
const a4Certificate: DocumentsEvent = {
  type: 'TemporaryCertificateIssued',
  data: { personId, issuedAt: '2025-09-11T09:00:00.000Z', issuer: 'OGiM', format: 'A4', validAsIdentityDocument: false },
};
const applied: DocumentsEvent = {
  type: 'TravelDocumentApplied',
  data: { personId, applicationId, appliedAt: '2025-09-20T10:00:00.000Z', country: 'LT', documentType: 'aliens-passport' },
};
const issued: DocumentsEvent = {
  type: 'TravelDocumentIssued',
  data: {
    personId,
    applicationId,
    issuedAt: '2025-10-20T10:00:00.000Z',
    country: 'LT',
    documentType: 'aliens-passport',
    validUntil: '2030-10-19',
  },
};
const refused: DocumentsEvent = {
  type: 'TravelDocumentRefused',
  data: {
    personId,
    applicationId,
    refusedAt: '2025-10-20T10:00:00.000Z',
    country: 'LT',
    documentType: 'aliens-passport',
    reason: 'identity not established',
  },
};

const confiscate = (data: Partial<typeof confiscated.data> = {}): DocumentsCommand => ({
  type: 'RecordPassportConfiscation',
  data: { ...confiscated.data, ...data },
});
const destroy = (data: Partial<typeof destroyed.data> = {}): DocumentsCommand => ({
  type: 'RecordPassportDestruction',
  data: { ...destroyed.data, ...data },
});
const certify = (data: Partial<typeof a4Certificate.data> = {}): DocumentsCommand => ({
  type: 'IssueTemporaryCertificate',
  data: { ...a4Certificate.data, ...data },
});
const apply = (data: Partial<typeof applied.data> = {}): DocumentsCommand => ({
  type: 'ApplyForTravelDocument',
  data: { ...applied.data, ...data },
});
const issue = (issuedAt = '2025-10-20T10:00:00.000Z', validUntil = '2030-10-19', id = applicationId): DocumentsCommand => ({
  type: 'DecideTravelDocumentApplication',
  data: { personId, applicationId: id, decision: 'issued', issuedAt, validUntil },
});
const refuse = (refusedAt = '2025-10-20T10:00:00.000Z', id = applicationId): DocumentsCommand => ({
  type: 'DecideTravelDocumentApplication',
  data: { personId, applicationId: id, decision: 'refused', refusedAt, reason: 'identity not established' },
});

describe('documents decider', () => {
  describe('given nothing recorded (the passport is presumed held)', () => {
    it('records a confiscation', () => given().when(confiscate()).then(confiscated));
    it('records a destruction', () => given().when(destroy()).then(destroyed));
    it('records the OGiM A4 certificate as not valid as an identity document', () => given().when(certify()).then(a4Certificate));
    it('records another issuer’s certificate that is valid as an identity document', () =>
      given()
        .when(certify({ issuer: 'Migration Department of Lithuania', format: 'card', validAsIdentityDocument: true }))
        .then({
          ...a4Certificate,
          data: { ...a4Certificate.data, issuer: 'Migration Department of Lithuania', format: 'card', validAsIdentityDocument: true },
        }));
    it('records an application', () => given().when(apply()).then(applied));
    it('refuses a decision on an unknown application with not-found', () =>
      given().when(issue()).thenThrows('travel-document.application-not-found'));
  });

  describe('validates what any gRPC caller may send', () => {
    it.each(['2025-09-11', '2025-09-11T06:00:00', 'yesterday', '2025-02-30T06:00:00Z', ''])('refuses the time %p', (confiscatedAt) =>
      given().when(confiscate({ confiscatedAt })).thenThrows('documents.time-invalid'),
    );
    it('accepts a time with an offset', () =>
      given()
        .when(confiscate({ confiscatedAt: '2025-09-11T09:00:00+03:00' }))
        .then({ ...confiscated, data: { ...confiscated.data, confiscatedAt: '2025-09-11T09:00:00+03:00' } }));
    it('refuses an unknown authority for a confiscation', () =>
      given()
        .when(confiscate({ authority: 'police' }))
        .thenThrows('passport.authority-unknown'));
    it('refuses an unknown authority for a destruction', () =>
      given()
        .when(destroy({ authority: 'KGB' }))
        .thenThrows('passport.authority-unknown'));
    it('refuses a destruction without a valid time', () =>
      given()
        .when(destroy({ destroyedAt: 'soon' }))
        .thenThrows('documents.time-invalid'));
    it('refuses a certificate without an issuer', () =>
      given()
        .when(certify({ issuer: ' ' }))
        .thenThrows('certificate.issuer-or-format-missing'));
    it('refuses a certificate without a format', () =>
      given()
        .when(certify({ format: '' }))
        .thenThrows('certificate.issuer-or-format-missing'));
    it('refuses a certificate without a valid time', () =>
      given()
        .when(certify({ issuedAt: '2025-09-11' }))
        .thenThrows('documents.time-invalid'));
    it('refuses an unknown document type', () =>
      given()
        .when(apply({ documentType: 'passport' }))
        .thenThrows('travel-document.type-unknown'));
    it.each(['lt', 'LTU', ''])('refuses the country %p', (country) =>
      given().when(apply({ country })).thenThrows('travel-document.country-invalid'),
    );
    it('refuses an application without a valid time', () =>
      given()
        .when(apply({ appliedAt: '20.09.2025' }))
        .thenThrows('documents.time-invalid'));
    it('refuses an issue without a valid time', () => given(applied).when(issue('2025-10-20')).thenThrows('documents.time-invalid'));
    it('refuses a refusal without a valid time', () => given(applied).when(refuse('later')).thenThrows('documents.time-invalid'));
    it.each(['2030-02-30', '19.10.2030', '2030-10-19T00:00:00Z'])('refuses validUntil %p', (validUntil) =>
      given(applied).when(issue(undefined, validUntil)).thenThrows('travel-document.valid-until-invalid'),
    );
  });

  describe('the OGiM A4 certificate', () => {
    it.each([
      ['OGiM', 'A4'],
      ['ogim', 'a4'],
      [' OGIM ', 'A4'],
    ])('refuses %p %p claimed valid as an identity document', (issuer, format) =>
      given(confiscated)
        .when(certify({ issuer, format, validAsIdentityDocument: true }))
        .thenThrows('certificate.ogim-a4-not-identity-document'),
    );
    it('records a second certificate', () => given(confiscated, a4Certificate).when(certify()).then(a4Certificate));
  });

  describe('given a confiscated passport', () => {
    it('refuses a second confiscation', () => given(confiscated).when(confiscate()).thenThrows('passport.already-confiscated'));
    it('records its destruction (by whoever holds it)', () => given(confiscated).when(destroy()).then(destroyed));
  });

  describe('given a destroyed passport', () => {
    it('refuses a confiscation', () => given(destroyed).when(confiscate()).thenThrows('passport.already-destroyed'));
    it('refuses a second destruction', () => given(destroyed).when(destroy()).thenThrows('passport.already-destroyed'));
    it('refuses a destruction after a confiscation and a destruction', () =>
      given(confiscated, destroyed).when(destroy()).thenThrows('passport.already-destroyed'));
  });

  describe('given an open application', () => {
    it('refuses a second application with the same id', () =>
      given(applied)
        .when(apply({ country: 'PL', documentType: 'humanitarian-visa' }))
        .thenThrows('travel-document.application-exists'));
    it('refuses a second open application for the same document from the same country', () =>
      given(applied)
        .when(apply({ applicationId: otherApplicationId }))
        .thenThrows('travel-document.application-pending'));
    it('records an application for another document or from another country', () => {
      given(applied)
        .when(apply({ applicationId: otherApplicationId, documentType: 'residence-permit' }))
        .then({ ...applied, data: { ...applied.data, applicationId: otherApplicationId, documentType: 'residence-permit' } });
      given(applied)
        .when(apply({ applicationId: otherApplicationId, country: 'PL' }))
        .then({ ...applied, data: { ...applied.data, applicationId: otherApplicationId, country: 'PL' } });
    });
    it('issues the document, with the country and type of the application', () => given(applied).when(issue()).then(issued));
    it('issues the document on the day of application', () =>
      given(applied)
        .when(issue('2025-09-20T10:00:00.000Z', '2025-09-20'))
        .then({ ...issued, data: { ...issued.data, issuedAt: '2025-09-20T10:00:00.000Z', validUntil: '2025-09-20' } }));
    it('issues the document without a known expiry', () =>
      given(applied)
        .when(issue(undefined, ''))
        .then({ ...issued, data: { ...issued.data, validUntil: '' } }));
    it('refuses the document, with the country and type of the application', () => given(applied).when(refuse()).then(refused));
    it('refuses an issue dated before the application', () =>
      given(applied).when(issue('2025-09-20T09:59:59.999Z')).thenThrows('travel-document.decided-before-application'));
    it('compares instants, not text: an offset that is later in UTC is accepted', () =>
      given(applied)
        .when(issue('2025-09-20T12:30:00+02:00', ''))
        .then({ ...issued, data: { ...issued.data, issuedAt: '2025-09-20T12:30:00+02:00', validUntil: '' } }));
    it('refuses a refusal dated before the application', () =>
      given(applied).when(refuse('2025-09-19T10:00:00.000Z')).thenThrows('travel-document.decided-before-application'));
    it('refuses a document that expires before the day it was issued', () =>
      given(applied).when(issue(undefined, '2025-10-19')).thenThrows('travel-document.expires-before-issue'));
    it('refuses a decision on another, unknown application', () =>
      given(applied).when(refuse(undefined, otherApplicationId)).thenThrows('travel-document.application-not-found'));
  });

  describe('given a decided application', () => {
    it('refuses a second decision after an issue', () =>
      given(applied, issued).when(refuse()).thenThrows('travel-document.already-decided'));
    it('refuses the same issue twice', () => given(applied, issued).when(issue()).thenThrows('travel-document.already-decided'));
    it('refuses a second decision after a refusal', () =>
      given(applied, refused).when(issue()).thenThrows('travel-document.already-decided'));
    it('records a new application for the same document once the first was refused', () =>
      given(applied, refused)
        .when(apply({ applicationId: otherApplicationId }))
        .then({ ...applied, data: { ...applied.data, applicationId: otherApplicationId } }));
    it('records a new application for the same document once the first was issued', () =>
      given(applied, issued)
        .when(apply({ applicationId: otherApplicationId }))
        .then({ ...applied, data: { ...applied.data, applicationId: otherApplicationId } }));
  });
});
