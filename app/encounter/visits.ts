import { randomUUID } from 'node:crypto';
import { ScribeError } from '../contract/index.ts';
import { encodeWav } from '../audio/index.ts';
import type { CodingDecision, Consent, Draft, Speaker, ScheduledEncounter, Transcript, User, Visit, VisitSummary } from '../contract/index.ts';
import { acceptedDiagnoses, diagnosisSectionText } from '../coding/index.ts';
import type {
  DrafterPort, LifecycleListener, OutboxPort, PostUpdate, SchedulePort, SignedNote, StreamingSession,
  TranscriberPort, VisitStorage,
} from './ports.ts';

export const VISIT_RECORD = 'visit.json';

/** A visit's signed note id; each amendment has its own (the EHR keeps them apart by identifier). */
export function noteIdOf(visitId: string, amendment?: number): string {
  return amendment ? `note-${visitId}-amend-${amendment}` : `note-${visitId}`;
}

export function visitIdOfNote(noteId: string): string {
  return noteId.replace(/^note-/, '').replace(/-amend-\d+$/, '');
}

export interface VisitServiceDeps {
  storage: VisitStorage;
  transcriber: TranscriberPort;
  drafter: DrafterPort;
  schedule: SchedulePort;
  outbox: OutboxPort;
  emit: (event: 'visit.updated' | 'transcript.partial', payload: unknown) => void;
  lifecycle?: LifecycleListener;
  /** The outbox's own record of a note, to reconcile a visit whose status update was lost. */
  postStatus?: (noteId: string) => Promise<PostUpdate | null>;
  now?: () => Date;
}

interface Live {
  session: StreamingSession | null;
  nextSeq: number;
  /** Serialises every operation on one visit so concurrent calls never interleave. */
  queue: Promise<unknown>;
}

const BYTES_PER_SECOND = 16000 * 2;

export const CONSENT_STATEMENTS: Record<Consent, string> = {
  agreed: 'The patient agreed to the visit being recorded and documented with the help of Scribe, which runs on this workstation.',
  declined: 'The patient declined AI-assisted recording; nothing was recorded and this note was written by the clinician.',
};

/**
 * The visit's life: start (after consent) → audio chunks → stop → transcript → draft → edits → sign → outbox.
 * Every state change is persisted (through the vault) before it is announced.
 */
