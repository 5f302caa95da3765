import { z } from 'zod';
import { Role } from './define.ts';

/** Shapes that cross the contract. Domain folders produce these; the renderer only sees their types. */

const Id = z.string().min(1).max(200).regex(/^[A-Za-z0-9\-._:]+$/, 'ids are letters, digits and -._:');
export { Id };

export const User = z.object({
  id: Id,
  name: z.string(),
  role: Role,
  /** FHIR reference of the user, e.g. Practitioner/123 (from fhirUser, or the sandbox profile). */
  fhirUser: z.string().optional(),
});
export type User = z.infer<typeof User>;

export const EhrInfo = z.object({
  mode: z.enum(['sandbox', 'smart']),
  label: z.string(),
  baseUrl: z.string(),
  connected: z.boolean(),
});
export type EhrInfo = z.infer<typeof EhrInfo>;

export const Session = z.object({ user: User.nullable(), ehr: EhrInfo, profiles: z.array(User) });
export type Session = z.infer<typeof Session>;

export const ScheduledEncounter = z.object({
  encounterId: Id,
  patientId: Id,
  patientName: z.string(),
  birthDate: z.string().optional(),
  gender: z.string().optional(),
  start: z.string(),
  end: z.string().optional(),
  reason: z.string().optional(),
  visitType: z.string(),
  practitionerId: Id.optional(),
  status: z.string(),
});
export type ScheduledEncounter = z.infer<typeof ScheduledEncounter>;

export const Speaker = z.enum(['clinician', 'patient', 'other']);
export type Speaker = z.infer<typeof Speaker>;

export const TranscriptSegment = z.object({
  id: z.string(),
  /** Seconds from the start of the visit's audio. */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  speaker: Speaker.optional(),
  confidence: z.number().min(0).max(1).optional(),
});
export type TranscriptSegment = z.infer<typeof TranscriptSegment>;

export const Transcript = z.object({
  engine: z.string(),
  model: z.string().optional(),
  segments: z.array(TranscriptSegment),
});
export type Transcript = z.infer<typeof Transcript>;

export const DraftSentence = z.object({
  text: z.string(),
  /** Transcript segment ids this sentence came from. */
  evidence: z.array(z.string()),
});
export type DraftSentence = z.infer<typeof DraftSentence>;

export const DraftSection = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  sentences: z.array(DraftSentence),
  /** True once a person changed this section: regeneration keeps it. */
  edited: z.boolean().default(false),
});
export type DraftSection = z.infer<typeof DraftSection>;

export const Draft = z.object({
  template: z.string(),
  engine: z.string(),
  engineVersion: z.string(),
  generatedAt: z.string(),
  version: z.number().int().nonnegative(),
  sections: z.array(DraftSection),
});
export type Draft = z.infer<typeof Draft>;

export const PostStatus = z.object({
  status: z.enum(['queued', 'sending', 'posted', 'failed']),
  attempts: z.number().int().nonnegative(),
  serverId: z.string().optional(),
  versionId: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.string(),
});
export type PostStatus = z.infer<typeof PostStatus>;

export const VisitStatus = z.enum(['recording', 'paused', 'processing', 'draft', 'signed', 'failed']);
export type VisitStatus = z.infer<typeof VisitStatus>;

export const Consent = z.enum(['agreed', 'declined']);
export type Consent = z.infer<typeof Consent>;

export const Visit = z.object({
  id: Id,
  /** The patient's decision about AI-assisted recording, confirmed by the clinician before anything is recorded. */
  consent: Consent,
  clinicianId: Id,
  encounterId: Id,
  patientId: Id,
  patientName: z.string(),
  visitType: z.string(),
  status: VisitStatus,
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  audioSeconds: z.number().nonnegative(),
  transcript: Transcript.nullable(),
  draft: Draft.nullable(),
  signedAt: z.string().optional(),
  signedBy: z.string().optional(),
  post: PostStatus.nullable(),
  error: z.string().optional(),
});
export type Visit = z.infer<typeof Visit>;

export const VisitSummary = Visit.pick({
  id: true, encounterId: true, patientName: true, visitType: true, status: true, startedAt: true, post: true,
});
export type VisitSummary = z.infer<typeof VisitSummary>;

/** base64 of little-endian signed 16-bit mono PCM at 16 kHz. 10 s at most per chunk. */
export const Pcm16Base64 = z.string().max(Math.ceil((16000 * 2 * 10 * 4) / 3) + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
