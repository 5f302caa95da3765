import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transcript } from '../../contract/index.ts';
import {
  compose,
  fixtureDir,
  speakFlite,
  unevenChunks,
  type ComposedSpeech,
  type FixtureDir,
} from '../../../testing/transcribe/speech-fixtures.ts';
import {
  startTranscriptionServer,
  type ServerMode,
  type TestTranscriptionServer,
} from '../../../testing/transcribe/transcription-server.ts';
import { createStreamingTranscriber, transcribePcm } from '../index.ts';
import type { ServerEngineOptions } from '../types.ts';
import { normaliseWords } from '../word-error-rate.ts';

let fx: FixtureDir;
let visit: ComposedSpeech;
beforeAll(async () => {
  fx = await fixtureDir();
  const lines = [
    'Good morning, how have you been feeling?',
    'My knee has been hurting for two weeks.',
    'Does it hurt when you climb the stairs?',
  ];
  const parts = [];
  for (const [i, text] of lines.entries()) parts.push({ text, pcm: await speakFlite(fx, text, i % 2 ? 'awb' : 'rms') });
  visit = compose(parts, 1.5, 0.6, 1.2);
});
afterAll(async () => {
  await fx.remove();
});

interface Run {
  transcript: Transcript;
  partials: string[];
  notices: string[];
}

async function stream(server: ServerEngineOptions): Promise<Run> {
  const partials: string[] = [];
  const notices: string[] = [];
  const t = createStreamingTranscriber({ engine: 'server', server, onPartial: (p) => partials.push(p), onNotice: (n) => notices.push(n) });
  for (const chunk of unevenChunks(visit.pcm)) t.push(chunk);
  return { transcript: await t.finish(), partials, notices };
}

async function withServer<T>(mode: ServerMode, body: (server: TestTranscriptionServer) => Promise<T>): Promise<T> {
  const server = await startTranscriptionServer(mode);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** The local engine's own text is kept: sphinx segments carry word times, the server's do not. */
function expectLocalText(run: Run, reason: RegExp): void {
  expect(run.transcript.engine).toBe('server');
  expect(run.transcript.segments).toHaveLength(visit.spans.length);
  for (const s of run.transcript.segments) expect(s.words?.length, s.text).toBeGreaterThan(0);
  const words = normaliseWords(run.transcript.segments.map((s) => s.text).join(' '));
  for (const w of ['morning', 'weeks', 'climb']) expect(words).toContain(w);
  // Said once, not once per segment, and recorded in the transcript with how many segments it touched.
  expect(run.notices).toHaveLength(1);
  expect(run.notices[0]).toMatch(reason);
  expect(run.notices[0]).toMatch(/local engine's text is kept/);
  expect(run.transcript.fallback).toMatch(reason);
  expect(run.transcript.fallback).toMatch(/3 of 3 segments kept the local engine's text/);
}

describe('server engine: each VAD segment recognized by a practice /v1/audio/transcriptions server', () => {
  it("sends every segment as 16 kHz WAV with model and key; the server's text is the final text; partials come from the local engine", {
    timeout: 180_000,
  }, async () => {
    await withServer('ok', async (server) => {
      const run = await stream({ baseUrl: server.url, model: 'whisper-test', apiKey: 'k-123' });
      expect(run.transcript.engine).toBe('server');
      expect(run.transcript.model).toBe('whisper-test');
      expect(run.transcript.fallback).toBeUndefined();
      expect(run.notices).toEqual([]);
      expect(server.requests).toHaveLength(visit.spans.length);
      for (const r of server.requests) {
        expect(r).toMatchObject({ model: 'whisper-test', responseFormat: 'json', authorization: 'Bearer k-123', fileType: 'audio/wav' });
        expect(r.seconds).toBeGreaterThan(1);
      }
      // Each segment's text is exactly what the server answered for it, in order (no local word times).
      expect(run.transcript.segments.map((s) => s.text)).toEqual(server.requests.map((r) => r.text.trim()));
      for (const s of run.transcript.segments) expect(s.words).toBeUndefined();
      console.log(run.transcript.segments.map((s) => s.text).join(' | '));
      const words = normaliseWords(run.transcript.segments.map((s) => s.text).join(' '));
      for (const w of ['morning', 'weeks', 'climb']) expect(words).toContain(w);
      visit.spans.forEach((span, i) => {
        expect(run.transcript.segments[i]!.start).toBeLessThanOrEqual(span.start + 0.3);
        expect(run.transcript.segments[i]!.end).toBeGreaterThanOrEqual(span.end - 0.3);
      });
      expect(run.partials.some((p) => p.length > 0)).toBe(true);
    });
  });

  it('server down: the local text is kept and the reason is said once', { timeout: 120_000 }, async () => {
    const server = await startTranscriptionServer('ok');
    const url = server.url;
    await server.close(); // nothing listens on this port any more
    expectLocalText(await stream({ baseUrl: url, model: 'whisper-test' }), /could not be reached \(ECONNREFUSED\)/);
  });

  it("HTTP 500: the local text is kept, the server's words are in the reason, and it is not asked again for every segment", {
    timeout: 120_000,
  }, async () => {
    await withServer('error500', async (server) => {
      expectLocalText(await stream({ baseUrl: server.url, model: 'whisper-test' }), /answered HTTP 500: model not loaded/);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('after the retry pause the failing server is asked again, the reason is still said once', { timeout: 120_000 }, async () => {
    await withServer('error500', async (server) => {
      const run = await stream({ baseUrl: server.url, model: 'whisper-test', retryAfterMs: 1 });
      expect(server.requests).toHaveLength(3);
      expect(run.notices).toHaveLength(1);
      expect(run.transcript.fallback).toMatch(/3 of 3 segments/);
    });
  });

  it('a server that hangs past the timeout: the local text is kept', { timeout: 120_000 }, async () => {
    await withServer('hang', async (server) => {
      const started = Date.now();
      expectLocalText(await stream({ baseUrl: server.url, model: 'whisper-test', timeoutMs: 1500 }), /did not answer within 1\.5 s/);
      expect(server.requests).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(60_000);
    });
  });

  it('a server that closes the connection without answering: the local text is kept', { timeout: 120_000 }, async () => {
    await withServer('close', async (server) => {
      expectLocalText(await stream({ baseUrl: server.url, model: 'whisper-test' }), /could not be reached/);
      expect(server.requests).toHaveLength(1);
    });
  });

  it('malformed JSON: the local text is kept', { timeout: 120_000 }, async () => {
    await withServer('malformed', async (server) => {
      expectLocalText(await stream({ baseUrl: server.url, model: 'whisper-test' }), /answered something that is not JSON/);
      expect(server.requests[0]!.text.length).toBeGreaterThan(0); // it did recognize, then answered broken JSON
    });
  });

  it('refuses plain http to a non-loopback address unless IT allowed it: nothing is sent', async () => {
    await expect(
      transcribePcm(visit.pcm, { engine: 'server', server: { baseUrl: 'http://10.20.30.40:8000', model: 'whisper-test' } }),
    ).rejects.toThrow(/transcription server was not used: .*only go to a practice server over https/);
    await expect(
      transcribePcm(visit.pcm, { engine: 'server', server: { baseUrl: 'ftp://asr.clinic.local', model: 'whisper-test' } }),
    ).rejects.toThrow(/only https/);
    await expect(transcribePcm(visit.pcm, { engine: 'server' })).rejects.toThrow(/needs the transcription server's address and model name/);
  });
});
