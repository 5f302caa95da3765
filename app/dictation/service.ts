import { randomUUID } from 'node:crypto';
import { ScribeError } from '../contract/index.ts';
import type {
  DictationApplied,
  DictationPartial,
  DictationState,
  EventPayload,
  TranscriptSegment,
  User,
  Visit,
} from '../contract/index.ts';
import { DeadlinePassed, inWords, type StreamingSession, spokenDuration, type TranscriberPort, within } from '../encounter/index.ts';
import { COMMAND_VOCABULARY, lowConfidenceDrug } from './commands.ts';
import { DictationSession, type Cursor, type DictatedSpan, type DictationEffect } from './session.ts';

/**
 * Dictation in the core: the clinician's microphone streams here (16 kHz PCM chunks, like visit audio),
 * through the SAME transcriber port as visit recording (same engine, VAD, vocabulary and model settings).
 * Each final utterance is interpreted and applied to the note's sections by a DictationSession; the UI
 * receives the result as `dictation.applied` events (and partial words as `dictation.partial`).
 * Every final utterance is stored in the visit's vault records as it arrives, so nothing dictated is lost
 * even if the editor never saves.
 */

/** The same port visit recording uses, so dictation gets the same engine, VAD and vocabulary handling. */
export type DictationTranscriber = TranscriberPort;
type DictationStreamingSession = StreamingSession;

export interface DictationRecords {
  readJson<T>(key: string): Promise<T | null>;
  writeJson(key: string, value: unknown): Promise<void>;
}

export interface DictationDeps {
  transcriber: DictationTranscriber;
  notes: { get(visitId: string): Promise<Visit> };
  storage: { visit(visitId: string): DictationRecords };
  /** Problems and medications of the patient: the same vocabulary boost as visit recording. */
  vocabulary?: (visit: Visit) => Promise<string[]>;
  /** Drug names (single words) the recognizer may be biased towards: the patient's medications' ingredients. */
  drugWords?: (visit: Visit) => Promise<string[]>;
  emit: <E extends 'dictation.partial' | 'dictation.applied'>(event: E, payload: EventPayload<E>) => void;
  /** Refuses when this person may not edit the note now (e.g. a scribe holds the edit lock: app/queue). */
  mayEdit: (user: User, visitId: string) => Promise<void>;
  /** How long stopping and the chart read may take (tests shorten them). */
  deadlines?: Partial<DictationDeadlines>;
  now?: () => Date;
}

/**
 * Every wait in dictation has an end, like the waits after a visit's Stop (docs/decisions/0185): a recognizer that
 * never hands over the last words, or an EHR that never answers the chart read, must not hold the editor.
 */
export interface DictationDeadlines {
  /** Stop: the recognizer hands over the last utterance within this long… */
  stopMs: number;
  /** …plus this much per second of dictated audio (a busy machine is still catching up). */
  stopPerAudioSecondMs: number;
  /** The chart read for the recognizer's vocabulary (the patient's problems and medicines). */
  chartMs: number;
}

export const DEFAULT_DICTATION_DEADLINES: DictationDeadlines = { stopMs: 30_000, stopPerAudioSecondMs: 500, chartMs: 10_000 };

interface StoredUtterance {
  id: string;
  text: string;
  kind: DictationEffect['kind'];
  start: number;
  end: number;
  at: string;
}

export interface DictationRecord {
  dictationId: string;
  visitId: string;
  clinicianId: string;
  startedAt: string;
  stoppedAt?: string;
  utterances: StoredUtterance[];
  /** The dictated words as they stand in the note (for draft-retention figures: they are not AI draft). */
  dictatedText: string;
  spans: DictatedSpan[];
  /** What went differently (DictationState.notice), kept with the record. */
  notices?: string[];
}

interface Active {
  record: DictationRecord;
  session: DictationSession;
  stream: DictationStreamingSession;
  nextSeq: number;
  audioSeconds: number;
  revision: number;
  ownerId: string;
  writes: Promise<unknown>;
  /** Drug names the recognizer is biased towards (the patient's medications): never typed from an unsure recognition. */
  drugWords: ReadonlySet<string>;
  /** Set when stopping gave up on the recognizer: anything it hands over later is not typed. */
  abandoned: boolean;
  notice?: string;
}

const BYTES_PER_SECOND = 16000 * 2;
/** A warmed recognizer nobody used is released after this long. */
const SPARE_TTL_MS = 10 * 60_000;