export function createVisitService(deps: VisitServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const visits = new Map<string, Visit>();
  const live = new Map<string, Live>();
  const background = new Set<Promise<unknown>>();
  const deleted = new Set<string>();

  function liveOf(visitId: string): Live {
    let l = live.get(visitId);
    if (!l) {
      l = { session: null, nextSeq: 0, queue: Promise.resolve() };
      live.set(visitId, l);
    }
    return l;
  }

  function serial<T>(visitId: string, work: () => Promise<T>): Promise<T> {
    const l = liveOf(visitId);
    const next = l.queue.then(work, work);
    l.queue = next.catch(() => undefined);
    return next;
  }

  function track(p: Promise<unknown>): void {
    background.add(p);
    void p.finally(() => background.delete(p));
  }

  async function save(visit: Visit): Promise<Visit> {
    // A late update (the outbox reporting on a note, a background draft) never brings a deleted visit back.
    if (deleted.has(visit.id)) throw new ScribeError('not_found', `Visit ${visit.id} was deleted from this workstation`);
    visits.set(visit.id, visit);
    await deps.storage.visit(visit.id).writeJson(VISIT_RECORD, visit);
    deps.emit('visit.updated', visit);
    return visit;
  }

  function lifecycle(visit: Visit, type: Parameters<LifecycleListener>[0]['type'], extra: Partial<Parameters<LifecycleListener>[0]> = {}): void {
    try {
      deps.lifecycle?.({ type, visitId: visit.id, clinicianId: visit.clinicianId, visitType: visit.visitType, at: now().toISOString(), ...extra });
    } catch {
      // metrics must never break the clinical path
    }
  }

  async function load(visitId: string): Promise<Visit> {
    const cached = visits.get(visitId);
    if (cached) return cached;
    const stored = await deps.storage.visit(visitId).readJson<Visit>(VISIT_RECORD);
    if (!stored) throw new ScribeError('not_found', `No visit ${visitId} on this workstation`);
    visits.set(visitId, stored);
    return stored;
  }

  function requireStatus(visit: Visit, allowed: Visit['status'][], action: string): void {
    if (!allowed.includes(visit.status)) {
      throw new ScribeError('conflict', `Cannot ${action}: the visit is ${visit.status}`);
    }
  }

  /** The visit's draft, if it is still the version the editor started from (else a conflict with the current one). */
  async function draftAt(visitId: string, baseVersion: number, action: string): Promise<{ visit: Visit; draft: Draft }> {
    const visit = await load(visitId);
    requireStatus(visit, ['draft'], action);
    const draft = visit.draft;
    if (!draft) throw new ScribeError('conflict', 'The draft is not ready yet');
    if (draft.version !== baseVersion) {
      throw new ScribeError('conflict', `The draft changed since you opened it (version ${draft.version}, yours ${baseVersion}); reload to see the latest text`, { current: draft });
    }
    return { visit, draft };
  }

  async function vocabularyFor(patientId: string): Promise<string[]> {
    try {
      const ctx = await deps.schedule.patientContext(patientId);
      return [...ctx.problems, ...ctx.medications];
    } catch {
      return [];
    }
  }

  function openSession(visit: Visit, vocabulary: string[]): StreamingSession {
    return deps.transcriber.start({
      vocabulary,
      onPartial: (text) => deps.emit('transcript.partial', { visitId: visit.id, text }),
      onSegment: (segment) => deps.emit('transcript.partial', { visitId: visit.id, text: segment.text, segment }),
    });
  }

  async function produceDraft(visit: Visit, transcript: Transcript, template?: string, keep?: Draft): Promise<Draft> {
    let context: { problems?: string[]; medications?: string[] } | undefined;
    try {
      context = await deps.schedule.patientContext(visit.patientId);
    } catch {
      context = undefined;
    }
    return deps.drafter.draft({
      transcript, clinicianId: visit.clinicianId, visitType: visit.visitType,
      ...(template ? { template } : {}), ...(context ? { context } : {}), ...(keep ? { keep } : {}),
    });
  }

  /** After Stop: finish recognition, then draft. Runs in the background; failures are stored on the visit. */
  async function finishVisit(visitId: string, session: StreamingSession | null): Promise<void> {
    let visit = await load(visitId);
    try {
      const transcript = session ? await session.finish() : { engine: 'none', segments: [] };
      visit = await save({ ...visit, transcript });
      const draft = await produceDraft(visit, transcript, templateFor(visit.visitType));
      visit = await save({ ...visit, draft, status: 'draft', aiDraftText: draft.sections.map((s) => s.text).join('\n') });
      lifecycle(visit, 'draft.ready');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await save({ ...visit, status: 'failed', error: `Could not finish the visit: ${message}` });
    } finally {
      session?.close();
    }
  }

  function templateFor(visitType: string): string | undefined {
    if (/new/i.test(visitType)) return 'new-patient-hp';
    if (/follow/i.test(visitType)) return 'soap-follow-up';
    return undefined;
  }

  /** The sections of the signed note: the draft's, then the diagnoses the clinician accepted. */
  function signedSections(visit: Visit, draft: Draft): { id: string; title: string; text: string }[] {
    const sections = draft.sections.map(({ id, title, text }) => ({ id, title, text }));
    const dx = diagnosisSectionText(visit.codingDecisions);
    if (dx) sections.push({ id: 'diagnoses', title: 'Diagnoses (ICD-10-CM)', text: dx });
    return sections;
  }

  function noteText(visit: Visit, sections: { title: string; text: string }[]): string {
    const parts = sections
      .filter((s) => s.text.trim().length > 0)
      .map((s) => `${s.title.toUpperCase()}\n${s.text.trim()}`);
    parts.push(`CONSENT\n${CONSENT_STATEMENTS[visit.consent]}`);
    return parts.join('\n\n') + '\n';
  }

  return {
    async start(user: User, encounterId: string, consent: Consent): Promise<Visit> {
      const encounters = await deps.schedule.todaysEncounters(user);
      const encounter: ScheduledEncounter | undefined = encounters.find((e) => e.encounterId === encounterId);
      if (!encounter) throw new ScribeError('not_found', `Encounter ${encounterId} is not on today's schedule`);
      const id = `v-${randomUUID()}`;
      const base: Visit = {
        id,
        consent,
        clinicianId: user.id,
        encounterId,
        patientId: encounter.patientId,
        patientName: encounter.patientName,
        visitType: encounter.visitType,
        status: consent === 'agreed' ? 'recording' : 'processing',
        startedAt: now().toISOString(),
        audioSeconds: 0,
        transcript: null,
        draft: null,
        post: null,
      };
      const visit = await serial(id, () => save(base));
      lifecycle(visit, 'visit.started');
      if (consent === 'agreed') {
        liveOf(id).session = openSession(visit, await vocabularyFor(visit.patientId));
      } else {
        const done = serial(id, () => finishVisit(id, null));
        track(done);
        await done;
        return load(id);
      }
      return visit;
    },

    appendAudio(visitId: string, seq: number, pcm16Base64: string): Promise<{ audioSeconds: number }> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['recording'], 'add audio');
        const l = liveOf(visitId);
        if (seq < l.nextSeq) return { audioSeconds: visit.audioSeconds }; // a retried chunk: already stored
        if (seq > l.nextSeq) throw new ScribeError('conflict', `Audio chunk ${seq} arrived before chunk ${l.nextSeq}`);
        const bytes = Buffer.from(pcm16Base64, 'base64');
        if (bytes.length % 2 !== 0) throw new ScribeError('bad_request', 'Audio chunk is not 16-bit PCM (odd byte count)');
        await deps.storage.visit(visitId).appendAudio(bytes);
        l.nextSeq = seq + 1;
        const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
        l.session?.push(Int16Array.from(pcm));
        const updated = { ...visit, audioSeconds: visit.audioSeconds + bytes.length / BYTES_PER_SECOND };
        visits.set(visitId, updated);
        return { audioSeconds: updated.audioSeconds };
      });
    },

    pause(visitId: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['recording'], 'pause');
        liveOf(visitId).session?.pause();
        return save({ ...visit, status: 'paused' });
      });
    },

    resume(visitId: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['paused'], 'resume');
        liveOf(visitId).session?.resume();
        return save({ ...visit, status: 'recording' });
      });
    },

    stop(visitId: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['recording', 'paused'], 'stop');
        const l = liveOf(visitId);
        const session = l.session;
        l.session = null;
        const stopped = await save({ ...visit, status: 'processing', stoppedAt: now().toISOString() });
        lifecycle(stopped, 'visit.stopped', { audioSeconds: stopped.audioSeconds });
        track(serial(visitId, () => finishVisit(visitId, session)));
        return stopped;
      });
    },

    /** One visit; while its note is in the outbox, the outbox's own status wins over a stale copy. */
    async get(visitId: string): Promise<Visit> {
      const visit = await load(visitId);
      const pending = visit.post && (visit.post.status === 'queued' || visit.post.status === 'sending');
      if (!pending || !deps.postStatus || deleted.has(visitId)) return visit;
      const noteId = noteIdOf(visitId, visit.amendments && visit.status === 'signed' ? visit.amendments : undefined);
      const truth = await deps.postStatus(noteId).catch(() => null);
      if (!truth || (truth.status === visit.post!.status && truth.attempts === visit.post!.attempts)) return visit;
      await this.onPostUpdate(truth).catch(() => undefined);
      return load(visitId);
    },

    /** A stretch of the stored audio as a 16 kHz mono WAV. */
    async audioClip(visitId: string, start: number, end: number): Promise<{ wavBase64: string; start: number; end: number }> {
      await load(visitId);
      const audio = await deps.storage.visit(visitId).readAudio();
      const total = audio.length / BYTES_PER_SECOND;
      if (start >= total) throw new ScribeError('not_found', `The visit's audio is ${total.toFixed(1)} s long; nothing at ${start} s`);
      const from = Math.floor(start * 16000) * 2;
      const to = Math.min(audio.length, Math.floor(end * 16000) * 2);
      const pcm = audio.subarray(from, to);
      const pcm16 = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length));
      return { wavBase64: Buffer.from(encodeWav(pcm16, 16000, 1)).toString('base64'), start: from / BYTES_PER_SECOND, end: to / BYTES_PER_SECOND };
    },

    async list(): Promise<VisitSummary[]> {
      const ids = await deps.storage.listVisits();
      const all: Visit[] = [];
      for (const id of ids) {
        try {
          all.push(await load(id));
        } catch {
          // an unreadable visit is reported by the vault's own checks, never silently dropped from disk
        }
      }
      return all
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .map(({ id, encounterId, patientName, visitType, status, startedAt, post }) => ({ id, encounterId, patientName, visitType, status, startedAt, post }));
    },

    updateSection(visitId: string, sectionId: string, text: string, baseVersion: number): Promise<Draft> {
      return serial(visitId, async () => {
        const { visit, draft } = await draftAt(visitId, baseVersion, 'edit the draft');
        const section = draft.sections.find((s) => s.id === sectionId);
        if (!section) throw new ScribeError('not_found', `No section ${sectionId} in this draft`);
        const sizeOfChange = Math.abs(text.length - section.text.length);
        const next: Draft = {
          ...draft,
          version: draft.version + 1,
          sections: draft.sections.map((s) => (s.id === sectionId ? { ...s, text, edited: true, sentences: s.text === text ? s.sentences : [] } : s)),
        };
        await save({ ...visit, draft: next });
        lifecycle(visit, 'draft.edited', { sectionId, sizeOfChange });
        return next;
      });
    },

    /** A change of the draft's layout worked out elsewhere (app/style: put back a section the style left out). */
    reshapeDraft(visitId: string, baseVersion: number, change: (draft: Draft) => Draft): Promise<Draft> {
      return serial(visitId, async () => {
        const { visit, draft } = await draftAt(visitId, baseVersion, 'change the draft');
        const next = { ...change(draft), version: draft.version + 1 };
        await save({ ...visit, draft: next });
        return next;
      });
    },

    regenerate(visitId: string, template: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['draft'], 'regenerate the draft');
        const transcript = visit.transcript ?? { engine: 'none', segments: [] };
        const fresh = await produceDraft(visit, transcript, template, visit.draft ?? undefined);
        return save({ ...visit, draft: { ...fresh, version: (visit.draft?.version ?? 0) + 1 } });
      });
    },

    sign(user: User, visitId: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['draft'], 'sign');
        if (!visit.draft) throw new ScribeError('conflict', 'There is no draft to sign');
        const sections = signedSections(visit, visit.draft);
        const text = noteText(visit, sections);
        if (!visit.draft.sections.some((s) => s.text.trim())) {
          throw new ScribeError('bad_request', 'The note is empty: write or dictate at least one section before signing');
        }
        const signedAt = now().toISOString();
        const amendment = visit.amendment;
        const note: SignedNote = {
          noteId: noteIdOf(visit.id, amendment?.number),
          practitionerName: user.name,
          visitId: visit.id,
          patientId: visit.patientId,
          encounterId: visit.encounterId,
          practitionerRef: user.fhirUser ?? `Practitioner/${user.id}`,
          visitType: visit.visitType,
          title: `${visit.visitType} note`,
          text,
          sections,
          diagnoses: acceptedDiagnoses(visit.codingDecisions),
          signedAt,
          period: { start: visit.startedAt, ...(visit.stoppedAt ? { end: visit.stoppedAt } : {}) },
          drafter: { engine: visit.draft.engine, version: visit.draft.engineVersion },
          recognizer: { engine: visit.transcript?.engine ?? 'none', ...(visit.transcript?.model ? { model: visit.transcript.model } : {}) },
        };
        const { amendment: _done, ...rest } = visit;
        const signed = await save({
          ...rest,
          status: 'signed',
          signedAt,
          signedBy: user.id,
          post: { status: 'queued', attempts: 0, updatedAt: signedAt },
        });
        if (amendment) {
          await deps.outbox.amend({ documentReferenceId: amendment.documentReferenceId, versionId: amendment.versionId }, note);
          lifecycle(signed, 'note.amended');
        } else {
          await deps.outbox.enqueue(note);
        }
        lifecycle(signed, 'visit.signed', { draftText: visit.aiDraftText ?? '', signedText: text });
        return load(visitId);
      });
    },

    /** Reopen a posted note for an amendment; signing it again replaces the posted DocumentReference. */
    amend(visitId: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['signed'], 'amend');
        const post = visit.post;
        if (post?.status !== 'posted' || !post.serverId || !post.versionId) {
          throw new ScribeError('conflict', 'Only a note already in the EHR can be amended; this one is ' + (post?.status ?? 'not posted'));
        }
        if (!visit.draft) throw new ScribeError('conflict', 'This visit no longer has its note text on this workstation (retention); amend it in the EHR');
        const number = (visit.amendments ?? 0) + 1;
        return save({
          ...visit,
          status: 'draft',
          amendments: number,
          amendment: { number, documentReferenceId: post.serverId, versionId: post.versionId },
        });
      });
    },

    /** The outbox reports progress; the visit shows it. */
    onPostUpdate(update: PostUpdate): Promise<void> {
      const visitId = visitIdOfNote(update.noteId);
      return serial(visitId, async () => {
        if (deleted.has(visitId)) return; // the note still reaches the EHR; the visit is gone from here
        const visit = await load(visitId);
        if (update.status === 'posted' && visit.post?.status !== 'posted') lifecycle(visit, 'note.posted');
        await save({
          ...visit,
          post: {
            status: update.status,
            attempts: update.attempts,
            ...(update.serverId ? { serverId: update.serverId } : {}),
            ...(update.versionId ? { versionId: update.versionId } : {}),
            ...(update.error ? { error: update.error } : {}),
            updatedAt: now().toISOString(),
          },
        });
      });
    },

    /** A person says who spoke a turn; the transcript keeps it (the draft is regenerated on request). */
    setSpeaker(visitId: string, segmentId: string, speaker: Speaker): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['draft'], 'label speakers');
        const transcript = visit.transcript;
        if (!transcript?.segments.some((seg) => seg.id === segmentId)) throw new ScribeError('not_found', `No transcript turn ${segmentId}`);
        return save({
          ...visit,
          transcript: { ...transcript, segments: transcript.segments.map((seg) => (seg.id === segmentId ? { ...seg, speaker } : seg)) },
        });
      });
    },

    /** The clinician's coding decisions travel with the visit to signing. */
    setCodingDecisions(visitId: string, decisions: CodingDecision[]): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['draft'], 'change coding decisions');
        return save({ ...visit, codingDecisions: decisions });
      });
    },

    /** Retention: remove the transcript or the draft of a signed visit (the signed note lives in the EHR). */
    purge(visitId: string, part: 'transcript' | 'draft'): Promise<void> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        await save(part === 'transcript' ? { ...visit, transcript: null } : { ...visit, draft: null });
      });
    },

    /** Deletion failed: the visit is still on disk, so it may be used again. */
    unforget(visitId: string): void {
      deleted.delete(visitId);
    },

    /** The visit is being crypto-shredded: drop what is cached of it and refuse any later write. */
    forget(visitId: string): void {
      deleted.add(visitId);
      live.get(visitId)?.session?.close();
      live.delete(visitId);
      visits.delete(visitId);
    },

    /** Visits left recording when the app died: offered for recovery on restart. */
    async recoverable(): Promise<VisitSummary[]> {
      return (await this.list()).filter((v) => (v.status === 'recording' || v.status === 'paused') && !live.get(v.id)?.session);
    },

    /** Rebuild a visit from its stored audio after a crash: recognize it all, then draft. */
    recover(visitId: string): Promise<Visit> {
      return serial(visitId, async () => {
        const visit = await load(visitId);
        requireStatus(visit, ['recording', 'paused'], 'recover');
        if (live.get(visitId)?.session) throw new ScribeError('conflict', 'This visit is still recording');
        const audio = await deps.storage.visit(visitId).readAudio();
        const session = openSession(visit, await vocabularyFor(visit.patientId));
        const pcm = new Int16Array(audio.buffer, audio.byteOffset, Math.floor(audio.length / 2));
        // Feed the stored audio in one-second pieces, waiting for the recognizer every 30 s so a long
        // recording never queues up whole in memory.
        for (let i = 0; i < pcm.length; i += 16000) {
          session.push(Int16Array.from(pcm.subarray(i, i + 16000)));
          if ((i / 16000) % 30 === 29) await session.drain?.();
        }
        const stopped = await save({ ...visit, status: 'processing', audioSeconds: audio.length / BYTES_PER_SECOND, stoppedAt: now().toISOString() });
        track(serial(visitId, () => finishVisit(stopped.id, session)));
        return stopped;
      });
    },

    /** Wait for background work (recognition, drafting) — for shutdown and tests. */
    async idle(): Promise<void> {
      while (background.size) await Promise.allSettled([...background]);
    },

    close(): void {
      for (const l of live.values()) l.session?.close();
      live.clear();
    },
  };
}

export type VisitService = ReturnType<typeof createVisitService>;
