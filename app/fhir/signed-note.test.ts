import { describe, expect, it } from 'vitest';
import type { Condition, Device, DocumentReference, Provenance } from '@medplum/fhirtypes';
import { buildSignedNoteBundle, NOTE_IDENTIFIER_SYSTEM, PROVENANCE_TAG_SYSTEM, type SignedNoteInput } from './signed-note.ts';
import { validateBundleResources } from './post-signed-note.ts';
import { EhrError } from './ehr-error.ts';
import { demoSignedNote, sandboxWriteContext } from '../../testing/fhir/demo-note.ts';

const note: SignedNoteInput = demoSignedNote('note-visit-42', {
  practitionerName: 'Dr. Dana Reyes',
  sections: [
    { id: 'subjective', title: 'Subjective', text: 'Feels well, blood sugars 120s.' },
    { id: 'plan', title: 'Plan', text: 'Continue metformin 500 mg twice daily. <b>not html</b>' },
  ],
  signedAt: '2026-11-25T15:04:05.000Z',
  period: { start: '2026-11-25T14:30:00.000Z', end: '2026-11-25T14:52:00.000Z' },
  drafter: { engine: 'builtin', version: '0.3.1', model: 'section-classifier-2026-11' },
  recognizer: { engine: 'sphinx', model: 'en-us' },
});

function byType<T>(
  bundle: ReturnType<typeof buildSignedNoteBundle>,
  type: string,
): { resource: T; request: NonNullable<NonNullable<typeof bundle.entry>[number]['request']>; fullUrl?: string }[] {
  return (bundle.entry ?? [])
    .filter((e) => e.resource?.resourceType === type)
    .map((e) => ({ resource: e.resource as T, request: e.request!, fullUrl: e.fullUrl }));
}

