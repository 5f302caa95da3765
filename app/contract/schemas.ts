import { z } from 'zod';
import { Role } from './define.ts';

/** Shapes that cross the contract. Domain folders produce these; the renderer only sees their types. */

const Id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9\-._:]+$/, 'ids are letters, digits and -._:');
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
  /** 'smart' when the EHR needs a SMART sign-in (a real EHR, or the sandbox with --require-auth). */
  auth: z.enum(['none', 'smart']),
  /** Signed in (or no sign-in needed). */
  connected: z.boolean(),
  /** How signed notes are written to this EHR (from its CapabilityStatement), once known (decision 0150). */
  writePlan: z
    .object({
      mode: z.enum(['full', 'direct', 'minimal']),
      summary: z.string(),
      /** What the EHR will not receive, in plain words. */
      notSent: z.array(z.string()),
    })
    .optional(),
  /** Why the EHR session ended without a sign-out (a refused refresh), in plain words. */
  signedOutReason: z.string().optional(),
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
  /** The EHR's own wording of the visit type ("Follow-up visit"), shown instead of the code. */
  visitTypeText: z.string().optional(),
  practitionerId: Id.optional(),
  status: z.string(),
});
export type ScheduledEncounter = z.infer<typeof ScheduledEncounter>;

export const Speaker = z.enum(['clinician', 'patient', 'other']);
export type Speaker = z.infer<typeof Speaker>;

export const RecognizedWord = z.object({
  word: z.string(),
  /** Seconds from the start of the visit's audio. */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  confidence: z.number().min(0).max(1),
});
export type RecognizedWord = z.infer<typeof RecognizedWord>;

/** A recognized word below this confidence is uncertain: the editor marks it, and it alone cannot put a drug name in a note. */
export const LOW_WORD_CONFIDENCE = 0.5;

export const TranscriptSegment = z.object({
  id: z.string(),
  /** Seconds from the start of the visit's audio. */
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  speaker: Speaker.optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** Recognized words with their confidence (speech engines that give them); the editor marks uncertain ones. */
  words: z.array(RecognizedWord).max(10_000).optional(),
});
export type TranscriptSegment = z.infer<typeof TranscriptSegment>;

export const Transcript = z.object({
  engine: z.string(),
  model: z.string().optional(),
  segments: z.array(TranscriptSegment),
  /** Why some segments are not the named engine's own recognition (a practice server that failed), in words. */
  fallback: z.string().optional(),
});
export type Transcript = z.infer<typeof Transcript>;

/**
 * A fact a sentence takes from the patient's chart rather than from the visit (decision 0204): where it is in the
 * EHR and what it said when the note was drafted. The evidence guard accepts from it only what it supports (the age
 * a birth date gives on the visit day, the sex, the name, a problem's name).
 */
export const ChartCitation = z.object({
  /** The resource and element: "Patient/123#birthDate", "Patient/123#gender", "Patient/123#name", "Condition/abc#code". */
  source: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}#[a-zA-Z]+$/, 'Resource/id#element'),
  /** What the chart said there ("1967-03-02", "female", "Maria Lopez", "Type 2 diabetes mellitus"). */
  value: z.string().max(500),
  /** birthDate: the visit day the age was computed for (YYYY-MM-DD). */
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});
export type ChartCitation = z.infer<typeof ChartCitation>;

export const DraftSentence = z.object({
  text: z.string(),
  /** Transcript segment ids this sentence came from. */
  evidence: z.array(z.string()),
  /** Facts it takes from the chart (drafts stored before decision 0204 have none). */
  chart: z.array(ChartCitation).optional(),
  /** What a language model stated that its cited turns do not contain (the sentence is shown flagged). */
  flags: z.array(z.object({ kind: z.string(), value: z.string() })).optional(),
  /** The clinician's decision on a flagged sentence: kept as written (a removed one is gone). */
  decision: z.literal('kept').optional(),
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

/** What the clinician's learned style changed in a draft (app/style), so the editor can mark it "from your style". */
export const DraftStyle = z.object({
  /** The drafter's own sections before style was applied (what learning compares the signed note with). */
  drafted: z.array(z.object({ id: z.string(), title: z.string(), text: z.string() })),
  /** The template the drafter would have used by itself. */
  defaultTemplate: z.string().optional(),
  applied: z
    .array(
      z.object({
        ruleId: z.string(),
        kind: z.string(),
        /** The section changed ('*' for the order of sections). */
        sectionId: z.string(),
        description: z.string(),
        before: z.string(),
        after: z.string(),
      }),
    )
    .default([]),
  /** Sections the style left out, with their drafted text (the clinician can put one back). */
  removedSections: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        text: z.string(),
        ruleId: z.string(),
        sentences: z.array(DraftSentence).default([]),
      }),
    )
    .default([]),
});
export type DraftStyle = z.infer<typeof DraftStyle>;

