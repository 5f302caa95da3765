import { z } from 'zod';

/**
 * What the audit log may say about each action. Every field is an id, a code, a hash, a count or an
 * enum: schemas are strict, so transcript text, note text and names cannot be slipped in as details.
 */
const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9\-._:/]+$/, 'an id (letters, digits and -._:/)');
const Code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9\-._:+]+$/, 'a code');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');
const Count = z.number().int().nonnegative();
const Seconds = z.number().nonnegative().finite();
const SettingValue = z.union([z.number().finite(), z.boolean(), Code, z.null()]);

export const AuditActorRole = z.enum(['clinician', 'scribe', 'manager', 'admin', 'system']);
export type AuditActorRole = z.infer<typeof AuditActorRole>;
export const AuditActor = z.object({ id: Id, role: AuditActorRole }).strict();
export type AuditActor = z.infer<typeof AuditActor>;

/** The visit data a view, export or deletion concerned. */
const VisitPart = z.enum(['visit', 'audio', 'transcript', 'draft', 'note', 'coding', 'metrics', 'audit']);
/** PHI a call returned that is not one visit's record: who looked at which list, chart or search (no search text). */
const Resource = z.enum(['visit-list', 'schedule', 'patient-search', 'chart', 'coding-hints', 'queue']);

export const auditDetails = {
  'visit.started': z.object({ encounterId: Id, visitType: Code.optional(), consent: z.enum(['agreed', 'declined']) }).strict(),
  'visit.paused': z.object({ audioSeconds: Seconds }).strict(),
  'visit.resumed': z.object({}).strict(),
  'visit.stopped': z.object({ audioSeconds: Seconds }).strict(),
  'visit.recovered': z.object({ audioSeconds: Seconds, droppedBytes: Count }).strict(),
  'consent.recorded': z.object({ decision: z.enum(['agreed', 'declined']), explanationVersion: Code.optional() }).strict(),
  'recognition.completed': z
    .object({
      engine: Code,
      model: Code.optional(),
      inputSha256: Sha256,
      outputSha256: Sha256,
      audioSeconds: Seconds,
      segments: Count,
    })
    .strict(),
  'draft.generated': z
    .object({
      engine: Code,
      engineVersion: Code,
      template: Code.optional(),
      sections: Count,
      outputSha256: Sha256.optional(),
      /** Language-model engines: the model (name and version), its file's sha256, flagged sentences, and whether the built-in draft stood in. */
      model: Code.optional(),
      modelSha256: Sha256.optional(),
      flagged: Count.optional(),
      fallback: z.boolean().optional(),
    })
    .strict(),
  'draft.edited': z
    .object({ sectionId: Code, charsBefore: Count, charsAfter: Count, charsChanged: Count, version: Count.optional() })
    .strict(),
  'coding.accepted': z.object({ system: Code, code: Code, hintId: Id.optional() }).strict(),
  'coding.rejected': z.object({ system: Code, code: Code, hintId: Id.optional() }).strict(),
  'note.signed': z
    .object({ noteId: Id.optional(), sections: Count, noteSha256: Sha256.optional(), reauthenticated: z.boolean().optional() })
    .strict(),
  'note.posted': z
    .object({ noteId: Id.optional(), serverId: Id, versionId: Id.optional(), server: Code.optional(), attempts: Count.optional() })
    .strict(),
  'note.postFailed': z.object({ noteId: Id.optional(), attempts: Count, errorCode: Code.optional() }).strict(),
  'record.viewed': z.object({ part: VisitPart }).strict(),
  'phi.accessed': z.object({ resource: Resource, call: Code, items: Count, patientId: Id.optional(), encounterId: Id.optional() }).strict(),
  'record.exported': z.object({ part: VisitPart, format: Code, records: Count.optional(), destination: z.enum(['file', 'ehr']) }).strict(),
  'record.deleted': z
    .object({ part: VisitPart, reason: z.enum(['clinician', 'retention', 'admin']), signedAt: z.string().datetime().optional() })
    .strict(),
  'settings.changed': z.object({ key: Code, from: SettingValue.optional(), to: SettingValue }).strict(),
  /** The write plan chosen from the EHR's CapabilityStatement, and what the EHR will not receive under it (decision 0150). */
  'ehr.writePlan': z
    .object({ mode: z.enum(['full', 'direct', 'minimal']), withheld: z.array(Code).max(10), server: Code.optional() })
    .strict(),
  'session.signedIn': z.object({ method: z.enum(['smart', 'smart-silent', 'profile']), fhirUser: Id.optional() }).strict(),
  'session.signInRefused': z.object({ method: z.enum(['smart', 'smart-silent']), reason: Code }).strict(),
  'session.signedOut': z.object({}).strict(),
  'session.locked': z.object({ reason: z.enum(['idle', 'user', 'restart']) }).strict(),
  'session.unlocked': z.object({}).strict(),
  'access.denied': z.object({ call: Code, reason: z.enum(['role', 'assignment', 'locked', 'signed-out']) }).strict(),
  /** A clinician's note style (app/style) changed: learned from a signed note, a rule switched or edited, or reset. Codes and counts only. */
  'style.changed': z
    .object({ change: z.enum(['learned', 'rule.off', 'rule.on', 'rule.edited', 'reset']), ruleId: Code.optional(), rules: Count })
    .strict(),
  'audit.verified': z.object({ ok: z.boolean(), records: Count, problems: Count }).strict(),
} as const;

export type AuditAction = keyof typeof auditDetails;
export type AuditDetails<A extends AuditAction> = z.input<(typeof auditDetails)[A]>;

/** One event as handed to `append`. */
export type AuditEvent = {
  [A in AuditAction]: { actor: AuditActor; action: A; visitId?: string; details: AuditDetails<A> };
}[AuditAction];

export const VisitIdSchema = Id;
