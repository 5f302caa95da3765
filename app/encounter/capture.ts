import { randomUUID } from 'node:crypto';
import { encodeWav } from '../audio/index.ts';
import { ScribeError, type Consent, type ScheduledEncounter, type User, type Visit, type VisitSummary } from '../contract/index.ts';
import type { VisitDesk } from './desk.ts';
import type { DraftingRoom } from './drafting.ts';
import type { SchedulePort, StreamingSession, TranscriberPort } from './ports.ts';

const BYTES_PER_SECOND = 16000 * 2;

/**
 * Capture room: consent and start, audio in numbered chunks (stored, then recognized), pause, resume,
 * stop; recovery of a visit the app died in; clips of the stored audio.
 */
export function createCaptureRoom(
  desk: VisitDesk,
  drafting: DraftingRoom,
  deps: { transcriber: TranscriberPort; schedule: SchedulePort; list: () => Promise<VisitSummary[]> },
) {
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
      onPartial: (text) => desk.emit('transcript.partial', { visitId: visit.id, text }),
      onSegment: (segment) => desk.emit('transcript.partial', { visitId: visit.id, text: segment.text, segment }),
      onNotice: (message) => desk.emit('transcript.notice', { visitId: visit.id, message }),
    });
  }

  /** After Stop: finish recognition, then draft. Runs in the background; failures are stored on the visit. */
  async function finishVisit(visitId: string, session: StreamingSession | null): Promise<void> {
    let visit = await desk.load(visitId);
    try {
      const transcript = session ? await session.finish() : { engine: 'none', segments: [] };
      visit = await desk.save({ ...visit, transcript });
      await drafting.firstDraft(visit, transcript);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await desk.save({ ...(await desk.load(visitId)), status: 'failed', error: `Could not finish the visit: ${message}` });
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
        visitType: encounter.visitType,
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
        const pcm = new Int16Array(audio.buffer, audio.byteOffset, Math.floor(audio.length / 2));
        // Feed the stored audio in one-second pieces, waiting for the recognizer every 30 s so a long
        // recording never queues up whole in memory.
        for (let i = 0; i < pcm.length; i += 16000) {
          session.push(Int16Array.from(pcm.subarray(i, i + 16000)));
          if ((i / 16000) % 30 === 29) await session.drain?.();
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

    close(): void {
      for (const l of desk.live.values()) l.session?.close();
      desk.live.clear();
    },
  };
}