/** A recognizer started ahead of time (the engine takes a moment to load), waiting for the next dictation. */
interface Spare {
  ownerId: string;
  stream: DictationStreamingSession;
  /** Where its callbacks go once a dictation takes it. */
  route: { partial: (text: string) => void; segment: (segment: TranscriptSegment) => void };
  timer?: ReturnType<typeof setTimeout>;
}
const INDEX_RECORD = 'dictation.index.json';
const recordKey = (id: string) => `dictation.${id}.json`;

export function createDictationService(deps: DictationDeps) {
  const now = deps.now ?? (() => new Date());
  const deadlines: DictationDeadlines = { ...DEFAULT_DICTATION_DEADLINES, ...deps.deadlines };
  const CHART_LATE = `The chart could not be read within ${spokenDuration(deadlines.chartMs)}, so dictation listens without the patient's problem and medicine names.`;

  /** A chart read for dictation, given up after the deadline (the caller goes on without it and says so). */
  async function fromChart<T>(read: (() => Promise<T>) | undefined, fallback: T): Promise<{ value: T; late: boolean }> {
    if (!read) return { value: fallback, late: false };
    try {
      return { value: await within(read(), deadlines.chartMs, 'The chart read'), late: false };
    } catch (error) {
      return { value: fallback, late: error instanceof DeadlinePassed };
    }
  }
  const active = new Map<string, Active>();
  const byVisit = new Map<string, string>();
  const spares = new Map<string, Spare>();

  async function vocabularyOf(visit: Visit): Promise<{ words: string[]; late: boolean }> {
    const chart = await fromChart(deps.vocabulary && (() => deps.vocabulary!(visit)), [] as string[]);
    // The patient's words, plus the command words and section names dictation listens for.
    const sectionWords = (visit.draft?.sections ?? []).flatMap((s) => s.title.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length > 2);
    return { words: [...new Set([...chart.value, ...COMMAND_VOCABULARY, ...sectionWords])], late: chart.late };
  }

  function startRecognizer(ownerId: string, vocabulary: string[]): Spare {
    const route: Spare['route'] = { partial: () => undefined, segment: () => undefined };
    const stream = deps.transcriber.start({
      vocabulary,
      onPartial: (text) => route.partial(text),
      onSegment: (segment) => route.segment(segment),
    });
    return { ownerId, stream, route };
  }

  function takeSpare(visitId: string, ownerId: string): Spare | null {
    const spare = spares.get(visitId);
    if (!spare) return null;
    spares.delete(visitId);
    clearTimeout(spare.timer);
    if (spare.ownerId === ownerId) return spare;
    spare.stream.close();
    return null;
  }

  async function checkVisit(user: User, visitId: string): Promise<Visit & { draft: NonNullable<Visit['draft']> }> {
    const visit = await deps.notes.get(visitId);
    if (visit.clinicianId !== user.id) throw new ScribeError('forbidden', "Only the visit's own clinician dictates into its note");
    if (visit.status !== 'draft' || !visit.draft) throw new ScribeError('conflict', `Cannot dictate: the visit is ${visit.status}`);
    await deps.mayEdit(user, visitId);
    return visit as Visit & { draft: NonNullable<Visit['draft']> };
  }

  function requireActive(dictationId: string, user: User): Active {
    const a = active.get(dictationId);
    if (!a) throw new ScribeError('not_found', `No dictation ${dictationId} is running`);
    if (a.ownerId !== user.id) throw new ScribeError('forbidden', 'This dictation belongs to another person');
    return a;
  }

  function persist(a: Active): Promise<void> {
    a.record.spans = a.session.spans();
    let text = '';
    let prev: DictatedSpan | null = null;
    for (const span of a.record.spans) {
      const touching = prev && prev.sectionId === span.sectionId && prev.end === span.start;
      text += (prev && !touching ? '\n' : '') + a.session.sectionText(span.sectionId).slice(span.start, span.end);
      prev = span;
    }
    a.record.dictatedText = text;
    const snapshot = structuredClone(a.record);
    const write = a.writes.then(() => deps.storage.visit(a.record.visitId).writeJson(recordKey(a.record.dictationId), snapshot));
    a.writes = write.catch(() => undefined);
    return write;
  }

  function stateOf(a: Active): DictationState {
    return {
      ...(a.notice ? { notice: a.notice } : {}),
      dictationId: a.record.dictationId,
      visitId: a.record.visitId,
      cursor: a.session.cursor,
      stopped: a.session.stopped,
      revision: a.revision,
      audioSeconds: a.audioSeconds,
      sections: a.session.sections().map((s) => ({
        id: s.id,
        text: s.text,
        spans: a.session.spans(s.id).map(({ start, end }) => ({ start, end })),
      })),
    };
  }

  function onFinal(a: Active, segment: TranscriptSegment): void {
    if (a.session.stopped || a.abandoned) return;
    const utteranceId = `${a.record.dictationId}:${segment.id}`;
    const unsure = lowConfidenceDrug(segment.text, segment.confidence, a.drugWords);
    const effect: DictationEffect = unsure
      ? { kind: 'ignored', reason: `“${unsure}” was heard with low confidence, so nothing was typed. Say it again, or type it.` }
      : a.session.applyUtterance(segment.text, utteranceId);
    if (effect.kind === 'ignored' && effect.reason === 'nothing was said') return;
    a.revision++;
    a.record.utterances.push({
      id: utteranceId,
      text: segment.text,
      kind: effect.kind,
      start: segment.start,
      end: segment.end,
      at: now().toISOString(),
    });
    void persist(a).catch(() => undefined);
    const sectionId = 'sectionId' in effect ? effect.sectionId : a.session.cursor.sectionId;
    const payload: DictationApplied = {
      dictationId: a.record.dictationId,
      visitId: a.record.visitId,
      revision: a.revision,
      effect,
      sectionId,
      text: a.session.sectionText(sectionId),
      cursor: a.session.cursor,
      spans: a.session.spans(sectionId).map(({ start, end }) => ({ start, end })),
      stopped: a.session.stopped,
      utterance: { text: segment.text, start: segment.start, end: segment.end },
      appliedAt: Date.now(),
    };
    deps.emit('dictation.applied', payload);
  }

  function addNotice(a: Active, notice: string): void {
    a.notice = a.notice ? `${a.notice} ${notice}` : notice;
    a.record.notices = [...(a.record.notices ?? []), notice];
  }

  async function finish(a: Active): Promise<DictationState> {
    active.delete(a.record.dictationId);
    if (byVisit.get(a.record.visitId) === a.record.dictationId) byVisit.delete(a.record.visitId);
    const ms = deadlines.stopMs + deadlines.stopPerAudioSecondMs * a.audioSeconds;
    try {
      // Flushes the last utterance through onSegment; a recognizer that never answers is given up.
      await within(a.stream.finish(), ms, 'Recognizing the last words');
    } catch (error) {
      if (!(error instanceof DeadlinePassed)) throw error;
      a.abandoned = true;
      addNotice(a, `${inWords(error)}, so they were not typed; everything recognized before them is in the note.`);
    } finally {
      a.stream.close();
    }
    a.record.stoppedAt = now().toISOString();
    await persist(a);
    return { ...stateOf(a), stopped: true };
  }

  return {
    /**
     * Start dictating into a visit's note at a cursor. `sections` is the editor's current text (which may
     * hold unsaved typing); section titles come from the draft.
     */
    async start(
      user: User,
      input: { visitId: string; cursor: Cursor; sections?: { id: string; text: string }[] },
    ): Promise<DictationState> {
      const visit = await checkVisit(user, input.visitId);
      const editorText = new Map((input.sections ?? []).map((s) => [s.id, s.text]));
      const unknown = [...editorText.keys()].find((id) => !visit.draft!.sections.some((s) => s.id === id));
      if (unknown) throw new ScribeError('not_found', `No section ${unknown} in this draft`);
      if (!visit.draft.sections.some((s) => s.id === input.cursor.sectionId)) {
        throw new ScribeError('not_found', `No section ${input.cursor.sectionId} in this draft`);
      }
      const previous = byVisit.get(visit.id);
      if (previous) {
        const old = active.get(previous);
        if (old) await finish(old).catch(() => undefined);
      }
      const session = new DictationSession({
        sections: visit.draft.sections.map((s) => ({ id: s.id, title: s.title, text: editorText.get(s.id) ?? s.text })),
        cursor: input.cursor,
      });
      const dictationId = `d-${randomUUID()}`;
      const record: DictationRecord = {
        dictationId,
        visitId: visit.id,
        clinicianId: user.id,
        startedAt: now().toISOString(),
        utterances: [],
        dictatedText: '',
        spans: [],
      };
      // Declared before the stream so the callbacks can reach it.
      const drugs = await fromChart(deps.drugWords && (() => deps.drugWords!(visit)), [] as string[]);
      const drugWords = new Set(drugs.value.map((w) => w.toLowerCase()));
      const a = {
        record,
        session,
        nextSeq: 0,
        audioSeconds: 0,
        revision: 0,
        ownerId: user.id,
        writes: Promise.resolve(),
        drugWords,
        abandoned: false,
      } as unknown as Active;
      let recognizer = takeSpare(visit.id, user.id);
      let chartLate = drugs.late;
      if (!recognizer) {
        const vocabulary = await vocabularyOf(visit);
        chartLate ||= vocabulary.late;
        recognizer = startRecognizer(user.id, vocabulary.words);
      }
      if (chartLate) addNotice(a, CHART_LATE);
      recognizer.route.partial = (text) => {
        if (!session.stopped) deps.emit('dictation.partial', { dictationId, visitId: visit.id, text } satisfies DictationPartial);
      };
      recognizer.route.segment = (segment) => onFinal(a, segment);
      a.stream = recognizer.stream;
      active.set(dictationId, a);
      byVisit.set(visit.id, dictationId);
      const records = deps.storage.visit(visit.id);
      const index = (await records.readJson<string[]>(INDEX_RECORD)) ?? [];
      await records.writeJson(INDEX_RECORD, [...index, dictationId]);
      await persist(a);
      return stateOf(a);
    },

    /**
     * Load the recognizer before the clinician presses Dictate (the note editor calls this when it opens),
     * so the first words are not kept waiting for the engine. Released after 10 minutes unused.
     */
    async prepare(user: User, visitId: string): Promise<{ ready: boolean }> {
      const visit = await checkVisit(user, visitId);
      const existing = spares.get(visitId);
      if (existing && existing.ownerId === user.id) return { ready: true };
      takeSpare(visitId, user.id)?.stream.close();
      const spare = startRecognizer(user.id, (await vocabularyOf(visit)).words);
      spare.timer = setTimeout(() => {
        if (spares.get(visitId) === spare) spares.delete(visitId);
        spare.stream.close();
      }, SPARE_TTL_MS);
      spare.timer.unref?.();
      spares.set(visitId, spare);
      return { ready: true };
    },

    /** One chunk of microphone audio (16 kHz mono PCM16, seq from 0 without gaps; a retried chunk is ignored). */
    appendAudio(user: User, dictationId: string, seq: number, pcm16Base64: string): { audioSeconds: number; stopped: boolean } {
      const a = requireActive(dictationId, user);
      if (seq < a.nextSeq) return { audioSeconds: a.audioSeconds, stopped: a.session.stopped };
      if (seq > a.nextSeq) throw new ScribeError('conflict', `Dictation audio chunk ${seq} arrived before chunk ${a.nextSeq}`);
      const bytes = Buffer.from(pcm16Base64, 'base64');
      if (bytes.length % 2 !== 0) throw new ScribeError('bad_request', 'Dictation audio is not 16-bit PCM (odd byte count)');
      a.nextSeq = seq + 1;
      a.audioSeconds += bytes.length / BYTES_PER_SECOND;
      if (!a.session.stopped && bytes.length > 0) {
        const pcm = new Int16Array(bytes.length / 2);
        for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(i * 2);
        a.stream.push(pcm);
      }
      return { audioSeconds: a.audioSeconds, stopped: a.session.stopped };
    },

    /** The person typed or moved the caret while dictating: later utterances go where the caret is now. */
    edit(user: User, dictationId: string, input: { sectionId: string; text?: string; offset: number }): DictationState {
      const a = requireActive(dictationId, user);
      try {
        if (input.text !== undefined) a.session.replaceSectionText(input.sectionId, input.text);
        a.session.moveCursor({ sectionId: input.sectionId, offset: input.offset });
      } catch (error) {
        throw new ScribeError('not_found', error instanceof Error ? error.message : String(error));
      }
      a.revision++;
      return stateOf(a);
    },

    /** Stop listening: the last utterance is recognised and applied before this answers. */
    async stop(user: User, dictationId: string): Promise<DictationState> {
      return finish(requireActive(dictationId, user));
    },

    /** The dictated words of a visit's note (all its dictations), for draft-retention figures. */
    /** The visit a running dictation writes into (the access policy checks it is the caller's). */
    visitOf(dictationId: string): string | null {
      return active.get(dictationId)?.record.visitId ?? null;
    },

    async dictatedText(visitId: string): Promise<string> {
      const records = deps.storage.visit(visitId);
      const ids = (await records.readJson<string[]>(INDEX_RECORD)) ?? [];
      const parts: string[] = [];
      for (const id of ids) {
        const live = active.get(id);
        if (live) await live.writes;
        const r = await records.readJson<DictationRecord>(recordKey(id));
        if (r?.dictatedText) parts.push(r.dictatedText);
      }
      return parts.join('\n');
    },

    /** Stop every running dictation (shutdown). */
    async close(): Promise<void> {
      for (const spare of spares.values()) {
        clearTimeout(spare.timer);
        spare.stream.close();
      }
      spares.clear();
      await Promise.allSettled([...active.values()].map((a) => finish(a)));
    },
  };
}

export type DictationService = ReturnType<typeof createDictationService>;
