import { z } from 'zod';

/**
 * What the visit service tells metrics about a visit's life. Emitted by the integrator's visit service
 * (app/encounter) and by the editor-activity contract call. Texts on `visit.signed` are used once to
 * compute draft retention and are never stored.
 */
export type VisitLifecycleEvent = {
  visitId: string;
  /** The clinician the visit belongs to (user id / Practitioner id): never a patient identifier. */
  clinicianId: string;
  visitType: string;
  /** When it happened, ISO 8601 with offset or Z. */
  at: string;
} & (
  | { type: 'visit.started' }
  | { type: 'visit.stopped'; audioSeconds: number }
  | { type: 'draft.ready' }
  | { type: 'editor.activity'; activeMs: number; afterHours?: boolean }
  | {
      type: 'visit.signed';
      /** The AI draft AS GENERATED (before anyone edited it): retention compares it with the signed text. */
      draftText: string;
      signedText: string;
      /** The clinician's dictated words: neither AI draft nor edits. */
      dictatedText?: string;
      /** The coding decisions as they stand at signing; replaces counts from coding.decision events. */
      coding?: { accepted: number; rejected: number; replaced: number };
    }
  | { type: 'note.posted' }
  | { type: 'coding.decision'; decision: 'accepted' | 'rejected' | 'replaced' }
  | { type: 'note.amended' }
);

/** One report of the editor tracker may cover at most an hour (it reports every few seconds and on blur). */
export const MAX_ACTIVITY_MS_PER_REPORT = 60 * 60 * 1000;
const MAX_NOTE_CHARS = 2_000_000;

const isoInstant = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'an ISO 8601 date-time');
const count = z.number().int().nonnegative().max(10_000);
const base = {
  visitId: z.string().min(1).max(200),
  clinicianId: z.string().min(1).max(200),
  visitType: z.string().min(1).max(100),
  at: isoInstant,
};

/** Runtime check of events arriving from other capabilities: a malformed event is refused, never half-recorded. */
export const VisitLifecycleEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('visit.started') }),
  z.object({ ...base, type: z.literal('visit.stopped'), audioSeconds: z.number().nonnegative().finite() }),
  z.object({ ...base, type: z.literal('draft.ready') }),
  z.object({
    ...base,
    type: z.literal('editor.activity'),
    activeMs: z.number().nonnegative().max(MAX_ACTIVITY_MS_PER_REPORT),
    afterHours: z.boolean().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('visit.signed'),
    draftText: z.string().max(MAX_NOTE_CHARS),
    signedText: z.string().max(MAX_NOTE_CHARS),
    dictatedText: z.string().max(MAX_NOTE_CHARS).optional(),
    coding: z.object({ accepted: count, rejected: count, replaced: count }).optional(),
  }),
  z.object({ ...base, type: z.literal('note.posted') }),
  z.object({ ...base, type: z.literal('coding.decision'), decision: z.enum(['accepted', 'rejected', 'replaced']) }),
  z.object({ ...base, type: z.literal('note.amended') }),
]);