export const Draft = z.object({
  template: z.string(),
  engine: z.string(),
  engineVersion: z.string(),
  generatedAt: z.string(),
  version: z.number().int().nonnegative(),
  sections: z.array(DraftSection),
  /** The language model that wrote it (llm/server engines): name, version and the weights' sha256. */
  model: z.object({ name: z.string(), version: z.string().optional(), sha256: z.string().optional() }).optional(),
  /** Why a language-model engine was not used and the built-in draft is shown instead, in words. */
  fallback: z.string().optional(),
  style: DraftStyle.optional(),
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

// ── coding hints (app/coding) ───────────────────────────────────────────────
export const CodingSystem = z.enum(['icd10cm', 'rxnorm', 'loinc']);
export type CodingSystem = z.infer<typeof CodingSystem>;

/** Where a hint came from: the sentence, and the offsets of the matched words in its section/segment/text. */
export const CodingEvidence = z.object({
  source: z.enum(['draft', 'transcript', 'text']),
  sectionId: z.string().optional(),
  sentence: z.string(),
  /** Offsets of the matched words in the section text (draft), the segment text (transcript) or the whole text. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  segmentIds: z.array(z.string()).optional(),
});
export type CodingEvidence = z.infer<typeof CodingEvidence>;

export const CodingHint = z.object({
  /** Stable within a visit: `${system}:${code}` (LOINC adds the value). */
  id: z.string(),
  system: CodingSystem,
  /** ICD-10-CM code, RXCUI, or LOINC code. Null only for a medication the installed RxNorm extract has no RXCUI for. */
  code: z.string().nullable(),
  display: z.string(),
  confidence: z.number().min(0).max(1),
  /** Why it was chosen: the matched index term, description or measurement. */
  why: z.string(),
  evidence: CodingEvidence,
  /** ICD-10-CM: true when the code is billable (most specific). */
  billable: z.boolean().optional(),
  /** ICD-10-CM: the less specific parent when the words support no more than it. */
  parent: z.object({ code: z.string(), display: z.string() }).optional(),
  /** LOINC: the measured value and its UCUM unit. */
  value: z.number().optional(),
  unit: z.string().optional(),
  /** RxNorm: ingredient, strength and dose form. */
  ingredient: z.string().optional(),
  ingredientRxcui: z.string().nullable().optional(),
  brand: z.string().optional(),
  strength: z.string().optional(),
  form: z.string().optional(),
});
export type CodingHint = z.infer<typeof CodingHint>;

/**
 * A clinician's decision on a hint: accepted, rejected, replaced by another ICD-10-CM code, or a diagnosis
 * the clinician added that no hint proposed (`add`, hintId `manual:CODE`).
 */
export const CodingDecision = z.object({
  hintId: z.string().min(1).max(200),
  action: z.enum(['accept', 'reject', 'replace', 'add']),
  system: CodingSystem,
  /** The code that stands (the hint's, or the replacement for `replace`); null for `reject`. */
  code: z.string().nullable(),
  display: z.string(),
  decidedBy: z.string().optional(),
  decidedAt: z.string(),
});
export type CodingDecision = z.infer<typeof CodingDecision>;

export const Visit = z.object({
  id: Id,
  /** The patient's decision about AI-assisted recording, confirmed by the clinician before anything is recorded. */
  consent: Consent,
  clinicianId: Id,
  encounterId: Id,
  patientId: Id,
  patientName: z.string(),
  /** The patient's administrative gender on the chart (FHIR Patient.gender), for the draft's pronouns. */
  patientGender: z.string().optional(),
  /** The patient's birth date on the chart (FHIR Patient.birthDate), for the age in the draft's history (decision 0204). */
  patientBirthDate: z.string().optional(),
  visitType: z.string(),
  /** The visit type in words, as the schedule showed it ("Follow-up"); the header shows it instead of the code. */
  visitTypeText: z.string().optional(),
  status: VisitStatus,
  /**
   * Counts the visit's saves. A call's answer and a visit.updated event travel different roads, so a window
   * keeps the visit with the higher revision (an answer "processing" that arrives after the event of the
   * finished draft is stale).
   */
  revision: z.number().int().nonnegative().optional(),
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  audioSeconds: z.number().nonnegative(),
  transcript: Transcript.nullable(),
  draft: Draft.nullable(),
  /** How many times the posted note was amended. */
  amendments: z.number().int().nonnegative().optional(),
  /** While amending a posted note: the DocumentReference it will replace. */
  amendment: z.object({ number: z.number().int().positive(), documentReferenceId: z.string(), versionId: z.string() }).optional(),
  /** The draft's text as the drafter first wrote it (kept to measure how much of it the signed note kept). */
  aiDraftText: z.string().optional(),
  signedAt: z.string().optional(),
  signedBy: z.string().optional(),
  post: PostStatus.nullable(),
  error: z.string().optional(),
  /** What went differently on the way to the draft, in words (the chart could not be read, ...); shown beside the note. */
  notices: z.array(z.string()).optional(),
  /** The clinician's accept/reject/replace decisions on coding hints (app/coding); accepted ICD-10-CM codes go into the signed note. */
  codingDecisions: z.array(CodingDecision).optional(),
});
export type Visit = z.infer<typeof Visit>;

export const VisitSummary = Visit.pick({
  id: true,
  encounterId: true,
  patientName: true,
  visitType: true,
  visitTypeText: true,
  status: true,
  startedAt: true,
  post: true,
}).extend({ consent: Consent.optional() });
export type VisitSummary = z.infer<typeof VisitSummary>;

/** base64 of little-endian signed 16-bit mono PCM at 16 kHz. 10 s at most per chunk. */
export const Pcm16Base64 = z
  .string()
  .max(Math.ceil((16000 * 2 * 10 * 4) / 3) + 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

// ── dictation & scribe queue (owned by app/dictation and app/queue) ─────────
const SectionId = z.string().min(1).max(100);
const TextRange = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });

export const DictationCursor = z.object({ sectionId: SectionId, offset: z.number().int().nonnegative().max(1_000_000) });
export type DictationCursor = z.infer<typeof DictationCursor>;

export const DictationState = z.object({
  dictationId: Id,
  visitId: Id,
  cursor: DictationCursor,
  stopped: z.boolean(),
  revision: z.number().int().nonnegative(),
  audioSeconds: z.number().nonnegative(),
  /** Every section's text as dictation left it, with the dictated ranges (the clinician's own words). */
  sections: z.array(z.object({ id: z.string(), text: z.string(), spans: z.array(TextRange) })),
  /**
   * What went differently, in words, for the person dictating: the chart could not be read in time (dictation
   * listens without the patient's medicine names), or the last words were not recognized before the deadline.
   */
  notice: z.string().optional(),
});
export type DictationState = z.infer<typeof DictationState>;

export const DictationEffect = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inserted'), sectionId: z.string(), inserted: z.string(), utteranceId: z.string() }),
  z.object({ kind: z.literal('punctuated'), sectionId: z.string(), inserted: z.string(), utteranceId: z.string() }),
  z.object({ kind: z.literal('scratched'), sectionId: z.string(), removed: z.string() }),
  z.object({ kind: z.literal('moved'), sectionId: z.string() }),
  z.object({ kind: z.literal('stopped') }),
  z.object({ kind: z.literal('ignored'), reason: z.string() }),
]);
export type DictationEffect = z.infer<typeof DictationEffect>;

