/**
 * Test and benchmark fixtures synthesised at run time with flite / espeak-ng / sox into a temporary folder
 * (no audio is ever committed). Every external tool is run with an argument array (no shell).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { concatPcm, decodeSpeechWav } from '../../app/audio/index.ts';

const run = promisify(execFile);

/** flite voices with 16 kHz output (the 8 kHz `kal` voice lacks the bandwidth the acoustic model expects). */
export const FLITE_VOICES = ['rms', 'slt', 'awb', 'kal16'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];

export interface FixtureDir {
  dir: string;
  file(name: string): string;
  remove(): Promise<void>;
}

export async function fixtureDir(prefix = 'scribe-asr-'): Promise<FixtureDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

let counter = 0;

/** A synthesised recording as 16 kHz mono PCM, silence trimmed at both ends so its speech boundaries are known exactly. */
async function trimmedSpeech(raw: string, out: string): Promise<Int16Array> {
  await run('sox', [
    raw,
    '-r',
    '16000',
    '-c',
    '1',
    '-b',
    '16',
    out,
    'silence',
    '1',
    '0.02',
    '0.3%',
    'reverse',
    'silence',
    '1',
    '0.02',
    '0.3%',
    'reverse',
  ]);
  return decodeSpeechWav(new Uint8Array(await readFile(out)));
}

/** Speak `text` with flite; returns 16 kHz mono PCM with the synthesiser's leading/trailing silence trimmed. */
export async function speakFlite(fx: FixtureDir, text: string, voice: FliteVoice = 'rms'): Promise<Int16Array> {
  const n = ++counter;
  const raw = fx.file(`flite-${n}.wav`);
  const out = fx.file(`flite-${n}-16k.wav`);
  await run('flite', ['-voice', voice, '-t', text, '-o', raw]);
  return trimmedSpeech(raw, out);
}

/** Speak `text` with espeak-ng (a second, less natural voice). */
export async function speakEspeak(fx: FixtureDir, text: string, voice = 'en-us'): Promise<Int16Array> {
  const n = ++counter;
  const raw = fx.file(`espeak-${n}.wav`);
  const out = fx.file(`espeak-${n}-16k.wav`);
  await run('espeak-ng', ['-v', voice, '-w', raw, text]);
  return trimmedSpeech(raw, out);
}

/** sox-generated sound: 'silence', 'whitenoise', 'pinknoise', 'brownnoise', or 'music' (a chord progression). */
export async function soxSound(
  fx: FixtureDir,
  kind: 'silence' | 'whitenoise' | 'pinknoise' | 'brownnoise' | 'music',
  seconds: number,
  volume = 0.3,
): Promise<Int16Array> {
  const out = fx.file(`sox-${kind}-${++counter}.wav`);
  const base = ['-n', '-r', '16000', '-c', '1', '-b', '16', out];
  if (kind === 'silence') await run('sox', [...base, 'trim', '0', String(seconds)]);
  else if (kind === 'music') {
    // Sustained chords with vibrato: tonal, voiced-like energy without words.
    const step = seconds / 4;
    await run('sox', [
      ...base,
      'synth',
      String(step),
      'pluck',
      'C4',
      'pluck',
      'E4',
      'pluck',
      'G4',
      'pluck',
      'C5',
      'synth',
      String(step),
      'sine',
      'fmod',
      '440-880',
      'vol',
      String(volume),
      'repeat',
      '3',
    ]);
  } else await run('sox', [...base, 'synth', String(seconds), kind, 'vol', String(volume)]);
  return decodeSpeechWav(new Uint8Array(await readFile(out)));
}

export function silence(seconds: number): Int16Array {
  return new Int16Array(Math.round(seconds * 16000));
}

export interface ComposedSpeech {
  pcm: Int16Array;
  /** Where each spoken part is, in seconds. */
  spans: Array<{ start: number; end: number; text: string }>;
}

/** Lay spoken parts out with known pauses: [lead silence, part, pause, part, ..., tail silence]. */
export function compose(
  parts: Array<{ pcm: Int16Array; text: string }>,
  pauseSeconds: number | number[],
  leadSeconds = 0.5,
  tailSeconds = 1,
): ComposedSpeech {
  const chunks: Int16Array[] = [silence(leadSeconds)];
  const spans: ComposedSpeech['spans'] = [];
  let at = leadSeconds;
  parts.forEach((p, i) => {
    const seconds = p.pcm.length / 16000;
    spans.push({ start: at, end: at + seconds, text: p.text });
    chunks.push(p.pcm);
    at += seconds;
    if (i < parts.length - 1) {
      const pause = Array.isArray(pauseSeconds) ? pauseSeconds[i % pauseSeconds.length]! : pauseSeconds;
      chunks.push(silence(pause));
      at += pause;
    }
  });
  chunks.push(silence(tailSeconds));
  return { pcm: concatPcm(chunks), spans };
}

/** Split pcm into uneven chunks, as a microphone or a network would deliver it. */
export function unevenChunks(pcm: Int16Array, sizes: readonly number[] = [1600, 480, 3200, 777, 2048, 160]): Int16Array[] {
  const chunks: Int16Array[] = [];
  for (let i = 0, k = 0; i < pcm.length; k++) {
    const n = sizes[k % sizes.length]!;
    chunks.push(pcm.subarray(i, i + n));
    i += n;
  }
  return chunks;
}
