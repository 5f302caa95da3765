import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../fhir/sandbox/server.ts';
import { auditAction, fhirAuditPoster, openAuditLog, sha256Hex } from './index.ts';

describe('audit export to a FHIR server (Medplum sandbox, validating)', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: false });
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-fhir-'));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts every kind of record as a valid AuditEvent and reads them back', async () => {
    const log = openAuditLog({ dir });
    const doc = { id: 'prac-1', role: 'clinician' as const };
    await auditAction(log, doc, 'visit.started', { visitId: 'v-1', details: { encounterId: 'enc-1', consent: 'agreed' } });
    await auditAction(log, null, 'recognition.completed', {
      visitId: 'v-1',
      details: { engine: 'sphinx', inputSha256: sha256Hex('a'), outputSha256: sha256Hex('b'), audioSeconds: 3, segments: 1 },
    });
    await auditAction(log, { id: 'mgr-1', role: 'manager' }, 'access.denied', { details: { call: 'visit.get', reason: 'role' } });
    await auditAction(log, doc, 'record.deleted', { visitId: 'v-1', details: { part: 'audio', reason: 'clinician' } });
    await auditAction(log, { id: 'it-1', role: 'admin' }, 'settings.changed', { details: { key: 'retention.audioDays', from: 7, to: 0 } });

    const ids = await log.postFhir(fhirAuditPoster(sandbox.baseUrl), { observer: 'test-workstation' });
    expect(ids).toHaveLength(5);
    expect(ids.every((id) => id.length > 0)).toBe(true);
    const bundle = (await (await fetch(`${sandbox.baseUrl}/AuditEvent?_count=50`)).json()) as {
      entry?: { resource: { subtype: { code: string }[] } }[];
    };
    expect(bundle.entry?.map((e) => e.resource.subtype[0]!.code).sort()).toEqual([
      'access.denied',
      'recognition.completed',
      'record.deleted',
      'settings.changed',
      'visit.started',
    ]);
  });

  it('reports the server refusing an event', async () => {
    const post = fhirAuditPoster(sandbox.baseUrl);
    await expect(post({ resourceType: 'AuditEvent' } as never)).rejects.toThrow(/refused the AuditEvent \(HTTP 400\)/);
    await expect(fhirAuditPoster('http://127.0.0.1:9/fhir')({ resourceType: 'AuditEvent' } as never)).rejects.toThrow(/Could not reach/);
  });
});