describe('buildSignedNoteBundle', () => {
  const bundle = buildSignedNoteBundle(note, sandboxWriteContext());
  const [doc] = byType<DocumentReference>(bundle, 'DocumentReference');

  it('is a transaction whose every entry is a conditional create', () => {
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry!.length).toBe(4); // Device, DocumentReference, Condition, Provenance
    for (const entry of bundle.entry!) {
      expect(entry.request?.method).toBe('POST');
      expect(entry.request?.ifNoneExist).toMatch(/^(identifier|_tag)=/);
      expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('maps the note to a US Core clinical-note DocumentReference', () => {
    const d = doc!.resource;
    expect(d.status).toBe('current');
    expect(d.docStatus).toBe('final');
    expect(d.type?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '11506-3' });
    expect(d.category?.[0]?.coding?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
      code: 'clinical-note',
    });
    expect(d.subject?.reference).toBe('Patient/maria-gonzalez');
    expect(d.context?.encounter?.[0]?.reference).toBe('Encounter/enc-today-1');
    expect(d.context?.period).toEqual(note.period);
    expect(d.author?.[0]?.reference).toBe('Practitioner/dana-reyes');
    expect(d.authenticator?.reference).toBe('Practitioner/dana-reyes');
    expect(d.date).toBe(note.signedAt);
    expect(d.identifier?.[0]).toEqual({ system: 'http://scribe.example.org/fhir/identifier/note', value: 'note-visit-42' });
    expect(doc!.request.ifNoneExist).toBe(`identifier=${encodeURIComponent(NOTE_IDENTIFIER_SYSTEM)}|note-visit-42`);
    const plain = d.content[0]!.attachment;
    expect(plain.contentType).toBe('text/plain');
    expect(Buffer.from(plain.data!, 'base64').toString('utf8')).toBe(note.text);
    expect(plain.size).toBe(Buffer.byteLength(note.text));
    const html = Buffer.from(d.content[1]!.attachment.data!, 'base64').toString('utf8');
    expect(d.content[1]!.attachment.contentType).toBe('text/html');
    expect(html).toContain('<h2>Plan</h2>');
    expect(html).toContain('&#60;b&#62;not html&#60;/b&#62;');
    expect(d.meta?.security?.[0]?.code).toBe('AIAST');
  });

  it('files new-patient visits as a History and physical note', () => {
    const b = buildSignedNoteBundle({ ...note, visitType: 'new-patient' }, sandboxWriteContext());
    expect(byType<DocumentReference>(b, 'DocumentReference')[0]!.resource.type?.coding?.[0]?.code).toBe('34117-2');
    expect(
      byType<DocumentReference>(
        buildSignedNoteBundle({ ...note, visitType: 'Something odd' }, sandboxWriteContext()),
        'DocumentReference',
      )[0]!.resource.type?.coding?.[0]?.code,
    ).toBe('11506-3');
  });

  it('names the drafting software and the signing clinician in the Provenance', () => {
    const [prov] = byType<Provenance>(bundle, 'Provenance');
    const [device] = byType<Device>(bundle, 'Device');
    const p = prov!.resource;
    expect(p.target.map((t) => t.reference)).toContain(doc!.fullUrl);
    const codes = p.agent.map((a) => a.type?.coding?.[0]?.code);
    expect(codes).toEqual(['author', 'verifier', 'assembler']);
    expect(p.agent[0]!.who.reference).toBe('Practitioner/dana-reyes');
    expect(p.agent[2]!.who.reference).toBe(device!.fullUrl);
    expect(device!.resource.version?.map((v) => v.value)).toEqual(['0.3.1', 'section-classifier-2026-11', 'sphinx en-us']);
    expect(prov!.request.ifNoneExist).toBe(`_tag=${encodeURIComponent(PROVENANCE_TAG_SYSTEM)}|note-visit-42`);
  });

  it('names the chart resources the note took facts from as the Provenance sources, and nothing else', () => {
    expect(byType<Provenance>(bundle, 'Provenance')[0]!.resource.entity).toBeUndefined();
    const cited = buildSignedNoteBundle(
      {
        ...note,
        chartSources: [
          'Patient/maria-gonzalez',
          'Condition/maria-gonzalez-problem-2',
          'Patient/someone-else',
          'Observation/o1',
          'Condition/"x',
        ],
      },
      sandboxWriteContext(),
    );
    const p = byType<Provenance>(cited, 'Provenance')[0]!.resource;
    expect(p.entity).toEqual([
      { role: 'source', what: { reference: 'Condition/maria-gonzalez-problem-2' } },
      { role: 'source', what: { reference: 'Patient/maria-gonzalez' } },
    ]);
    expect(p.text?.div).toContain('Facts taken from the chart: Condition/maria-gonzalez-problem-2, Patient/maria-gonzalez.');
    expect(() => validateBundleResources(cited)).not.toThrow();
  });

  it('turns accepted diagnoses into provisional encounter-diagnosis Conditions pointing at the note', () => {
    const [condition] = byType<Condition>(bundle, 'Condition');
    const c = condition!.resource;
    expect(c.verificationStatus?.coding?.[0]?.code).toBe('provisional');
    expect(c.category?.[0]?.coding?.[0]?.code).toBe('encounter-diagnosis');
    expect(c.code?.coding?.[0]).toMatchObject({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' });
    expect(c.evidence?.[0]?.detail?.[0]?.reference).toBe(doc!.fullUrl);
    expect(c.encounter?.reference).toBe('Encounter/enc-today-1');
  });

  it('is deterministic, so a retry sends the same transaction', () => {
    expect(JSON.stringify(buildSignedNoteBundle(note, sandboxWriteContext()))).toBe(JSON.stringify(bundle));
  });

  it('amends with relatesTo replaces', () => {
    const amended = buildSignedNoteBundle(
      { ...note, noteId: 'note-visit-42-amend-1', replaces: { documentReferenceId: 'abc' } },
      sandboxWriteContext(),
    );
    const d = byType<DocumentReference>(amended, 'DocumentReference')[0]!.resource;
    expect(d.relatesTo).toEqual([{ code: 'replaces', target: { reference: 'DocumentReference/abc' } }]);
  });

  it('produces resources that pass FHIR R4 validation, and refuses invalid ones with a clear error', () => {
    expect(() => validateBundleResources(bundle)).not.toThrow();
    const broken = buildSignedNoteBundle({ ...note, signedAt: 'yesterday afternoon' }, sandboxWriteContext());
    expect(() => validateBundleResources(broken)).toThrow(EhrError);
    expect(() => validateBundleResources(broken)).toThrow(/invalid Device|invalid DocumentReference|DocumentReference\.date|Invalid/);
  });
});
