import { z } from 'zod';
import { ALL_ROLES, CLINICIAN, PHI_ROLES, defineCall } from './define.ts';
import {
  Consent, Draft, Id, Pcm16Base64, ScheduledEncounter, Session, Transcript, Visit, VisitSummary,
} from './schemas.ts';

/**
 * THE contract: every call the UI can make, with input and output schemas and the roles allowed.
 * Electron's preload, the web bridge and the renderer are all derived from this one object.
 * Capabilities add their calls in their own block below (keep blocks grouped by capability).
 */
export const contract = {
  // ── session ─────────────────────────────────────────────────────────────
  'session.get': defineCall({
    summary: 'Who is signed in, which EHR is connected, and the local profiles available in the sandbox',
    input: z.object({}).strict(),
    output: Session,
    roles: ALL_ROLES,
  }),
  'session.useProfile': defineCall({
    summary: 'Sandbox only: act as one of the local demo profiles',
    input: z.object({ profileId: Id }).strict(),
    output: Session,
    roles: ALL_ROLES,
  }),

  // ── schedule ────────────────────────────────────────────────────────────
  'schedule.today': defineCall({
    summary: "Today's encounters for the signed-in practitioner",
    input: z.object({}).strict(),
    output: z.array(ScheduledEncounter),
    roles: PHI_ROLES,
  }),

  // ── visit: capture ──────────────────────────────────────────────────────
  'visit.start': defineCall({
    summary: 'Start a visit for an encounter; with consent "declined" nothing is recorded and the note is written by hand',
    input: z.object({ encounterId: Id, consent: Consent }).strict(),
    output: Visit,
    roles: CLINICIAN,
  }),
  'visit.appendAudio': defineCall({
    summary: 'Append a chunk of 16 kHz mono PCM to a recording visit (seq numbers start at 0, no gaps)',
    input: z.object({ visitId: Id, seq: z.number().int().nonnegative(), pcm16: Pcm16Base64 }).strict(),
    output: z.object({ audioSeconds: z.number() }),
    roles: CLINICIAN,
  }),
  'visit.pause': defineCall({
    summary: 'Pause recording',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    roles: CLINICIAN,
  }),
  'visit.resume': defineCall({
    summary: 'Resume a paused recording',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    roles: CLINICIAN,
  }),
  'visit.stop': defineCall({
    summary: 'Stop recording: the transcript and the draft follow (visit.updated events)',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    roles: CLINICIAN,
  }),
  'visit.get': defineCall({
    summary: 'One visit with its transcript, draft and posting status',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    roles: PHI_ROLES,
  }),
  'visit.list': defineCall({
    summary: 'Visits on this workstation, newest first',
    input: z.object({}).strict(),
    output: z.array(VisitSummary),
    roles: PHI_ROLES,
  }),

  'visit.audioClip': defineCall({
    summary: 'A stretch of the visit audio as a WAV (to play the evidence of a sentence or a transcript turn)',
    input: z.object({ visitId: Id, start: z.number().nonnegative(), end: z.number().nonnegative() }).strict()
      .refine((v) => v.end > v.start && v.end - v.start <= 600, 'end must be after start, at most 10 minutes later'),
    output: z.object({ wavBase64: z.string(), start: z.number(), end: z.number() }),
    roles: PHI_ROLES,
  }),

  // ── draft ───────────────────────────────────────────────────────────────
  'draft.regenerate': defineCall({
    summary: 'Draft again with another template; sections a person edited are kept',
    input: z.object({ visitId: Id, template: z.string().min(1).max(100) }).strict(),
    output: Visit,
    roles: PHI_ROLES,
  }),
  'draft.updateSection': defineCall({
    summary: 'Save a person\'s edit of one section (baseVersion guards against lost updates)',
    input: z.object({ visitId: Id, sectionId: z.string().min(1).max(100), text: z.string().max(100_000), baseVersion: z.number().int().nonnegative() }).strict(),
    output: Draft,
    roles: PHI_ROLES,
  }),

  // ── sign & post ─────────────────────────────────────────────────────────
  'visit.sign': defineCall({
    summary: 'Sign the note: it is queued in the outbox and posted to the EHR',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    roles: CLINICIAN,
  }),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.input<Contract[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Contract[K]['output']>;

/** What the renderer sees as `window.scribe`. */
export type ScribeApi = {
  [K in CallName]: (input: CallInput<K>) => Promise<CallOutput<K>>;
} & {
  /** Subscribe to live events from the core; returns an unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

// ── events: core → UI ─────────────────────────────────────────────────────
export const events = {
  'visit.updated': Visit,
  'transcript.partial': z.object({ visitId: Id, text: z.string(), segment: z.optional(z.lazy(() => Transcript.shape.segments.element)) }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const callNames = Object.keys(contract) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
