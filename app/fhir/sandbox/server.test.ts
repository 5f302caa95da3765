import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, DocumentReference, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { startSandbox, type Sandbox } from './server.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: true });
});
afterAll(async () => {
  await sandbox?.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sandbox.baseUrl + path, {
    method,
    headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('sandbox EHR server', () => {
  it('listens on loopback and serves FHIR R4 at /fhir/R4', async () => {
    expect(sandbox.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.baseUrl).toBe(sandbox.origin + '/fhir/R4');
    const meta = await call('GET', '/metadata');
    expect(meta.body.fhirVersion).toBe('4.0.1');
  });

  it('rejects an invalid resource with 400 and an OperationOutcome, storing nothing', async () => {
    const bad = await call('POST', '/Patient', {
      resourceType: 'Patient',
      birthDate: 'last spring',
      identifier: [{ system: 'urn:t', value: 'bad' }],
    });
    expect(bad.status).toBe(400);
    const outcome = bad.body as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', expression: ['Patient.birthDate'] });
    const found = await call('GET', '/Patient?identifier=urn:t|bad');
    expect(found.body.entry ?? []).toHaveLength(0);

    const notJson = await call('POST', '/Patient', '{"resourceType": "Patient",');
    expect(notJson.status).toBe(400);
    expect(notJson.body.resourceType).toBe('OperationOutcome');

    const unsupported = await call('POST', '/ResearchStudy', { resourceType: 'ResearchStudy', status: 'active' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.issue[0].details.text).toMatch(/does not store ResearchStudy resources/);

    const unknownField = await call('POST', '/DocumentReference', {
      resourceType: 'DocumentReference',
      status: 'current',
      content: [{ attachment: { contentType: 'text/plain' } }],
      colour: 'blue',
    });
    expect(unknownField.status).toBe(400);
    expect(JSON.stringify(unknownField.body)).toContain('colour');
  });

  it('stores a retried conditional create (If-None-Exist) once', async () => {
    const patient: Patient = {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:test:mrn', value: 'retry-1' }],
      name: [{ family: 'Once' }],
    };
    const first = await call('POST', '/Patient', patient, { 'if-none-exist': 'identifier=urn:test:mrn|retry-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toMatch(new RegExp(`/fhir/R4/Patient/${first.body.id}/_history/${first.body.meta.versionId}$`));
    expect(first.headers.get('etag')).toBe(`W/"${first.body.meta.versionId}"`);
    const again = await Promise.all(
      [1, 2, 3, 4, 5].map(() => call('POST', '/Patient', patient, { 'if-none-exist': 'identifier=urn:test:mrn|retry-1' })),
    );
    for (const r of again) {
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(first.body.id);
    }
    const found = await call('GET', '/Patient?identifier=urn:test:mrn|retry-1');
    expect(found.body.entry).toHaveLength(1);
  });

  it('reads, updates with If-Match (412 on a stale version) and keeps history', async () => {
    const created = await call('POST', '/Patient', { resourceType: 'Patient', name: [{ family: 'Versioned' }] });
    const id = created.body.id as string;
    const v1 = created.body.meta.versionId as string;
    const read = await call('GET', `/Patient/${id}`);
    expect(read.headers.get('etag')).toBe(`W/"${v1}"`);
    const updated = await call('PUT', `/Patient/${id}`, { ...read.body, gender: 'female' }, { 'if-match': `W/"${v1}"` });
    expect(updated.status).toBe(200);
    expect(updated.body.meta.versionId).not.toBe(v1);
    const stale = await call('PUT', `/Patient/${id}`, { ...read.body, gender: 'male' }, { 'if-match': `W/"${v1}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    const history = await call('GET', `/Patient/${id}/_history`);
    expect(history.body.entry.map((e: any) => e.resource.meta.versionId)).toEqual([updated.body.meta.versionId, v1]);
    const again = await call('GET', `/Patient/${id}/_history`);
    expect(again.body.entry.map((e: any) => e.resource.meta.versionId)).toEqual([updated.body.meta.versionId, v1]);
  });

  it('runs a transaction whole, resolves urn:uuid references and reads back', async () => {
    const tx: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:0b4f8a52-6c3e-4c53-9a8e-2f1b0d6f7a01',
          resource: {
            resourceType: 'DocumentReference',
            status: 'current',
            identifier: [{ system: 'urn:test:note', value: 'tx-1' }],
            subject: { reference: 'Patient/maria-gonzalez' },
            content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('hello').toString('base64') } }],
          },
          request: { method: 'POST', url: 'DocumentReference', ifNoneExist: 'identifier=urn:test:note|tx-1' },
        },
        {
          resource: {
            resourceType: 'Provenance',
            target: [{ reference: 'urn:uuid:0b4f8a52-6c3e-4c53-9a8e-2f1b0d6f7a01' }],
            recorded: '2026-11-25T10:00:00Z',
            agent: [{ who: { reference: 'Practitioner/dana-reyes' } }],
          },
          request: { method: 'POST', url: 'Provenance' },
        },
      ],
    };
    const res = await call('POST', '', tx);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const docId = res.body.entry[0].resource.id;
    expect(res.body.entry[0].response.status).toBe('201');
    expect(res.body.entry[1].resource.target[0].reference).toBe(`DocumentReference/${docId}`);
    const doc = (await call('GET', `/DocumentReference/${docId}`)).body as DocumentReference;
    expect(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString()).toBe('hello');
  });

  it('rolls a transaction back when one entry is invalid', async () => {
    const tx: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: {
            resourceType: 'DocumentReference',
            status: 'current',
            identifier: [{ system: 'urn:test:note', value: 'tx-rollback' }],
            content: [{ attachment: { contentType: 'text/plain', data: 'aGk=' } }],
          },
          request: { method: 'POST', url: 'DocumentReference' },
        },
        {
          resource: {
            resourceType: 'Provenance',
            target: [{ reference: 'Patient/x' }],
            recorded: 'not an instant',
            agent: [{ who: { display: 'x' } }],
          } as never,
          request: { method: 'POST', url: 'Provenance' },
        },
      ],
    };
    const res = await call('POST', '', tx);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).toContain('Provenance.recorded');
    const found = await call('GET', '/DocumentReference?identifier=urn:test:note|tx-rollback');
    expect(found.body.entry ?? []).toHaveLength(0);
  });

  it('is seeded with a practitioner, patients, their problems and medications', async () => {
    const practitioner = await call('GET', '/Practitioner/dana-reyes');
    expect(practitioner.body.name[0].family).toBe('Reyes');
    const patients = await call('GET', '/Patient?general-practitioner=Practitioner/dana-reyes');
    expect(patients.body.entry.length).toBeGreaterThanOrEqual(5);
    const conditions = await call('GET', '/Condition?patient=maria-gonzalez&clinical-status=active');
    expect(conditions.body.entry.map((e: any) => e.resource.code.coding[0].code).sort()).toEqual(['E11.9', 'I10']);
  });

  it('answers unknown paths with 404 OperationOutcome', async () => {
    const res = await fetch(sandbox.origin + '/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
  });
});
