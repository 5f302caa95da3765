import type { DraftContext } from '../draft/index.ts';
import type { Draft, EventPayload, ScheduledEncounter, Transcript, TranscriptSegment, User } from '../contract/index.ts';

/** What the visit service needs from the rest of the core. app/core wires the real implementations. */

export interface VisitRecords {
  writeJson(key: string, value: unknown): Promise<void>;
  readJson<T>(key: string): Promise<T | null>;
  appendAudio(pcm: Uint8Array): Promise<void>;
  readAudio(): Promise<Buffer>;
  audioBytes(): Promise<number>;
}

export interface VisitStorage {
  visit(visitId: string): VisitRecords;
  listVisits(): Promise<string[]>;
}

export interface StreamingSession {
  push(pcm: Int16Array): void;
  /** Resolves once everything pushed so far was processed (back-pressure for bulk input). */
  drain?(): Promise<void>;
  pause(): void;
  resume(): void;
  finish(): Promise<Transcript>;
  close(): void;
}

export interface TranscriberPort {
  start(opts: {
    vocabulary: string[];
    onPartial: (text: string) => void;
    onSegment: (segment: TranscriptSegment) => void;
    /** Said once, in words (the practice transcription server failed; the local text is kept). */
    onNotice?: (message: string) => void;
    /** The built-in recognizer on this computer (the fallback when recognition did not finish): no server, no downloaded model. */
    local?: boolean;
  }): StreamingSession;
}

export interface DraftRequest {
  transcript: Transcript;
  template?: string;
  /** What the chart knows: problems, medicines, and who the patient is (decision 0204). */
  context?: DraftContext;
  keep?: Draft;
  /** Language-model engines: each section as soon as it is written (the editor shows it at once). */
  onSection?: (section: Draft['sections'][number]) => void;
  /** Language-model engines: the clinician stopped drafting (the built-in draft is given instead). */
  signal?: AbortSignal;
  /** Whose note it is and what kind of visit (a style layer uses the clinician's learned style; app/style). */
  clinicianId?: string;
  visitType?: string;
}

export interface DrafterPort {
  draft(input: DraftRequest): Promise<Draft>;
}

export interface PatientContext {
  problems: string[];
  medications: string[];
  /** The problems with the chart resource each came from ("Condition/abc"), so a draft can cite them. */
  conditions?: Array<{ reference: string; display: string }>;
}

export interface SchedulePort {
  todaysEncounters(user: User): Promise<ScheduledEncounter[]>;
  patientContext(patientId: string): Promise<PatientContext>;
  /** The chart as coded in the EHR (for the panel beside the draft). */
  chart?(
    patientId: string,
  ): Promise<{ problems: { code?: string; display: string }[]; medications: { rxcui?: string; display: string }[] }>;
  searchPatients?(text: string): Promise<{ patientId: string; name: string; birthDate?: string; gender?: string; mrn?: string }[]>;
  /** A walk-in: creates today's Encounter in the EHR for this patient and clinician, and returns it as scheduled. */
  walkIn?(user: User, patientId: string): Promise<ScheduledEncounter>;
}

/** A note the clinician signed, as handed to the outbox (persisted there before anything is sent). */
export interface SignedNote {
  noteId: string;
  visitId: string;
  patientId: string;
  practitionerName?: string;
  encounterId: string;
  practitionerRef: string;
  visitType: string;
  title: string;
  text: string;
  sections: { id: string; title: string; text: string }[];
  /** ICD-10-CM codes the clinician accepted: posted as encounter-diagnosis Conditions. */
  diagnoses: { code: string; display: string; system: string }[];
  signedAt: string;
  period: { start: string; end?: string };
  drafter: { engine: string; version: string; model?: string; modelSha256?: string };
  recognizer: { engine: string; model?: string };
  /** Chart resources the note's drafted sentences cite ("Patient/123", "Condition/abc"): the Provenance's sources. */
  chartSources?: string[];
}

/** Where a note stands, as the outbox reports it. */
export interface PostUpdate {
  noteId: string;
  status: 'queued' | 'sending' | 'posted' | 'failed';
  attempts: number;
  serverId?: string;
  versionId?: string;
  error?: string;
  updatedAt: string;
}

export interface OutboxPort {
  enqueue(note: SignedNote): Promise<void>;
  /** Post `note` as a new DocumentReference that replaces the posted one (set to superseded with If-Match). */
  amend(original: { documentReferenceId: string; versionId: string }, note: SignedNote): Promise<void>;
  /** The outbox's record of a note: the one source of its post status. */
  status(noteId: string): Promise<PostUpdate | null>;
}

/** The events the visit service announces, typed by the contract. */
export type VisitEventName = 'visit.updated' | 'transcript.partial' | 'transcript.notice' | 'draft.section';
export type EmitVisitEvent = <E extends VisitEventName>(event: E, payload: EventPayload<E>) => void;

export type LifecycleEvent = {
  type: 'visit.started' | 'visit.stopped' | 'draft.ready' | 'visit.signed' | 'draft.edited' | 'note.posted' | 'note.amended';
  visitId: string;
  clinicianId: string;
  visitType: string;
  at: string;
  audioSeconds?: number;
  draftText?: string;
  signedText?: string;
  sectionId?: string;
  sizeOfChange?: number;
};
export type LifecycleListener = (event: LifecycleEvent) => void;
