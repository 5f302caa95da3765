import { z } from 'zod';
import { EVERYONE, VISIT_OWNER, VISIT_READERS, defineCall, defineEvent } from './define.ts';
import {
  Consent,
  Draft,
  Id,
  Speaker,
  Pcm16Base64,
  ScheduledEncounter,
  Session,
  Transcript,
  Visit,
  VisitSummary,
  DictationApplied,
  DictationCursor,
  DictationPartial,
  DictationState,
  LockToken,
  NoteDiff,
  NoteVersion,
  OpenedNote,
  QueueItem,
  QueuePerson,
  QueueSaveResult,
  QueueStatus,
} from './schemas.ts';
import { MetricsDashboard, MetricsFilter, MetricsSettings } from './schemas.ts';
import { CodingDecision, CodingHint } from './schemas.ts';
import { LockStatus, UnlockPin } from './schemas.ts';
import { DraftSection } from './schemas.ts';
import { StyleProfileView } from './schemas.ts';
import { EhrInfo } from './schemas.ts';

/**
 * THE contract: every call the UI can make, with input and output schemas and the roles allowed.
 * Electron's preload, the web bridge and the renderer are all derived from this one object.
 * Capabilities add their calls in their own block below (keep blocks grouped by capability).
 */
const RetentionPolicyShape = z.object({
  audioDays: z.number().int().min(0).max(3650),
  transcriptDays: z.number().int().min(0).max(36500).nullable(),
  draftDays: z.number().int().min(0).max(36500).nullable(),
});

// Workstation settings (app/settings): PHI-free; full validation (https, model names) happens in the core.
/** A practice server's address, model and plain-http allowances (app/settings validates the values). */
const PracticeServerShape = z
  .object({ baseUrl: z.string().max(2000), model: z.string().max(200), allowedPlainHosts: z.array(z.string().max(253)).max(20).optional() })
  .strict();
const RecognitionSettingShape = z
  .object({
    engine: z.enum(['sphinx', 'sherpa', 'server']),
    model: z.string().max(100).nullable(),
    server: PracticeServerShape.nullable().optional(),
  })
  .strict();
const EhrSettingShape = z
  .object({
    mode: z.enum(['sandbox', 'fhir']),
    baseUrl: z.string().max(2000).nullable(),
    clientId: z.string().max(200).nullable(),
    name: z.string().max(80).nullable().optional(),
    identifierBase: z.string().max(500).nullable().optional(),
    organization: z.string().max(80).nullable().optional(),
    redirectPort: z.number().int().nullable().optional(),
  })
  .strict();
/** Which engine drafts notes (app/settings DraftingSetting validates the values). */
const DraftingSettingShape = z
  .object({
    engine: z.enum(['builtin', 'llm', 'server']),
    model: z.string().max(1000).nullable(),
    server: PracticeServerShape.nullable(),
  })
  .strict();
const ProcessingPlace = z.object({ on: z.enum(['computer', 'server']), host: z.string().nullable() });
const SettingsView = z.object({
  recognition: RecognitionSettingShape,
  ehr: EhrSettingShape,
  drafting: DraftingSettingShape,
  /** The EHR this run connected to at start (a saved change applies at the next start). */
  ehrInUse: z.object({ mode: z.enum(['sandbox', 'fhir']), baseUrl: z.string() }),
  /** A command-line --engine that overrides the saved engine for this run, if any. */
  engineOverride: z.enum(['sphinx', 'sherpa', 'server']).nullable(),
  /** Why the saved settings file could not be used (defaults in force), if so. */
  problem: z.string().nullable(),
  /**
   * Where a new visit's steps run under the settings in force (the override counted), worked out by the core so every
   * screen says the same (decision 0205): this computer, or the practice server with its host (null: none set yet).
   */
  processing: z.object({ recognition: ProcessingPlace, drafting: ProcessingPlace }),
});