/** A final utterance applied to the note: the changed section's whole text, the caret and dictated ranges. */
export const DictationApplied = z.object({
  dictationId: Id,
  visitId: Id,
  /** Increases with every applied utterance and every reported edit. */
  revision: z.number().int().nonnegative(),
  effect: DictationEffect,
  /** The section the effect changed or moved to; `text` is its full text after the effect. */
  sectionId: z.string(),
  text: z.string(),
  cursor: DictationCursor,
  spans: z.array(TextRange),
  stopped: z.boolean(),
  utterance: z.object({ text: z.string(), start: z.number(), end: z.number() }),
  /** Core clock (ms since epoch) when the utterance was applied. */
  appliedAt: z.number(),
});
export type DictationApplied = z.infer<typeof DictationApplied>;

export const DictationPartial = z.object({ dictationId: Id, visitId: Id, text: z.string() });
export type DictationPartial = z.infer<typeof DictationPartial>;

export const QueueStatus = z.enum(['waiting_for_edit', 'in_edit', 'ready_for_signature', 'signed']);
export type QueueStatus = z.infer<typeof QueueStatus>;

export const QueuePerson = z.object({ id: Id, name: z.string(), role: Role });
export type QueuePerson = z.infer<typeof QueuePerson>;

export const EditLock = QueuePerson.extend({ since: z.string(), lastSeen: z.string() });
export type EditLock = z.infer<typeof EditLock>;

