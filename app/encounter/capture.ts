import { randomUUID } from 'node:crypto';
import { encodeWav } from '../audio/index.ts';
import {
  ScribeError,
  type Consent,
  type ScheduledEncounter,
  type Transcript,
  type User,
  type Visit,
  type VisitSummary,
} from '../contract/index.ts';
import { inWords, within } from './deadlines.ts';
import type { VisitDesk } from './desk.ts';
import type { DraftingRoom } from './drafting.ts';
import type { SchedulePort, StreamingSession, TranscriberPort } from './ports.ts';

const BYTES_PER_SECOND = 16000 * 2;

/**
 * Capture room: consent and start, audio in numbered chunks (stored, then recognized), pause, resume,
 * stop; recovery of a visit the app died in; Retry of a visit that failed; clips of the stored audio.
 */
export function createCaptureRoom(
  desk: VisitDesk,
  drafting: DraftingRoom,
  deps: { transcriber: TranscriberPort; schedule: SchedulePort; list: () => Promise<VisitSummary[]> },
) {
  async function vocabularyFor(patientId: string): Promise<string[]> {
    try {
      const ctx = await within(deps.schedule.patientContext(patientId), desk.deadlines().chartMs, 'Reading the chart');
      return [...ctx.problems, ...ctx.medications];
    } catch {
      return []; // the recognizer works without the chart's words
    }
  }

  function openSession(visit: Visit, vocabulary: string[], local = false): StreamingSession {
    return deps.transcriber.start({
      vocabulary,
      onPartial: (text) => desk.emit('transcript.partial', { visitId: visit.id, text }),
      onSegment: (segment) => desk.emit('transcript.partial', { visitId: visit.id, text: segment.text, segment }),
      onNotice: (message) => desk.emit('transcript.notice', { visitId: visit.id, message }),
      ...(local ? { local } : {}),
    });
  }

  /** Feed the stored audio in one-second pieces, waiting for the recognizer every 30 s so a long recording never queues up whole in memory. */
  async function feedStored(session: StreamingSession, audio: Buffer): Promise<void> {
    const pcm = new Int16Array(audio.buffer, audio.byteOffset, Math.floor(audio.length / 2));
    for (let i = 0; i < pcm.length; i += 16000) {
      session.push(Int16Array.from(pcm.subarray(i, i + 16000)));
      if ((i / 16000) % 30 === 29) await session.drain?.();
    }
  }

  /** The stored recording recognized from the start in a fresh recognizer, within its deadline. */
  async function recognizeStored(visit: Visit, local: boolean): Promise<Transcript> {
    const audio = await desk.storage.visit(visit.id).readAudio();
    const seconds = audio.length / BYTES_PER_SECOND;
    const { storedMs, storedPerAudioSecondMs } = desk.deadlines();
    const limit = storedMs + storedPerAudioSecondMs * seconds;
    const session = openSession(visit, await vocabularyFor(visit.patientId), local);
    try {
      return await within(
        feedStored(session, audio).then(() => session.finish()),
        limit,
        local ? 'Recognizing the stored recording again on this computer' : 'Recognizing the stored recording',
        () => session.close(),
      );
    } finally {
      session.close();
    }
  }

  /**
   * The visit's transcript: the live recognizer's, if it hands it over within its deadline; else the stored
   * recording recognized again on this computer, with the reason kept in the transcript (`fallback`).
   * `session` null: nothing was recording live (consent declined, or Retry), so the stored audio is used.
   */
  async function transcriptOf(visit: Visit, session: StreamingSession | null): Promise<Transcript> {
    if (!session && (await desk.storage.visit(visit.id).audioBytes()) === 0) return { engine: 'none', segments: [] };
    let reason: string;
    try {
      if (session) {
        const { afterStopMs, perAudioSecondMs } = desk.deadlines();
        const limit = afterStopMs + perAudioSecondMs * visit.audioSeconds;
        return await within(session.finish(), limit, 'Recognition after Stop', () => session.close());
      }
      return await recognizeStored(visit, false);
    } catch (error) {
      reason = inWords(error);
    }
    session?.close();
    const again = await recognizeStored(visit, true);
    const fallback = `${reason}; the stored recording was recognized again on this computer (${again.engine})`;
    return { ...again, fallback: again.fallback ? `${fallback}; ${again.fallback}` : fallback };
  }

  /** After Stop (or Retry): recognition, then the draft. Runs in the background; a failure ends the visit `failed`, with Retry. */
  async function finishVisit(visitId: string, session: StreamingSession | null): Promise<void> {
    let visit = await desk.load(visitId);
    try {
      const transcript = await transcriptOf(visit, session);
      visit = await desk.save({ ...visit, transcript });
      await drafting.firstDraft(visit, transcript);
    } catch (error) {
      await desk.save({
        ...(await desk.load(visitId)),
        status: 'failed',
        error: `The note could not be made: ${inWords(error)}. The recording is kept on this computer: Retry recognizes and drafts it again.`,
      });
    } finally {
      session?.close();
    }
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
        ...(encounter.gender ? { patientGender: encounter.gender } : {}),
        ...(encounter.birthDate ? { patientBirthDate: encounter.birthDate } : {}),
        visitType: encounter.visitType,
        ...(encounter.visitTypeText ? { visitTypeText: encounter.visitTypeText } : {}),
        status: consent === 'agreed' ? 'recording' : 'processing',
        startedAt: desk.now().toISOString(),
        audioSeconds: 0,
        transcript: null,
        draft: null,
        post: null,
      };
      const visit = await desk.serial(id, () => desk.save(base));
      desk.lifecycle(visit, 'visit.started');
      if (consent === 'agreed') {
        desk.liveOf(id).session = openSession(visit, await vocabularyFor(visit.patientId));
        return visit;
      }
      const done = desk.serial(id, () => finishVisit(id, null));
      desk.track(done);
      await done;
      return desk.shown(await desk.load(id));
    },

    appendAudio(visitId: string, seq: number, pcm16Base64: string): Promise<{ audioSeconds: number }> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['recording'], 'add audio');
        const l = desk.liveOf(visitId);
        if (seq < l.nextSeq) return { audioSeconds: visit.audioSeconds }; // a retried chunk: already stored
        if (seq > l.nextSeq) throw new ScribeError('conflict', `Audio chunk ${seq} arrived before chunk ${l.nextSeq}`);
        const bytes = Buffer.from(pcm16Base64, 'base64');
        if (bytes.length % 2 !== 0) throw new ScribeError('bad_request', 'Audio chunk is not 16-bit PCM (odd byte count)');
        await desk.storage.visit(visitId).appendAudio(bytes);
        l.nextSeq = seq + 1;
        const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
        l.session?.push(Int16Array.from(pcm));
        const updated = { ...visit, audioSeconds: visit.audioSeconds + bytes.length / BYTES_PER_SECOND };
        desk.remember(updated);
        return { audioSeconds: updated.audioSeconds };
      });
    },

    pause(visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['recording'], 'pause');
        desk.liveOf(visitId).session?.pause();
        return desk.save({ ...visit, status: 'paused' });
      });
    },

    resume(visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['paused'], 'resume');
        desk.liveOf(visitId).session?.resume();
        return desk.save({ ...visit, status: 'recording' });
      });
    },

    stop(visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['recording', 'paused'], 'stop');
        const l = desk.liveOf(visitId);
        const session = l.session;
        l.session = null;
        const stopped = await desk.save({ ...visit, status: 'processing', stoppedAt: desk.now().toISOString() });
        desk.lifecycle(stopped, 'visit.stopped', { audioSeconds: stopped.audioSeconds });
        desk.track(desk.serial(visitId, () => finishVisit(visitId, session)));
        return stopped;
      });
    },

    /** A stretch of the stored audio as a 16 kHz mono WAV. */
    async audioClip(visitId: string, start: number, end: number): Promise<{ wavBase64: string; start: number; end: number }> {
      await desk.load(visitId);
      const audio = await desk.storage.visit(visitId).readAudio();
      const total = audio.length / BYTES_PER_SECOND;
      if (start >= total) throw new ScribeError('not_found', `The visit's audio is ${total.toFixed(1)} s long; nothing at ${start} s`);
      const from = Math.floor(start * 16000) * 2;
      const to = Math.min(audio.length, Math.floor(end * 16000) * 2);
      const pcm = audio.subarray(from, to);
      const pcm16 = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length));
      return {
        wavBase64: Buffer.from(encodeWav(pcm16, 16000, 1)).toString('base64'),
        start: from / BYTES_PER_SECOND,
        end: to / BYTES_PER_SECOND,
      };
    },

    /** Visits left recording when the app died: offered for recovery on restart. */
    async recoverable(): Promise<VisitSummary[]> {
      return (await deps.list()).filter((v) => (v.status === 'recording' || v.status === 'paused') && !desk.live.get(v.id)?.session);
    },

    /** Rebuild a visit from its stored audio after a crash: recognize it all, then draft. */
    recover(visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['recording', 'paused'], 'recover');
        if (desk.live.get(visitId)?.session) throw new ScribeError('conflict', 'This visit is still recording');
        const audio = await desk.storage.visit(visitId).readAudio();
        const session = openSession(visit, await vocabularyFor(visit.patientId));
        try {
          await within(feedStored(session, audio), desk.deadlines().storedMs, 'Reading the stored recording into the recognizer');
        } catch (error) {
          session.close();
          throw new ScribeError('unavailable', `The visit could not be recovered: ${inWords(error)}`);
        }
        const stopped = await desk.save({
          ...visit,
          status: 'processing',
          audioSeconds: audio.length / BYTES_PER_SECOND,
          stoppedAt: desk.now().toISOString(),
        });
        desk.track(desk.serial(visitId, () => finishVisit(stopped.id, session)));
        return stopped;
      });
    },

    /**
     * A visit that failed after Stop: recognize its stored recording again (the engine in force, with the
     * same fallback to this computer) and draft it. Nothing was lost: the audio stayed in the vault.
     */
    retry(visitId: string): Promise<Visit> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        desk.requireStatus(visit, ['failed'], 'retry');
        const { error: _previous, notices: _earlier, ...rest } = visit;
        const again = await desk.save({ ...rest, status: 'processing', transcript: null, draft: null });
        desk.track(desk.serial(visitId, () => finishVisit(visitId, null)));
        return again;
      });
    },

    close(): void {
      for (const l of desk.live.values()) l.session?.close();
      desk.live.clear();
    },
  };
}
