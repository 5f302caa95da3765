import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../audio/index.ts';
import { compose, fixtureDir, speakFlite, type FixtureDir } from '../../../testing/transcribe/speech-fixtures.ts';

/** `scribe transcribe` as a user runs it: the real bin, the real recognizer, a flite recording. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = promisify(execFile);
const scribe = (...args: string[]) =>
  run(process.execPath, [path.join(repoRoot, 'bin', 'scribe.mjs'), 'transcribe', ...args], { cwd: repoRoot });

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir();
});
afterAll(async () => {
  await fx.remove();
});

describe('scribe transcribe', () => {
  it('prints timed text, or the Transcript as JSON', { timeout: 180_000 }, async () => {
    const speech = await speakFlite(fx, 'Are you still taking metformin for your diabetes?', 'rms');
    const file = fx.file('visit.wav');
    await writeFile(file, encodeWav(compose([{ text: '', pcm: speech }], 0).pcm));
    const text = await scribe(file);
    expect(text.stdout).toMatch(/^\[00:00\.\d - 00:0\d\.\d\] .*metformin/m);
    const json = JSON.parse((await scribe(file, '--json')).stdout) as { engine: string; segments: Array<{ text: string; start: number }> };
    expect(json.engine).toBe('sphinx');
    expect(json.segments.map((s) => s.text).join(' ')).toContain('metformin');
  });

  it('refuses other formats, bad options and uninstalled models with a clear message', { timeout: 60_000 }, async () => {
    const notes = fx.file('notes.mp3');
    await writeFile(notes, Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]));
    await expect(scribe(notes)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/unsupported format: MP3 audio; convert it to WAV/),
    });
    await expect(scribe(notes, '--engine', 'kaldi')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown engine "kaldi"/),
    });
    const wav = fx.file('tone.wav');
    await writeFile(wav, encodeWav(new Int16Array(16000)));
    await expect(scribe(wav, '--engine', 'sherpa', '--model', 'sherpa-whisper-small-en')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not installed — run `scribe assets install sherpa-whisper-small-en`'),
    });
  });
});
