/** Audio: WAV parsing/encoding with clear errors, and the PCM shapes the recognisers take (16 kHz mono int16). */
import { readFile } from 'node:fs/promises';
import { ScribeError } from '../api/define.ts';
import { parseWav } from './wav.ts';
import { toSpeechPcm } from './pcm.ts';

export { parseWav, encodeWav, type DecodedWav } from './wav.ts';
export {
  SPEECH_SAMPLE_RATE, MIN_SPEECH_SAMPLE_RATE, floatToPcm16, pcm16ToFloat, downmixToMono, resample, toSpeechPcm,
  rmsLevel, concatPcm,
} from './pcm.ts';

/** Decode WAV bytes into 16 kHz mono PCM (resampled/downmixed when needed). */
export function decodeSpeechWav(bytes: Uint8Array): Int16Array {
  return toSpeechPcm(parseWav(bytes));
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