export const QueueItem = z.object({
  visitId: Id,
  patientName: z.string(),
  visitType: z.string(),
  /** The visit type in words (shown instead of the code). */
  visitTypeText: z.string().optional(),
  visitDate: z.string(),
  clinicianId: Id,
  clinicianName: z.string().optional(),
  scribe: QueuePerson,
  assignedAt: z.string(),
  assignedBy: QueuePerson,
  status: QueueStatus,
  readyAt: z.string().optional(),
  readyBy: QueuePerson.optional(),
  signedAt: z.string().optional(),
  lock: EditLock.nullable(),
  versionCount: z.number().int().nonnegative(),
  conflictCount: z.number().int().nonnegative(),
});
export type QueueItem = z.infer<typeof QueueItem>;

export const LockToken = z.string().min(1).max(100);

/** `lockToken` is present when this window holds the edit lock; pass it to save / markReady / release. */
export const OpenedNote = z.object({ item: QueueItem, lockToken: LockToken.nullable(), draft: Draft });
export type OpenedNote = z.infer<typeof OpenedNote>;

const VersionSection = z.object({ id: z.string(), title: z.string(), text: z.string() });
export const NoteVersion = z.object({
  n: z.number().int().positive(),
  kind: z.enum(['ai_draft', 'saved', 'conflict']),
  savedAt: z.string(),
  savedBy: QueuePerson,
  /** The draft version the editor started from. */
  baseVersion: z.number().int().nonnegative(),
  /** The draft version this save produced (saved versions only). */
  draftVersion: z.number().int().nonnegative().optional(),
  sections: z.array(VersionSection),
  /** Why a conflicting version was not applied. */
  reason: z.string().optional(),
});
export type NoteVersion = z.infer<typeof NoteVersion>;

export const QueueSaveResult = z.object({ item: QueueItem, draft: Draft, version: NoteVersion });
export type QueueSaveResult = z.infer<typeof QueueSaveResult>;

export const DiffPart = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() });
export type DiffPart = z.infer<typeof DiffPart>;
export const NoteDiff = z.object({
  visitId: Id,
  /** ai_draft: against the draft as generated; as_assigned: a person had edited it before it reached the queue. */
  base: z.enum(['ai_draft', 'as_assigned']),
  sections: z.array(
    z.object({
      sectionId: z.string(),
      title: z.string(),
      parts: z.array(DiffPart),
      insertedWords: z.number().int(),
      deletedWords: z.number().int(),
      changed: z.boolean(),
    }),
  ),
  insertedWords: z.number().int(),
  deletedWords: z.number().int(),
});
export type NoteDiff = z.infer<typeof NoteDiff>;

