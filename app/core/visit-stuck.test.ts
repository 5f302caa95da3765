import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduledEncounter, Visit } from '../contract/index.ts';
import type { VisitDeadlines } from '../encounter/index.ts';
import { createEhrClient } from '../fhir/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { startFaultProxy } from '../../testing/fhir/fault-proxy.ts';
import { compose, fixtureDir, speakFlite, type ComposedSpeech, type FixtureDir } from '../../testing/transcribe/speech-fixtures.ts';
import { startTranscriptionServer, type TestTranscriptionServer } from '../../testing/transcribe/transcription-server.ts';
import { createCore, type Core } from './index.ts';

// A visit never stays "processing" after Stop: the real core, the real recognition worker, a real practice
// transcription server that fails the way servers do.

let fx: FixtureDir;
let speech: ComposedSpeech;

beforeAll(async () => {
  fx = await fixtureDir();
  const parts = [];
  for (const [i, text] of ['My knee has been hurting for two weeks.', 'Does it hurt when you climb the stairs?'].entries())
    parts.push({ text, pcm: await speakFlite(fx, text, i % 2 ? 'awb' : 'rms') });
  speech = compose(parts, 1.0, 0.8, 1.2);
});

afterAll(async () => {
  await fx?.remove();
});

async function withCore<T>(asr: TestTranscriptionServer, deadlines: Partial<VisitDeadlines>, body: (core: Core) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'scribe-stuck-'));
  const core = await createCore({ dataDir, secrets: createMemorySecretStore(), visitDeadlines: deadlines });
  try {
    await core.forTests.services.settings.store.set(
      { id: 'test', role: 'manager' },
      { recognition: { engine: 'server', model: null, server: { baseUrl: asr.url, model: 'whisper-test', allowedPlainHosts: [] } } },
    );
    return await body(core);
  } finally {
    await core.close();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

const visitOf = async (core: Core, visitId: string) => (await core.dispatch('visit.get', { visitId })) as Visit;
const words = (v: Visit) => (v.transcript?.segments ?? []).map((s) => s.text).join(' ');

async function recordAndStop(core: Core): Promise<string> {
  return (await recordAndStopVisit(core)).id;
}

/** The answer to Stop ("processing"), as a window gets it. */
async function recordAndStopVisit(core: Core): Promise<Visit> {
  const call = <T>(name: string, input: unknown) => core.dispatch(name, input) as Promise<T>;
  const [encounter] = await call<ScheduledEncounter[]>('schedule.today', {});
  const visit = await call<Visit>('visit.start', { encounterId: encounter!.encounterId, consent: 'agreed' });
  const bytes = Buffer.from(speech.pcm.buffer, speech.pcm.byteOffset, speech.pcm.byteLength);
  let seq = 0;
  for (let i = 0; i < bytes.length; i += 16_000) {
    await call('visit.appendAudio', { visitId: visit.id, seq: seq++, pcm16: bytes.subarray(i, i + 16_000).toString('base64') });
  }
  return call<Visit>('visit.stop', { visitId: visit.id });
}

describe('Stop → transcript → draft always ends', () => {
  it('a transcription server answering 500: the visit reaches a draft with the local text and says why', { timeout: 180_000 }, async () => {
    const asr = await startTranscriptionServer('error500');
    try {
      await withCore(asr, {}, async (core) => {
        const stopped = await recordAndStopVisit(core);
        await core.idle();
        const visit = await visitOf(core, stopped.id);
        expect(visit.status, visit.error).toBe('draft');
        // The answer to Stop is older than the draft, and says so: a window that gets it last keeps the draft.
        expect(stopped.status).toBe('processing');
        expect(visit.revision).toBeGreaterThan(stopped.revision!);
        expect(visit.transcript?.fallback).toMatch(/answered HTTP 500: model not loaded/);
        expect(words(visit)).toMatch(/knee|weeks|stairs/);
      });
    } finally {
      await asr.close();
    }
  });

  it('recognition that does not hand over its transcript in time: the stored recording is recognized again on this computer', {
    timeout: 180_000,
  }, async () => {
    // The server holds the first segment (the engine waits 10 s for it), far past the 1 s the visit allows after Stop.
    const asr = await startTranscriptionServer('hang');
    try {
      await withCore(asr, { afterStopMs: 1000, perAudioSecondMs: 0 }, async (core) => {
        const id = await recordAndStop(core);
        await core.idle();
        const visit = await visitOf(core, id);
        expect(visit.status, visit.error).toBe('draft');
        expect(visit.transcript?.engine).toBe('sphinx');
        expect(visit.transcript?.fallback).toMatch(
          /^Recognition after Stop did not finish within 1 s; the stored recording was recognized again on this computer \(sphinx\)/,
        );
        expect(words(visit)).toMatch(/knee|weeks|stairs/);
        expect(visit.draft?.sections.length).toBeGreaterThan(0);
      });
    } finally {
      await asr.close();
    }
  });

  it('an EHR that hangs on the chart read: the note is drafted without the chart, and the visit says so', {
    timeout: 180_000,
  }, async () => {
    const asr = await startTranscriptionServer('ok');
    try {
      await withCore(asr, { chartMs: 1000 }, async (core) => {
        // The chart is read through a proxy in front of the sandbox that never answers the searches.
        const proxy = await startFaultProxy(core.fhirBaseUrl, 'hang');
        try {
          const ehr = createEhrClient({ baseUrl: proxy.baseUrl });
          core.forTests.services.schedule.patientContext = async (patientId) => {
            const ctx = await ehr.patientContext(patientId);
            return { problems: ctx.problems.map((p) => p.display), medications: ctx.medications.map((m) => m.display) };
          };
          const id = await recordAndStop(core);
          await core.idle();
          const visit = await visitOf(core, id);
          expect(visit.status, visit.error).toBe('draft');
          expect(proxy.seen.some((r) => r.path.includes('Condition'))).toBe(true);
          expect(visit.notices).toEqual([
            'The chart could not be read (Reading the chart did not finish within 1 s): the note was drafted without its problems and medications',
          ]);
        } finally {
          await proxy.close();
        }
      });
    } finally {
      await asr.close();
    }
  });

  it('a visit that still fails ends "failed" in words, keeps its audio, and Retry recognizes and drafts it again', {
    timeout: 180_000,
  }, async () => {
    const asr = await startTranscriptionServer('hang');
    const deadlines: Partial<VisitDeadlines> = { afterStopMs: 1000, perAudioSecondMs: 0, storedMs: 0, storedPerAudioSecondMs: 0 };
    try {
      await withCore(asr, deadlines, async (core) => {
        const id = await recordAndStop(core);
        await core.idle();
        const failed = await visitOf(core, id);
        expect(failed.status).toBe('failed');
        expect(failed.error).toBe(
          'The note could not be made: Recognizing the stored recording again on this computer did not finish within 1 s. ' +
            'The recording is kept on this computer: Retry recognizes and drafts it again.',
        );
        expect(failed.audioSeconds).toBeCloseTo(speech.pcm.length / 16000, 1);

        // The practice server answers again, the deadlines are the app's own: Retry.
        asr.mode = 'ok';
        for (const key of Object.keys(deadlines)) delete deadlines[key as keyof VisitDeadlines];
        const retried = (await core.dispatch('visit.retry', { visitId: id })) as Visit;
        expect(retried.status).toBe('processing');
        expect(retried.error).toBeUndefined();
        await core.idle();
        const drafted = await visitOf(core, id);
        expect(drafted.status, drafted.error).toBe('draft');
        expect(drafted.transcript?.engine).toBe('server');
        expect(drafted.transcript?.fallback).toBeUndefined();
        expect(words(drafted)).toMatch(/knee|weeks|stairs/);
        await expect(core.dispatch('visit.retry', { visitId: id })).rejects.toMatchObject({ code: 'conflict' });
      });
    } finally {
      await asr.close();
    }
  });
});
