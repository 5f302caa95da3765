import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition, DocumentReference, Provenance } from '@medplum/fhirtypes';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { SANDBOX_PRACTITIONER_REF } from './sandbox/seed.ts';
import { createEhrClient, type EhrClient } from './ehr-client.ts';
import { buildSignedNoteBundle, type SignedNoteInput } from './signed-note.ts';
import { postSignedNote } from './post-signed-note.ts';
import { EhrError } from './ehr-error.ts';
import { sandboxWriteContext } from '../../testing/fhir/demo-note.ts';

let sandbox: Sandbox;
let ehr: EhrClient;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: true });
  ehr = createEhrClient({ baseUrl: sandbox.baseUrl });
});
afterAll(async () => {
  await sandbox?.close();
});

const note = (noteId: string, extra: Partial<SignedNoteInput> = {}): SignedNoteInput => ({
  noteId,
  patientId: 'maria-gonzalez',
  encounterId: 'enc-today-1',
  practitionerRef: SANDBOX_PRACTITIONER_REF,
  visitType: 'follow-up',
  text: 'Assessment: type 2 diabetes, well controlled. Plan: continue metformin.',
  sections: [{ id: 'assessment', title: 'Assessment', text: 'Type 2 diabetes, well controlled.' }],
  signedAt: new Date().toISOString(),
  period: { start: new Date(Date.now() - 20 * 60_000).toISOString(), end: new Date().toISOString() },
  drafter: { engine: 'builtin', version: '0.1.0' },
  diagnoses: [{ code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }],
  ...extra,
});

describe('EHR client against the sandbox', () => {
  it("lists today's encounters of one practitioner, in time order, with patient details", async () => {
    const schedule = await ehr.todaysEncounters(SANDBOX_PRACTITIONER_REF);
    expect(schedule.map((e) => e.encounterId)).toEqual(['enc-today-1', 'enc-today-2', 'enc-today-3', 'enc-today-4', 'enc-today-5']);
    expect(schedule[0]).toMatchObject({
      patientId: 'maria-gonzalez',
      patientName: 'Maria Gonzalez',
      birthDate: '1968-04-12',
      gender: 'female',
      visitType: 'follow-up',
      practitionerId: 'dana-reyes',
      reason: 'Diabetes and blood pressure follow-up',
    });
    expect(schedule.map((e) => e.visitType)).toContain('new-patient');
    for (const e of schedule) expect(new Date(e.start).toDateString()).toBe(new Date().toDateString());
    expect(await ehr.todaysEncounters('Practitioner/samuel-patel')).toHaveLength(1);
  });

  it("gives a patient's active problems and medications", async () => {
    const context = await ehr.patientContext('linda-okafor');
    expect(context.problems.map((p) => p.code).sort()).toEqual(['E03.9', 'F41.1']);
    // Each with its Condition id: a draft that names a problem from the chart cites it (decision 0204).
    expect(context.problems.map((p) => p.id).sort()).toEqual(['linda-okafor-problem-1', 'linda-okafor-problem-2']);
    expect(context.medications).toEqual(
      expect.arrayContaining([
        { rxcui: '966221', display: 'levothyroxine sodium 0.05 MG Oral Tablet' },
        { rxcui: '312941', display: 'sertraline 50 MG Oral Tablet' },
      ]),
    );
  });

  it('searches patients by name and by MRN', async () => {
    expect((await ehr.searchPatients('okafor')).map((p) => p.patientId)).toEqual(['linda-okafor']);
    expect((await ehr.searchPatients('100871')).map((p) => p.name)).toEqual(['James Carter']);
    expect(await ehr.searchPatients('   ')).toEqual([]);
    expect(await ehr.practitioner(SANDBOX_PRACTITIONER_REF)).toEqual({ id: 'dana-reyes', name: 'Dr. Dana Reyes' });
  });

  it('posts a signed note as one transaction and reads every resource back', async () => {
    const posted = await postSignedNote(ehr, buildSignedNoteBundle(note('note-client-1'), sandboxWriteContext()));
    expect(posted.created).toBe(true);
    const doc = await ehr.read<DocumentReference>('DocumentReference', posted.documentReferenceId);
    expect(doc.meta?.versionId).toBe(posted.versionId);
    expect(doc.subject?.reference).toBe('Patient/maria-gonzalez');
    expect(doc.context?.encounter?.[0]?.reference).toBe('Encounter/enc-today-1');
    expect(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString()).toContain('continue metformin');
    const provenance = await ehr.read<Provenance>('Provenance', posted.provenanceId!);
    expect(provenance.target.map((t) => t.reference)).toContain(`DocumentReference/${posted.documentReferenceId}`);
    expect(provenance.agent.find((a) => a.type?.coding?.[0]?.code === 'assembler')?.who.reference).toMatch(/^Device\//);
    const [conditionId] = posted.conditionIds;
    const condition = await ehr.read<Condition>('Condition', conditionId!);
    expect(condition.evidence?.[0]?.detail?.[0]?.reference).toBe(`DocumentReference/${posted.documentReferenceId}`);
  });

  it('posting the same note again stores nothing new', async () => {
    const bundle = buildSignedNoteBundle(note('note-client-2'), sandboxWriteContext());
    const first = await postSignedNote(ehr, bundle);
    const second = await postSignedNote(ehr, bundle);
    expect(second).toMatchObject({ documentReferenceId: first.documentReferenceId, versionId: first.versionId, created: false });
    for (const [type, query] of [
      ['DocumentReference', { identifier: 'http://scribe.example.org/fhir/identifier/note|note-client-2' }],
      ['Provenance', { _tag: 'http://scribe.example.org/fhir/identifier/provenance|note-client-2' }],
      ['Condition', { identifier: 'http://scribe.example.org/fhir/identifier/diagnosis|note-client-2:E11.9' }],
    ] as const) {
      expect(await ehr.search(type, query)).toHaveLength(1);
    }
  });

  it('explains a rejected write in plain words', async () => {
    const bundle = buildSignedNoteBundle(note('note-client-3', { encounterId: 'enc-today-1' }), sandboxWriteContext());
    // Corrupt it after local validation would pass: send straight to the server.
    (bundle.entry![1]!.resource as DocumentReference).date = 'tomorrow-ish';
    const error = await ehr.transaction(bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EhrError);
    expect((error as EhrError).kind).toBe('rejected');
    expect((error as EhrError).retryable).toBe(false);
    expect((error as EhrError).message).toMatch(/rejected the request \(400\).*DocumentReference\.date/);
  });

  it('reports an unreachable EHR as retryable', async () => {
    const down = createEhrClient({ baseUrl: 'http://127.0.0.1:9/fhir/R4', timeoutMs: 2000 });
    const error = await down.searchPatients('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EhrError);
    expect((error as EhrError).kind).toBe('unreachable');
    expect((error as EhrError).retryable).toBe(true);
  });
});
