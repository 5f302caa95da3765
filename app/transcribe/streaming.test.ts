import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '../contract/index.ts';
import {
  compose,
  fixtureDir,
  silence,
  speakFlite,
  unevenChunks,
  type ComposedSpeech,
  type FixtureDir,
} from '../../testing/transcribe/speech-fixtures.ts';
import { createStreamingTranscriber } from './index.ts';
import { normaliseWords } from './word-error-rate.ts';

let fx: FixtureDir;
let visit: ComposedSpeech;
let aside: Int16Array;
beforeAll(async () => {
  fx = await fixtureDir();
  const lines = [
    'Good morning, how have you been feeling?',
    'My knee has been hurting for two weeks.',
    'Does it hurt when you climb the stairs?',
    'Yes, and it is swollen in the evening.',
  ];
  const parts = [];
  for (const [i, text] of lines.entries()) parts.push({ text, pcm: await speakFlite(fx, text, i % 2 ? 'awb' : 'rms') });
  visit = compose(parts, 1.5, 0.6, 1.2);
  aside = await speakFlite(fx, 'Tuesday Wednesday Thursday Friday', 'rms');
});
afterAll(async () => {
  await fx.remove();
});

function pushUneven(t: { push(p: Int16Array): void }, pcm: Int16Array): void {
  for (const chunk of unevenChunks(pcm)) t.push(chunk);
}

describe('streaming transcriber (worker thread, Silero VAD, sphinx)', () => {
  it('delivers segments in order as pauses are detected, partials while speaking, and finish() equals what was streamed', {
    timeout: 180_000,
  }, async () => {
    const streamed: TranscriptSegment[] = [];
    const partials: string[] = [];
    const t = createStreamingTranscriber({ onSegment: (s) => streamed.push(s), onPartial: (p) => partials.push(p) });

    // First two utterances and the pause after them.
    const cut = Math.round((visit.spans[1]!.end + 0.9) * 16000);
    pushUneven(t, visit.pcm.subarray(0, cut));
    await t.drain();
    // Both are final before the recording ends: each was recognized as soon as its pause was detected.
    expect(streamed.map((s) => s.id)).toEqual(['seg-0001', 'seg-0002']);

    // Paused: this audio is not part of the visit and must not appear.
    t.pause();
    t.push(aside);
    t.push(silence(0.5));
    t.resume();
    pushUneven(t, visit.pcm.subarray(cut));
    const final = await t.finish();

    expect(final.engine).toBe('sphinx');
    expect(final.segments).toEqual(streamed);
    expect(streamed).toHaveLength(visit.spans.length);
    for (let i = 1; i < streamed.length; i++) {
      expect(streamed[i]!.start).toBeGreaterThanOrEqual(streamed[i - 1]!.end);
      expect(streamed[i]!.id > streamed[i - 1]!.id).toBe(true);
    }
    // Coverage: every spoken span lies within its segment (±0.3 s), times in the visit's own time base.
    visit.spans.forEach((span, i) => {
      expect(streamed[i]!.start).toBeLessThanOrEqual(span.start + 0.3);
      expect(streamed[i]!.end).toBeGreaterThanOrEqual(span.end - 0.3);
    });
    const words = normaliseWords(final.segments.map((s) => s.text).join(' '));
    console.log(final.segments.map((s) => s.text).join(' | '));
    for (const w of ['morning', 'weeks', 'stairs', 'swollen']) expect(words).toContain(w);
    for (const w of ['tuesday', 'wednesday', 'thursday', 'friday']) expect(words).not.toContain(w);
    // Live partial text while speaking; cleared ('') when a segment becomes final.
    expect(partials.some((p) => p.length > 0)).toBe(true);
    expect(partials).toContain('');
    expect(() => t.push(silence(0.1))).toThrow(/after finish/);
  });

  it('a long recording streams with flat memory (4 minutes here; `npm run bench:asr -- --long` runs 3 hours)', {
    timeout: 300_000,
  }, async () => {
    const sentence = await speakFlite(fx, 'Please take one tablet twice a day with food.', 'rms');
    const block = compose([{ text: 'x', pcm: sentence }], 0, 0.5, 11); // ~15 s: speech then a long pause
    const t = createStreamingTranscriber({});
    const blocks = Math.ceil(240 / (block.pcm.length / 16000));
    const rss: number[] = [];
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < block.pcm.length; i += 8000) t.push(block.pcm.subarray(i, i + 8000));
      await t.drain();
      rss.push(process.memoryUsage().rss);
    }
    const final = await t.finish();
    expect(final.segments).toHaveLength(blocks);
    const warm = rss[Math.floor(rss.length / 4)]!;
    const growthMb = (Math.max(...rss.slice(Math.floor(rss.length / 4))) - warm) / 1e6;
    console.log(
      `rss after warm-up ${(warm / 1e6).toFixed(0)} MB, growth over the remaining ${((((blocks * 3) / 4) * block.pcm.length) / 16000 / 60).toFixed(1)} min: ${growthMb.toFixed(1)} MB`,
    );
    expect(growthMb).toBeLessThan(40);
  });
});