// ── metrics (app/metrics): de-identified figures for the practice manager; no patient data ──────────
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM (24 h)');
const MetricsDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'a real date');
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** When the clinic is open; editing outside these hours is "after hours" (pajama time). */
export const ClinicHours = z
  .object({
    /** IANA time zone of the clinic, e.g. America/Chicago. Days and weeks are counted in it. */
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Berlin'),
    /** Open days, 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).max(7),
    open: hhmm,
    close: hhmm,
  })
  .refine((h) => h.open < h.close, { message: 'the clinic must open before it closes', path: ['close'] });
export type ClinicHours = z.infer<typeof ClinicHours>;

/** Practice settings for metrics. */
export const MetricsSettings = z.object({
  /** Minutes a clinician spent documenting one note before Scribe (the practice's own figure). */
  baselineMinutesPerNote: z.number().min(0).max(240),
  /** 'measured': from notes this practice wrote without an AI draft, when there are enough of them. */
  baselineSource: z.enum(['setting', 'measured']),
  clinicHours: ClinicHours,
});
export type MetricsSettings = z.infer<typeof MetricsSettings>;

export const MetricsFilter = z
  .object({
    from: MetricsDay.optional(),
    to: MetricsDay.optional(),
    clinicianId: Id.optional(),
    visitType: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'on or after the start date', path: ['to'] });
export type MetricsFilter = z.infer<typeof MetricsFilter>;

/** Figures of a period or group: minutes, shares 0..1, counts; null = no data. */
export const MetricsFigures = z.object({
  visits: z.number(),
  notesSigned: z.number(),
  documentationMinutesPerNote: z.number().nullable(),
  minutesSaved: z.number(),
  afterHoursMinutes: z.number(),
  draftRetention: z.number().nullable(),
  timeToSignMinutes: z.number().nullable(),
  visitMinutes: z.number().nullable(),
  stopToDraftSeconds: z.number().nullable(),
  /** Imported recordings apart: their Stop-to-draft includes transcribing the whole file. */
  importStopToDraftSeconds: z.number().nullable().optional(),
  codingAccepted: z.number(),
  codingRejected: z.number(),
  codingReplaced: z.number(),
  amendments: z.number(),
});
export type MetricsFigures = z.infer<typeof MetricsFigures>;

export const MetricsDashboard = z.object({
  filter: z.object({
    from: z.string().optional(),
    to: z.string().optional(),
    clinicianId: z.string().optional(),
    visitType: z.string().optional(),
  }),
  baseline: z.object({ minutesPerNote: z.number(), source: z.enum(['setting', 'measured']), notes: z.number() }),
  totals: MetricsFigures,
  weekly: z.array(MetricsFigures.extend({ week: z.string() })),
  clinicianWeeks: z.array(MetricsFigures.extend({ week: z.string(), clinicianId: z.string() })),
  clinicians: z.array(MetricsFigures.extend({ clinicianId: z.string() })),
  options: z.object({
    clinicians: z.array(z.string()),
    visitTypes: z.array(z.string()),
    firstDay: z.string().nullable(),
    lastDay: z.string().nullable(),
  }),
  workstations: z.number(),
  source: z.object({
    scope: z.enum(['practice', 'local']),
    ehrError: z.string().optional(),
    reportsRead: z.number(),
    unpublished: z.number(),
  }),
  generatedAt: z.string(),
});
export type MetricsDashboard = z.infer<typeof MetricsDashboard>;

/** The idle lock (app/security): whether the session is locked and who must unlock it. */
export const LockStatus = z.object({
  locked: z.boolean(),
  /** The person who must unlock (their id), when locked. */
  lockedFor: z.string().optional(),
  reason: z.enum(['idle', 'user', 'restart']).optional(),
  hasPin: z.boolean(),
  idleMinutes: z.number(),
  /** Wrong PINs make the next attempt wait until this time (ISO), when set. */
  retryAfter: z.string().optional(),
});
export type LockStatus = z.infer<typeof LockStatus>;
export const UnlockPin = z.string().regex(/^[0-9]{4,12}$/, 'a PIN is 4 to 12 digits');

// ── note style (app/style): a clinician's own learned style; never leaves the workstation ──────────
export const StyleRuleView = z.object({
  id: z.string(),
  kind: z.enum(['section.remove', 'section.rename', 'section.order', 'phrase.remove', 'phrase.replace', 'template']),
  /** What it is about: follow-up, medication, vitals, negation, wording, section, template. */
  item: z.string(),
  description: z.string(),
  sectionId: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  /** Signed notes that agreed with the rule / went against it. */
  seen: z.number().int().nonnegative(),
  against: z.number().int().nonnegative(),
  /** Share of the latest notes that agreed (0..1). */
  recentAgreement: z.number().min(0).max(1),
  /** applied: used on new drafts; learning: not seen often enough yet; fading: recent notes disagree; off: switched off. */
  state: z.enum(['applied', 'learning', 'fading', 'off']),
  enabled: z.boolean(),
  edited: z.boolean(),
  /** Whether its wording can be edited (replacements and renames). */
  editable: z.boolean(),
});
export type StyleRuleView = z.infer<typeof StyleRuleView>;

export const StyleProfileView = z.object({
  clinicianId: Id,
  /** Signed notes learned from. */
  notes: z.number().int().nonnegative(),
  /** Notes a rule must be seen in before it is applied. */
  minSeen: z.number().int().positive(),
  rules: z.array(StyleRuleView),
  /** Median words of the clinician's latest signed notes and of their drafts. */
  length: z.object({ signedWords: z.number().nullable(), draftedWords: z.number().nullable() }),
  updatedAt: z.string().nullable(),
});
export type StyleProfileView = z.infer<typeof StyleProfileView>;
