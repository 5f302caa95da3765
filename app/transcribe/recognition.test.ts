import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../audio/index.ts';
import { compose, fixtureDir, soxSound, speakFlite, type FixtureDir, type FliteVoice } from '../../testing/transcribe/speech-fixtures.ts';
import { transcribeFile, transcribePcm } from './index.ts';
import { normaliseWords, wordErrors } from './word-error-rate.ts';

/** A short visit script: two flite voices, drug names from the custom dictionary. */
const SCRIPT: Array<[FliteVoice, string]> = [
  ['rms', 'Good morning, what brings you in today?'],
  ['awb', 'I have had a cough and a fever for three days.'],
  ['rms', 'Are you still taking metformin for your diabetes?'],
  ['awb', 'Yes, and lisinopril for my blood pressure.'],
  ['rms', 'Keep taking atorvastatin every night.'],
  ['rms', 'I will start amlodipine five milligrams daily.'],
  ['rms', 'Use the albuterol inhaler when you are short of breath.'],
  ['rms', 'You can take ibuprofen for the pain.'],
  ['awb', 'Your blood pressure is a little high today.'],
  ['rms', 'Come back in two weeks for a follow up visit.'],
];
const DRUGS = ['metformin', 'lisinopril', 'atorvastatin', 'amlodipine', 'albuterol', 'ibuprofen'];

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir();
});
afterAll(async () => {
  await fx.remove();
});

describe('sphinx recognition of a synthesised visit', () => {
  it('word error rate under 35% against the script, and the custom-dictionary drug names recognized', { timeout: 240_000 }, async () => {
    const parts = [];
    for (const [voice, text] of SCRIPT) parts.push({ text, pcm: await speakFlite(fx, text, voice) });
    const visit = compose(parts, 1.0);
    const file = fx.file('visit.wav');
    await writeFile(file, encodeWav(visit.pcm));

    const transcript = await transcribeFile(file);
    expect(transcript.engine).toBe('sphinx');
    const hypothesis = transcript.segments.map((s) => s.text).join(' ');
    const reference = SCRIPT.map(([, t]) => t).join(' ');
    const errors = wordErrors(reference, hypothesis);
    console.log(
      `sphinx WER ${(errors.wer * 100).toFixed(1)}% on ${errors.reference} words (S${errors.substitutions} D${errors.deletions} I${errors.insertions})`,
    );
    expect(errors.wer).toBeLessThan(0.35);

    const words = new Set(normaliseWords(hypothesis));
    const missing = DRUGS.filter((d) => !words.has(d));
    expect(missing, `drug names not recognized in: ${hypothesis}`).toEqual([]);

    // Segments carry times inside the recording and a confidence.
    for (const s of transcript.segments) {
      expect(s.end).toBeGreaterThan(s.start);
      expect(s.end).toBeLessThanOrEqual(visit.pcm.length / 16000 + 0.01);
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('silence and white noise yield an empty transcript (no invented words)', { timeout: 120_000 }, async () => {
    for (const kind of ['silence', 'whitenoise'] as const) {
      const transcript = await transcribePcm(await soxSound(fx, kind, 8));
      expect(transcript.segments, kind).toEqual([]);
    }
  });

  it('a WAV with a bad header is refused with a clear error, and a sherpa model that is not installed names the install command', async () => {
    const truncated = fx.file('truncated.wav');
    await writeFile(truncated, encodeWav(new Int16Array(1600)).subarray(0, 24));
    await expect(transcribeFile(truncated)).rejects.toThrow(/truncated WAV header/);
    const text = fx.file('note.txt');
    await writeFile(text, 'hello');
    await expect(transcribeFile(text)).rejects.toThrow(/unsupported format/);
    await expect(transcribePcm(new Int16Array(16000), { engine: 'sherpa', model: 'sherpa-whisper-tiny-en' })).rejects.toThrow(
      /not installed — run `scribe assets install sherpa-whisper-tiny-en`/,
    );
  });
});

describe('engine failure during a live recording', () => {
  it('is reported once through onError, later audio is accepted without throwing, and finish() rejects with the cause', async () => {
    const errors: Error[] = [];
    const { createStreamingTranscriber } = await import('./index.ts');
    const t = createStreamingTranscriber({ engine: 'sherpa', model: 'sherpa-moonshine-tiny-en', onError: (e) => errors.push(e) });
    await expect(t.drain()).rejects.toThrow(/not installed/);
    expect(() => t.push(new Int16Array(1600))).not.toThrow();
    await expect(t.finish()).rejects.toThrow(
      /model "sherpa-moonshine-tiny-en" not installed — run `scribe assets install sherpa-moonshine-tiny-en`/,
    );
    expect(errors).toHaveLength(1);
  });
});

describe('sentence-like segments', () => {
  it('a VAD segment holding three sentences with short pauses comes back as at least three segments, in order', {
    timeout: 180_000,
  }, async () => {
    const lines = ['The patient has had a headache for three days.', 'She has no fever.', 'We will start lisinopril today.'];
    const parts = [];
    for (const text of lines) parts.push({ text, pcm: await speakFlite(fx, text, 'rms') });
    const fixture = compose(parts, 0.33, 0.5, 1); // pauses shorter than the VAD's 400 ms: one speech segment
    const transcript = await transcribePcm(fixture.pcm);
    expect(transcript.segments.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < transcript.segments.length; i++) {
      expect(transcript.segments[i]!.start).toBeGreaterThanOrEqual(transcript.segments[i - 1]!.end);
    }
    // Each sentence's last word ends a segment near where that sentence ends.
    const ends = transcript.segments.map((s) => s.end);
    for (const span of fixture.spans) expect(Math.min(...ends.map((e) => Math.abs(e - span.end)))).toBeLessThan(0.35);
  });
});
