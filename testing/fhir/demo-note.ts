import { defaultWriteContext, type SignedNoteInput, type WriteContext } from '../../app/fhir/signed-note.ts';
import { SANDBOX_ORGANIZATION_ID, SANDBOX_ORGANIZATION_NAME, SANDBOX_PRACTITIONER_REF } from '../../app/fhir/sandbox/seed.ts';
import { planForMode, type WriteMode } from '../../app/fhir/write-plan.ts';

/** Test support: how the outbox writes to the seeded sandbox (its practice as the clinic). */
export function sandboxWriteContext(mode: WriteMode = 'full'): WriteContext {
  return defaultWriteContext({
    plan: planForMode(mode),
    organizationRef: `Organization/${SANDBOX_ORGANIZATION_ID}`,
    organizationName: SANDBOX_ORGANIZATION_NAME,
  });
}

/** Test support: a signed note for the seeded sandbox (Maria Gonzalez's follow-up today). */
export function demoSignedNote(noteId: string, overrides: Partial<SignedNoteInput> = {}): SignedNoteInput {
  const signedAt = new Date().toISOString();
  return {
    noteId,
    patientId: 'maria-gonzalez',
    encounterId: 'enc-today-1',
    practitionerRef: SANDBOX_PRACTITIONER_REF,
    visitType: 'follow-up',
    title: 'Follow-up note',
    text: 'Subjective: blood sugars in the 120s, no hypoglycemia.\nAssessment: type 2 diabetes, well controlled.\nPlan: continue metformin 500 mg twice daily.',
    sections: [
      { id: 'subjective', title: 'Subjective', text: 'Blood sugars in the 120s, no hypoglycemia.' },
      { id: 'assessment', title: 'Assessment', text: 'Type 2 diabetes, well controlled.' },
      { id: 'plan', title: 'Plan', text: 'Continue metformin 500 mg twice daily.' },
    ],
    signedAt,
    period: { start: new Date(Date.now() - 20 * 60_000).toISOString(), end: signedAt },
    drafter: { engine: 'builtin', version: '0.1.0', model: 'test' },
    diagnoses: [{ code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }],
    ...overrides,
  };
}
