/** Audio: WAV parsing/encoding with clear errors, and the PCM shapes the recognizers take (16 kHz mono int16). */
import { open, readFile } from 'node:fs/promises';
import { ScribeError } from '../contract/index.ts';
import { decodeWavFrames, parseWav, parseWavHeader } from './wav.ts';
import { SPEECH_SAMPLE_RATE, downmixToMono, floatToPcm16, toSpeechPcm } from './pcm.ts';

export { parseWav, encodeWav } from './wav.ts';
export { resample, concatPcm } from './pcm.ts';

/** Decode WAV bytes into 16 kHz mono PCM (resampled/downmixed when needed). */
export function decodeSpeechWav(bytes: Uint8Array): Int16Array {
  return toSpeechPcm(parseWav(bytes));
}

/** Files above this size that need resampling are refused (resampling holds the whole recording). */
const MAX_RESAMPLED_FILE_BYTES = 512 * 1024 * 1024;
const HEADER_PROBE_BYTES = 1 << 20;

function named(path: string, err: unknown): unknown {
  return err instanceof ScribeError ? new ScribeError(err.code, `${path}: ${err.message}`, err.details) : err;
}

function openError(path: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ScribeError('not_found', `audio file not found: ${path}`);
  if (code === 'EISDIR') return new ScribeError('bad_request', `${path} is a directory, not an audio file`);
  return err;
}

/**
 * Read a WAV file as 16 kHz mono PCM in chunks of `chunkFrames`, holding only one chunk at a time when the
 * file is already 16 kHz (any channel count or sample format) — hours of audio in flat memory. Other rates
 * are decoded whole and resampled (refused above 512 MB with a conversion hint). Errors name the file.
 */
export async function* readSpeechWavChunks(path: string, chunkFrames = SPEECH_SAMPLE_RATE): AsyncGenerator<Int16Array> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw openError(path, err);
  }
  try {
    const { size } = await file.stat();
    if (size === 0) throw named(path, new ScribeError('bad_request', 'the audio file is empty (zero bytes)'));
    const probe = new Uint8Array(Math.min(size, HEADER_PROBE_BYTES));
    await file.read(probe, 0, probe.length, 0);
    let layout;
    try {
      layout = parseWavHeader(probe, size);
    } catch (err) {
      // A header whose data chunk starts beyond the probe (huge metadata) is decoded the slow way below.
      if (!(size > probe.length && /no "data" chunk/.test((err as Error).message))) throw named(path, err);
    }
    if (layout && layout.sampleRate === SPEECH_SAMPLE_RATE) {
      const buf = new Uint8Array(chunkFrames * layout.frameBytes);
      for (let frame = 0; frame < layout.frames; frame += chunkFrames) {
        const want = Math.min(chunkFrames, layout.frames - frame) * layout.frameBytes;
        const { bytesRead } = await file.read(buf, 0, want, layout.dataStart + frame * layout.frameBytes);
        if (bytesRead === 0) break;
        yield floatToPcm16(downmixToMono(decodeWavFrames(layout, buf.subarray(0, bytesRead))));
      }
      return;
    }
    if (size > MAX_RESAMPLED_FILE_BYTES) {
      throw named(
        path,
        new ScribeError(
          'too_large',
          `a ${Math.round(size / 1e6)} MB recording at ${layout?.sampleRate ?? 'an unknown'} Hz is too large to resample here; convert it to 16 kHz first (e.g. sox IN.wav -r 16000 OUT.wav)`,
        ),
      );
    }
    const pcm = await readSpeechWav(path);
    for (let i = 0; i < pcm.length; i += chunkFrames) yield pcm.subarray(i, i + chunkFrames);
  } finally {
    await file.close();
  }
}

/** Read a WAV file into 16 kHz mono PCM; errors name the file. */
export async function readSpeechWav(path: string): Promise<Int16Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ScribeError('not_found', `audio file not found: ${path}`);
    if (code === 'EISDIR') throw new ScribeError('bad_request', `${path} is a directory, not an audio file`);
    throw err;
  }
  try {
    return decodeSpeechWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    if (err instanceof ScribeError) throw new ScribeError(err.code, `${path}: ${err.message}`, err.details);
    throw err;
  }
}