export const contract = {
  // ── session ─────────────────────────────────────────────────────────────
  'session.get': defineCall({
    summary: 'Who is signed in, which EHR is connected, and the local profiles available in the sandbox',
    input: z.object({}).strict(),
    output: Session,
    access: EVERYONE,
  }),
  'session.useProfile': defineCall({
    summary: 'Sandbox only: act as one of the local demo profiles (a profile with an unlock PIN needs it)',
    input: z.object({ profileId: Id, pin: UnlockPin.optional() }).strict(),
    output: Session,
    access: EVERYONE,
  }),

  'ehr.signIn': defineCall({
    summary:
      'Start SMART sign-in to the EHR: returns the authorize address to open (system browser or auth window); session.changed follows',
    input: z.object({}).strict(),
    output: z.object({ authorizeUrl: z.string().url() }),
    access: EVERYONE,
  }),
  'ehr.signOut': defineCall({
    summary: 'Sign out of the EHR: the refresh token is revoked and removed from the keychain',
    input: z.object({}).strict(),
    output: Session,
    access: EVERYONE,
  }),

  // ── schedule ────────────────────────────────────────────────────────────
  'schedule.today': defineCall({
    summary: "Today's encounters for the signed-in practitioner",
    input: z.object({}).strict(),
    output: z.array(ScheduledEncounter),
    access: { clinician: 'none', scribe: 'none' },
  }),

  // ── visit: capture ──────────────────────────────────────────────────────
  'visit.start': defineCall({
    summary: 'Start a visit for an encounter; with consent "declined" nothing is recorded and the note is written by hand',
    input: z.object({ encounterId: Id, consent: Consent }).strict(),
    output: Visit,
    access: { clinician: 'none' },
  }),
  'visit.appendAudio': defineCall({
    summary: 'Append a chunk of 16 kHz mono PCM to a recording visit (seq numbers start at 0, no gaps)',
    input: z.object({ visitId: Id, seq: z.number().int().nonnegative(), pcm16: Pcm16Base64 }).strict(),
    output: z.object({ audioSeconds: z.number() }),
    access: VISIT_OWNER,
  }),
  'visit.pause': defineCall({
    summary: 'Pause recording',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),
  'visit.resume': defineCall({
    summary: 'Resume a paused recording',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),
  'visit.stop': defineCall({
    summary: 'Stop recording: the transcript and the draft follow (visit.updated events)',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),
  'visit.get': defineCall({
    summary: 'One visit with its transcript, draft and posting status',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_READERS,
  }),
  'visit.preview': defineCall({
    summary: 'The whole note exactly as signing would post it (plain text), for the one-page read view',
    input: z.object({ visitId: Id }).strict(),
    output: z.object({ text: z.string() }),
    access: VISIT_READERS,
  }),
  'visit.list': defineCall({
    summary: 'Visits on this workstation, newest first',
    input: z.object({}).strict(),
    output: z.array(VisitSummary),
    access: VISIT_READERS,
    list: 'id',
  }),

  'visit.chart': defineCall({
    summary: "The patient's active problems and medications from the EHR, shown beside the draft",
    input: z.object({ visitId: Id }).strict(),
    output: z.object({
      problems: z.array(z.object({ code: z.string().optional(), display: z.string() })),
      medications: z.array(z.object({ rxcui: z.string().optional(), display: z.string() })),
    }),
    access: VISIT_READERS,
  }),
  'patient.search': defineCall({
    summary: 'Find patients in the EHR by name or identifier',
    input: z.object({ text: z.string().trim().min(2).max(100) }).strict(),
    output: z.array(
      z.object({
        patientId: z.string(),
        name: z.string(),
        birthDate: z.string().optional(),
        gender: z.string().optional(),
        mrn: z.string().optional(),
      }),
    ),
    access: { clinician: 'none' },
  }),
  'schedule.walkIn': defineCall({
    summary: "A walk-in: create today's Encounter in the EHR for a patient found by search, to start a visit on it",
    input: z.object({ patientId: Id }).strict(),
    output: ScheduledEncounter,
    access: { clinician: 'none' },
  }),
  'visit.recoverable': defineCall({
    summary: 'Visits that were still recording when Scribe or the machine stopped: offered for recovery',
    input: z.object({}).strict(),
    output: z.array(VisitSummary),
    access: VISIT_OWNER,
    list: 'id',
  }),
  'visit.recover': defineCall({
    summary: 'Recover an interrupted visit from its stored audio: recognize it all, then draft',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),
  'visit.retry': defineCall({
    summary: 'A visit that failed after Stop: recognize its stored recording again and draft it (visit.updated events follow)',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),
  'visit.delete': defineCall({
    summary: 'Delete this visit from the workstation (crypto-shred: its keys are destroyed); a posted note stays in the EHR',
    input: z.object({ visitId: Id, confirm: z.literal(true) }).strict(),
    output: z.object({ deleted: z.literal(true) }),
    access: VISIT_OWNER,
  }),
  'retention.get': defineCall({
    summary: 'How long audio, transcripts and drafts are kept on this workstation after signing',
    input: z.object({}).strict(),
    output: RetentionPolicyShape,
    access: EVERYONE,
  }),
  'retention.set': defineCall({
    summary: 'Change the retention policy (days after signing; 0 = at signing; null = keep)',
    input: RetentionPolicyShape.partial().strict(),
    output: RetentionPolicyShape,
    access: { manager: 'none' },
  }),
  'transcript.setSpeaker': defineCall({
    summary: 'Say who spoke a transcript turn (clinician, patient, other) when diarization could not',
    input: z.object({ visitId: Id, segmentId: z.string().min(1).max(100), speaker: Speaker }).strict(),
    output: Visit,
    access: VISIT_READERS,
  }),
  'visit.audioClip': defineCall({
    summary: 'A stretch of the visit audio as a WAV (to play the evidence of a sentence or a transcript turn)',
    input: z
      .object({ visitId: Id, start: z.number().nonnegative(), end: z.number().nonnegative() })
      .strict()
      .refine((v) => v.end > v.start && v.end - v.start <= 600, 'end must be after start, at most 10 minutes later'),
    output: z.object({ wavBase64: z.string(), start: z.number(), end: z.number() }),
    access: VISIT_READERS,
  }),

  // ── draft ───────────────────────────────────────────────────────────────
  'draft.templates': defineCall({
    summary: "Note templates (section layouts per visit type), built in and the clinic's own",
    input: z.object({}).strict(),
    output: z.object({
      templates: z.array(z.object({ name: z.string(), title: z.string(), description: z.string() })),
      problems: z.array(z.object({ file: z.string(), error: z.string() })),
    }),
    access: { clinician: 'none', scribe: 'none' },
  }),
  'draft.regenerate': defineCall({
    summary: 'Draft again with another template; sections a person edited are kept',
    input: z.object({ visitId: Id, template: z.string().min(1).max(100) }).strict(),
    output: Visit,
    access: VISIT_READERS,
  }),
  'draft.stop': defineCall({
    summary:
      'Stop a language model drafting this visit (or about to, while it is transcribed): the built-in draft is saved instead; nothing the model streamed is kept',
    input: z.object({ visitId: Id }).strict(),
    output: z.object({ stopped: z.boolean() }),
    access: VISIT_READERS,
  }),
  'draft.updateSection': defineCall({
    summary: "Save a person's edit of one section (baseVersion guards against lost updates)",
    input: z
      .object({
        visitId: Id,
        sectionId: z.string().min(1).max(100),
        text: z.string().max(100_000),
        baseVersion: z.number().int().nonnegative(),
      })
      .strict(),
    output: Draft,
    access: VISIT_READERS,
  }),

  'draft.reviewSentence': defineCall({
    summary: 'Keep or remove a sentence the language model wrote that its cited turns do not support (Sign waits for every one)',
    input: z
      .object({
        visitId: Id,
        sectionId: z.string().min(1).max(100),
        sentence: z.number().int().nonnegative(),
        decision: z.enum(['keep', 'remove']),
        baseVersion: z.number().int().nonnegative(),
      })
      .strict(),
    output: Draft,
    access: VISIT_OWNER,
  }),

  // ── sign & post ─────────────────────────────────────────────────────────
  'visit.amend': defineCall({
    summary: 'Reopen a posted note to amend it; signing again posts a DocumentReference that replaces it',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),
  'visit.sign': defineCall({
    summary: 'Sign the note: it is queued in the outbox and posted to the EHR',
    input: z.object({ visitId: Id }).strict(),
    output: Visit,
    access: VISIT_OWNER,
  }),

  // ── dictation (app/dictation) ───────────────────────────────────────────
  'dictation.start': defineCall({
    summary: "Start dictating into a drafted visit's note at a cursor (the editor's current section texts may be passed)",
    input: z
      .object({
        visitId: Id,
        cursor: DictationCursor,
        sections: z
          .array(z.object({ id: z.string().min(1).max(100), text: z.string().max(100_000) }))
          .max(50)
          .optional(),
      })
      .strict(),
    output: DictationState,
    access: VISIT_OWNER,
  }),
  'dictation.prepare': defineCall({
    summary: 'Load the recognizer for dictation ahead of time (the editor calls it on opening), so the first words are not kept waiting',
    input: z.object({ visitId: Id }).strict(),
    output: z.object({ ready: z.boolean() }),
    access: VISIT_OWNER,
  }),
  'dictation.appendAudio': defineCall({
    summary:
      'Append a chunk of 16 kHz mono PCM to a dictation (seq from 0, no gaps); final utterances come back as dictation.applied events',
    input: z.object({ dictationId: Id, seq: z.number().int().nonnegative(), pcm16: Pcm16Base64 }).strict(),
    output: z.object({ audioSeconds: z.number(), stopped: z.boolean() }),
    access: VISIT_OWNER,
  }),
  'dictation.edit': defineCall({
    summary: 'The clinician typed or moved the caret while dictating: later words go where the caret is now',
    input: z
      .object({
        dictationId: Id,
        sectionId: z.string().min(1).max(100),
        text: z.string().max(100_000).optional(),
        offset: z.number().int().nonnegative().max(1_000_000),
      })
      .strict(),
    output: DictationState,
    access: VISIT_OWNER,
  }),
  'dictation.stop': defineCall({
    summary: 'Stop dictating: the last utterance is recognized and applied before this answers',
    input: z.object({ dictationId: Id }).strict(),
    output: DictationState,
    access: VISIT_OWNER,
  }),

  // ── scribe queue (app/queue) ────────────────────────────────────────────
  'queue.list': defineCall({
    summary: "The signed-in person's queue: a scribe's assigned visits, or a clinician's visits in the queue",
    input: z.object({ status: QueueStatus.optional() }).strict(),
    output: z.array(QueueItem),
    access: VISIT_READERS,
    list: 'visitId',
  }),
  'queue.scribes': defineCall({
    summary: 'Scribes a visit can be assigned to',
    input: z.object({}).strict(),
    output: z.array(QueuePerson),
    access: { clinician: 'none' },
  }),
  'queue.assign': defineCall({
    summary: 'Hand a drafted visit to a scribe for editing',
    input: z.object({ visitId: Id, scribeId: Id }).strict(),
    output: QueueItem,
    access: VISIT_OWNER,
  }),
  'queue.open': defineCall({
    summary: 'Open a queued note: takes the edit lock when free, else shows who holds it and since when',
    input: z.object({ visitId: Id }).strict(),
    output: OpenedNote,
    access: VISIT_READERS,
  }),
  'queue.takeOver': defineCall({
    summary: "Take the edit lock over (the visit's clinician, or the holder from another window)",
    input: z.object({ visitId: Id }).strict(),
    output: OpenedNote,
    access: VISIT_READERS,
  }),
  'queue.release': defineCall({
    summary: 'Close the note and give the edit lock back',
    input: z.object({ visitId: Id, lockToken: LockToken }).strict(),
    output: QueueItem,
    access: VISIT_READERS,
  }),
  'queue.save': defineCall({
    summary:
      'Save sections (versioned; a save without the lock or from an older version is kept as a conflicting version and refused with the current text)',
    input: z
      .object({
        visitId: Id,
        lockToken: LockToken,
        baseVersion: z.number().int().nonnegative(),
        sections: z
          .array(z.object({ id: z.string().min(1).max(100), text: z.string().max(100_000) }))
          .min(1)
          .max(50),
      })
      .strict(),
    output: QueueSaveResult,
    access: VISIT_READERS,
  }),
  'queue.markReady': defineCall({
    summary: 'Hand the note to the clinician for signature (releases the lock)',
    input: z.object({ visitId: Id, lockToken: LockToken }).strict(),
    output: QueueItem,
    access: VISIT_READERS,
  }),
  'queue.diff': defineCall({
    summary: 'What changed against the AI draft, word by word',
    input: z.object({ visitId: Id }).strict(),
    output: NoteDiff,
    access: VISIT_READERS,
  }),
  'queue.versions': defineCall({
    summary: 'Every kept version of a queued note (AI draft, saves, refused saves), oldest first',
    input: z.object({ visitId: Id }).strict(),
    output: z.array(NoteVersion),
    access: VISIT_READERS,
  }),

  // ── metrics (app/metrics): de-identified figures; the manager role never sees PHI ─────────────
  'metrics.dashboard': defineCall({
    summary: "Charting-time figures (practice-wide from the EHR's MeasureReports, else this workstation); a clinician sees only their own",
    input: MetricsFilter,
    output: MetricsDashboard,
    access: { manager: 'none', clinician: 'ownMetrics' },
  }),
  'metrics.exportCsv': defineCall({
    summary: 'The dashboard figures as CSV (totals, weeks, clinicians, clinician-weeks)',
    input: MetricsFilter,
    output: z.object({ filename: z.string(), csv: z.string() }),
    access: { manager: 'none', clinician: 'ownMetrics' },
  }),
  'metrics.settings.get': defineCall({
    summary: 'Baseline minutes per note and clinic hours',
    input: z.object({}).strict(),
    output: MetricsSettings,
    access: { manager: 'none' },
  }),
  'metrics.settings.set': defineCall({
    summary: 'Change the baseline or clinic hours (clinic hours apply to editing recorded from now on)',
    input: z
      .object({
        baselineMinutesPerNote: MetricsSettings.shape.baselineMinutesPerNote.optional(),
        baselineSource: MetricsSettings.shape.baselineSource.optional(),
        clinicHours: MetricsSettings.shape.clinicHours.optional(),
      })
      .strict(),
    output: MetricsSettings,
    access: { manager: 'none' },
  }),
  'metrics.editorActivity': defineCall({
    summary: 'Active editing time measured by the note editor (idle gaps already excluded)',
    input: z.object({ visitId: Id, activeMs: z.number().int().min(0).max(3_600_000) }).strict(),
    output: z.object({ activeEditSeconds: z.number() }),
    access: VISIT_READERS,
  }),

  // ── asset packs (app/assets) ────────────────────────────────────────────
  'assets.list': defineCall({
    summary: 'Model and terminology packs of the manifest: installed, outdated or missing (no patient data)',
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        name: z.string(),
        kind: z.string(),
        version: z.string(),
        state: z.enum(['installed', 'outdated', 'missing']),
        installedVersion: z.string().optional(),
        installedAt: z.string().optional(),
        sizeBytes: z.number().int().nonnegative(),
        licence: z.string(),
        installCommand: z.string(),
      }),
    ),
    access: EVERYONE,
  }),

  // ── speech recognition (app/transcribe) ─────────────────────────────────
  'transcription.engines': defineCall({
    summary: 'Recognition engines and speech models usable on this workstation, for the settings screen (no patient data)',
    input: z.object({}).strict(),
    output: z.object({
      engines: z.array(z.object({ name: z.enum(['sphinx', 'sherpa', 'server']), installed: z.boolean(), description: z.string() })),
      models: z.array(
        z.object({
          name: z.string(),
          role: z.enum(['offline', 'streaming', 'segmentation', 'embedding']),
          installed: z.boolean(),
          installCommand: z.string(),
        }),
      ),
      defaultSherpaModel: z.string(),
    }),
    access: EVERYONE,
  }),

  // ── coding hints (app/coding) ───────────────────────────────────────────
  'coding.suggest': defineCall({
    summary: "ICD-10-CM, RxNorm and LOINC hints for a visit's draft and transcript, with evidence, and the decisions taken so far",
    input: z.object({ visitId: Id }).strict(),
    output: z.object({
      visitId: Id,
      draftVersion: z.number().int().nullable(),
      hints: z.array(CodingHint),
      decisions: z.array(CodingDecision),
    }),
    access: VISIT_READERS,
  }),
  'coding.search': defineCall({
    summary: 'Type-ahead over all ICD-10-CM codes (FY2027): words, abbreviations or a code prefix',
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
    output: z.array(z.object({ code: z.string(), display: z.string(), billable: z.boolean() })),
    access: { clinician: 'none', scribe: 'none' },
  }),
  'coding.decide': defineCall({
    summary:
      'Accept, reject, or replace (with a billable ICD-10-CM code) one coding hint, or add a diagnosis no hint proposed, before signing',
    input: z
      .object({
        visitId: Id,
        /** The hint's id; for `add`, `manual:CODE`. */
        hintId: z.string().min(1).max(200),
        action: z.enum(['accept', 'reject', 'replace', 'add']),
        code: z.string().max(10).optional(),
      })
      .strict()
      .refine((v) => (v.action !== 'replace' && v.action !== 'add') || !!v.code, {
        message: 'replace and add need the code',
        path: ['code'],
      }),
    output: z.array(CodingDecision),
    access: VISIT_OWNER,
  }),

  // ── session lock (app/security: idle lock, re-authentication before anything, Sign included) ──
  'session.lockStatus': defineCall({
    summary: 'Whether the session is locked (after idling or by hand) and whether the person has an unlock PIN',
    input: z.object({}).strict(),
    output: LockStatus,
    access: EVERYONE,
  }),
  'session.lock': defineCall({
    summary: 'Lock the session now (needs an unlock PIN set)',
    input: z.object({}).strict(),
    output: LockStatus,
    access: EVERYONE,
  }),
  'session.unlock': defineCall({
    summary: 'Unlock with the PIN of the person who was signed in (wrong PINs slow further attempts)',
    input: z.object({ pin: UnlockPin }).strict(),
    output: LockStatus,
    access: EVERYONE,
  }),
  'session.setPin': defineCall({
    summary: 'Set or change your unlock PIN (changing it needs the current one); kept as a hash in the OS keychain',
    input: z.object({ pin: UnlockPin, currentPin: UnlockPin.optional() }).strict(),
    output: LockStatus,
    access: EVERYONE,
  }),

  // ── my note style (app/style; docs/decisions/0140-0144): the signed-in clinician's own profile only ──
  'style.profile': defineCall({
    summary: 'Your note style: every rule learned from the notes you signed, how often each was seen, and whether it is applied',
    input: z.object({}).strict(),
    output: StyleProfileView,
    access: { clinician: 'none' },
  }),
  'style.setRule': defineCall({
    summary: 'Switch one of your style rules off (never applied) or on again; audited',
    input: z.object({ ruleId: z.string().min(1).max(40), enabled: z.boolean() }).strict(),
    output: StyleProfileView,
    access: { clinician: 'none' },
  }),
  'style.editRule': defineCall({
    summary: 'Change the wording of a replacement ("N" stands for the number) or a section title; it may not add facts; audited',
    input: z.object({ ruleId: z.string().min(1).max(40), to: z.string().trim().min(1).max(200) }).strict(),
    output: StyleProfileView,
    access: { clinician: 'none' },
  }),
  'style.reset': defineCall({
    summary: 'Forget everything learned about your note style (rules and kept example notes); audited',
    input: z.object({ confirm: z.literal(true) }).strict(),
    output: StyleProfileView,
    access: { clinician: 'none' },
  }),
  'style.restoreSection': defineCall({
    summary: 'Put back, in this draft, a section your style left out (its drafted text and evidence)',
    input: z.object({ visitId: Id, sectionId: z.string().min(1).max(100), baseVersion: z.number().int().nonnegative() }).strict(),
    output: Draft,
    access: VISIT_READERS,
  }),
  'style.noteStatus': defineCall({
    summary: 'Whether your style learned from this signed note, and whether someone else (a scribe) edited it',
    input: z.object({ visitId: Id }).strict(),
    output: z.object({ learned: z.boolean(), othersEdited: z.boolean(), learnable: z.boolean() }),
    access: VISIT_OWNER,
  }),
  'style.learnFromNote': defineCall({
    summary: 'Accept a signed note someone else edited as your style: learn from it, their edits included',
    input: z.object({ visitId: Id }).strict(),
    output: z.object({ learned: z.boolean(), othersEdited: z.boolean(), learnable: z.boolean() }),
    access: VISIT_OWNER,
  }),

  // ── workstation settings (app/settings; docs/decisions/0080-0081) ───────
  'settings.get': defineCall({
    summary: 'Workstation settings: recognition engine and model (next visit), EHR connection (next start), and any problem reading them',
    input: z.object({}).strict(),
    output: SettingsView,
    access: EVERYONE,
  }),
  'settings.set': defineCall({
    summary:
      'Change the recognition engine/model (applies to the next visit or dictation) or the EHR connection (applies at the next start); audited',
    input: z
      .object({
        recognition: RecognitionSettingShape.optional(),
        ehr: EhrSettingShape.optional(),
        drafting: DraftingSettingShape.optional(),
      })
      .strict(),
    output: SettingsView,
    access: { clinician: 'none', manager: 'none' },
  }),
  'settings.drafting': defineCall({
    summary:
      "Drafting engines on this workstation: the model packs with the hardware check's fit and recommendation, and whether the practice server's API key is set (never the key)",
    input: z.object({}).strict(),
    output: z.object({
      hardware: z.object({ totalMemoryBytes: z.number(), cores: z.number().int(), gpu: z.string().nullable(), gpuMemoryBytes: z.number() }),
      packs: z.array(
        z.object({
          name: z.string(),
          parameters: z.string(),
          memoryBytes: z.number(),
          sizeBytes: z.number(),
          installed: z.boolean(),
          fits: z.boolean(),
          warning: z.string(),
          installCommand: z.string(),
        }),
      ),
      recommended: z.string().nullable(),
      apiKeySet: z.boolean(),
    }),
    access: EVERYONE,
  }),
  'settings.setDraftingKey': defineCall({
    summary: "Store (or with null, remove) the practice server's API key in the OS keychain; answers only whether one is set",
    input: z.object({ apiKey: z.string().trim().min(1).max(4000).nullable() }).strict(),
    output: z.object({ apiKeySet: z.boolean() }),
    access: { clinician: 'none', manager: 'none' },
  }),
  'settings.checkDrafting': defineCall({
    summary: 'Run a tiny generation on a drafting engine setting (not saved): which model answered and how fast, or why not',
    input: z.object({ drafting: DraftingSettingShape }).strict(),
    output: z.object({
      ok: z.boolean(),
      engine: z.enum(['builtin', 'llm', 'server']),
      model: z.string().nullable(),
      seconds: z.number().nullable(),
      tokens: z.number().nullable(),
      summary: z.string(),
    }),
    access: { clinician: 'none', manager: 'none' },
  }),
  'settings.checkEhr': defineCall({
    summary: 'Check an EHR base URL: its FHIR CapabilityStatement (/metadata) and SMART configuration (.well-known/smart-configuration)',
    input: z.object({ baseUrl: z.string().trim().min(1).max(2000) }).strict(),
    output: z.object({
      baseUrl: z.string(),
      fhir: z.object({
        fhirVersion: z.string(),
        software: z.string().nullable(),
        resourcesListed: z.boolean(),
        supported: z.array(z.string()),
        missing: z.array(z.string()),
      }),
      smart: z.object({
        authorizationEndpoint: z.string(),
        tokenEndpoint: z.string(),
        revocationEndpoint: z.string().nullable(),
        pkceS256: z.boolean(),
        capabilities: z.array(z.string()),
      }),
      /** How Scribe would write signed notes to this EHR, from its CapabilityStatement (decision 0150). */
      writePlan: z.object({
        mode: z.enum(['full', 'direct', 'minimal']),
        summary: z.string(),
        notSent: z.array(z.string()),
        ehrName: z.string().nullable(),
      }),
    }),
    access: { clinician: 'none', manager: 'none' },
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

// ── events: core → UI; `receivers` says whose window gets each one (app/core/access.ts) ──
export const events = {
  'session.changed': defineEvent({ payload: Session, receivers: EVERYONE }),
  'session.lockChanged': defineEvent({ payload: LockStatus, receivers: EVERYONE }),
  /** The EHR's side of the session changed for the same person (its write plan was read, the sign-in ended there). */
  'ehr.changed': defineEvent({ payload: EhrInfo, receivers: EVERYONE }),
  'ehr.signInFailed': defineEvent({ payload: z.object({ message: z.string() }), receivers: EVERYONE }),
  'dictation.partial': defineEvent({ payload: DictationPartial, receivers: VISIT_OWNER, visitIdOf: (p) => p.visitId }),
  'dictation.applied': defineEvent({ payload: DictationApplied, receivers: VISIT_OWNER, visitIdOf: (p) => p.visitId }),
  'queue.updated': defineEvent({ payload: QueueItem, receivers: VISIT_READERS, visitIdOf: (p) => p.visitId }),
  'visit.updated': defineEvent({ payload: Visit, receivers: VISIT_READERS, visitIdOf: (p) => p.id }),
  'transcript.partial': defineEvent({
    payload: z.object({ visitId: Id, text: z.string(), segment: z.optional(z.lazy(() => Transcript.shape.segments.element)) }),
    receivers: VISIT_READERS,
    visitIdOf: (p) => p.visitId,
  }),
  /** Something about the visit's transcription the clinician should know, said once (the practice transcription server failed and this workstation's text is kept). */
  'transcript.notice': defineEvent({
    payload: z.object({ visitId: Id, message: z.string() }),
    receivers: VISIT_READERS,
    visitIdOf: (p) => p.visitId,
  }),
  /** A language model finished one section of the draft (the whole draft follows in visit.updated). */
  'draft.section': defineEvent({
    payload: z.object({ visitId: Id, section: DraftSection }),
    receivers: VISIT_READERS,
    visitIdOf: (p) => p.visitId,
  }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const callNames = Object.keys(contract) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
