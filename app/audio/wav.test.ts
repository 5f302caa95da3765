import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatPcm, decodeSpeechWav, encodeWav, parseWav, readSpeechWav, readSpeechWavChunks, resample } from './index.ts';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-wav-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sine(freq: number, rate: number, seconds: number): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(10000 * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Zero crossings per second / 2 ≈ frequency of a pure tone. */
function dominantFrequency(pcm: ArrayLike<number>, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings++;
  return crossings / 2 / (pcm.length / rate);
}

describe('WAV parsing', () => {
  it('round-trips 16 kHz mono PCM exactly', () => {
    const pcm = sine(440, 16000, 0.5);
    const parsed = parseWav(encodeWav(pcm));
    expect(parsed).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16, frames: pcm.length });
    expect(decodeSpeechWav(encodeWav(pcm))).toEqual(pcm);
  });

  it('reads what sox writes: 44.1 kHz stereo 24-bit and 8 kHz float are converted to 16 kHz mono', async () => {
    const stereo = path.join(dir, 'stereo.wav');
    await run('sox', ['-n', '-r', '44100', '-c', '2', '-b', '24', stereo, 'synth', '1', 'sine', '300']);
    const pcm = await readSpeechWav(stereo);
    expect(pcm.length).toBe(16000);
    expect(dominantFrequency(pcm, 16000)).toBeGreaterThan(290);
    expect(dominantFrequency(pcm, 16000)).toBeLessThan(310);
    const float8k = path.join(dir, 'float.wav');
    await run('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'floating-point', '-b', '32', float8k, 'synth', '0.5', 'sine', '1000']);
    const up = await readSpeechWav(float8k);
    expect(up.length).toBe(8000);
    expect(Math.abs(dominantFrequency(up, 16000) - 1000)).toBeLessThan(15);
  });

  it('reads a 16 kHz file in chunks from disk (flat memory), identical to decoding it whole', async () => {
    const file = path.join(dir, 'long16k.wav');
    await run('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', file, 'synth', '3.3', 'sine', '200-900']);
    const chunks: Int16Array[] = [];
    for await (const c of readSpeechWavChunks(file, 4000)) chunks.push(c);
    expect(chunks.length).toBe(Math.ceil((3.3 * 16000) / 4000));
    expect(chunks.every((c) => c.length <= 4000)).toBe(true);
    expect(concatPcm(chunks)).toEqual(await readSpeechWav(file));
    const cut = path.join(dir, 'cut-header.wav');
    await writeFile(cut, (await readFile(file)).subarray(0, 30));
    await expect(readSpeechWavChunks(cut).next()).rejects.toThrow(`${cut}: truncated WAV header`);
  });

  it('resampling 48 kHz → 16 kHz removes content above the new Nyquist frequency', () => {
    const high = new Float32Array(sine(12000, 48000, 0.2)).map((v) => v / 32768);
    const down = resample(high, 48000, 16000);
    const rms = Math.sqrt(down.reduce((a, v) => a + v * v, 0) / down.length);
    expect(rms).toBeLessThan(0.02); // the 12 kHz tone (~0.22 RMS) is filtered out instead of aliasing to 4 kHz
  });
});

describe('bad audio gets a clear error', () => {
  const header = () => encodeWav(sine(440, 16000, 0.1));

  it('truncated header', () => {
    expect(() => parseWav(header().subarray(0, 20))).toThrow(/truncated WAV header/);
    expect(() => parseWav(header().subarray(0, 10))).toThrow(/truncated WAV header/);
    expect(() => parseWav(header().subarray(0, 40))).toThrow(/truncated WAV (header|file)/);
  });

  it('zero-length file and a data chunk without samples', () => {
    expect(() => parseWav(new Uint8Array(0))).toThrow(/empty \(zero bytes\)/);
    expect(() => parseWav(encodeWav(new Int16Array(0)))).toThrow(/no audio \(zero-length data chunk\)/);
  });

  it('wrong sample rate: inconsistent header, absurd rate, or too low for speech', () => {
    const inconsistent = header();
    new DataView(inconsistent.buffer).setUint32(24, 44100, true); // rate changed, byte rate not
    expect(() => parseWav(inconsistent)).toThrow(/inconsistent WAV header: sample rate 44100 Hz/);
    const absurd = encodeWav(sine(440, 16000, 0.1), 100);
    expect(() => parseWav(absurd)).toThrow(/sample rate 100 Hz/);
    expect(() => decodeSpeechWav(encodeWav(sine(440, 4000, 0.5), 4000))).toThrow(/4000 Hz is too low for speech recognition/);
  });

  it('non-audio and other containers: unsupported format', () => {
    expect(() => parseWav(new TextEncoder().encode('Patient: I have a cough.\n'))).toThrow(/unsupported format: not a WAV file/);
    expect(() => parseWav(new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]))).toThrow(/unsupported format: MP3/);
    expect(() => parseWav(new TextEncoder().encode('OggS\0\x02rest'))).toThrow(/unsupported format: Ogg/);
    const adpcm = header();
    new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(() => parseWav(adpcm)).toThrow(/unsupported format: WAV encoding 2 \(compressed\)/);
  });

  it('file errors name the file', async () => {
    const text = path.join(dir, 'notes.wav');
    await writeFile(text, 'not audio at all');
    await expect(readSpeechWav(text)).rejects.toThrow(`${text}: unsupported format`);
    await expect(readSpeechWav(path.join(dir, 'missing.wav'))).rejects.toThrow(/audio file not found/);
    const cut = path.join(dir, 'cut.wav');
    await writeFile(cut, (await readFile(text)).subarray(0, 0));
    await expect(readSpeechWav(cut)).rejects.toThrow(/empty/);
  });
});
