/**
 * Transcription: local speech recognition behind one interface.
 *
 * - transcribePcm / transcribeFile: a whole recording → Transcript.
 * - createStreamingTranscriber: live audio → partial text while people speak, each segment final as soon as
 *   its pause is detected, the full transcript on finish(). Runs in a worker thread.
 * Engines: `sphinx` (Debian pocketsphinx, no downloads), `sherpa` (sherpa-onnx models from
 * models/manifest.json) and `server` (the practice's /v1/audio/transcriptions server per segment, sphinx for
 * partials and as the fallback). Silero VAD cuts speech into segments for all.
 */
import type { Transcript } from '../contract/index.ts';
import { ScribeError } from '../contract/index.ts';
import { readSpeechWavChunks } from '../audio/index.ts';
import { createStreamingTranscriber } from './streaming.ts';
import type { EngineName, TranscribeOptions } from './types.ts';
import { SPHINX_MODEL_DIR } from './sphinx/decoder.ts';
import { DEFAULT_SHERPA_MODEL, SHERPA_MODELS, isSherpaModelInstalled } from './sherpa/models.ts';
import { existsSync } from 'node:fs';

export { createStreamingTranscriber } from './streaming.ts';
export { removeOwnScratch, removeStaleScratch } from './private-scratch.ts';
export type { EngineName, TranscribeOptions } from './types.ts';
export { ENGINES } from './types.ts';
/** The OS keychain account of the transcription server's API key (the `server` engine). */
export const TRANSCRIPTION_SERVER_KEY_ACCOUNT = 'transcription-server-api-key';
export { wordErrors } from './word-error-rate.ts';
export { SHERPA_MODELS, DEFAULT_SHERPA_MODEL } from './sherpa/models.ts';

/** Engines usable on this workstation: sphinx when the Debian English model is present, sherpa when its default model is installed. */
export function installedEngines(): EngineName[] {
  const engines: EngineName[] = [];
  if (existsSync(SPHINX_MODEL_DIR)) engines.push('sphinx');
  if (isSherpaModelInstalled(DEFAULT_SHERPA_MODEL)) engines.push('sherpa');
  return engines;
}

/** Installed sherpa models, by role (for the settings screen's model picker). */
export function installedSherpaModels(): Array<{ name: string; role: string }> {
  return Object.entries(SHERPA_MODELS)
    .filter(([name]) => isSherpaModelInstalled(name))
    .map(([name, spec]) => ({ name, role: spec.role }));
}

/** Chunk size used to stream a whole recording through the worker (1 s). */
const FILE_CHUNK = 16000;

/** Transcribe a whole recording of 16 kHz mono 16-bit PCM (off the calling thread). */
export async function transcribePcm(pcm: Int16Array, opts: TranscribeOptions = {}): Promise<Transcript> {
  if (!(pcm instanceof Int16Array)) throw new ScribeError('bad_request', 'transcribePcm takes 16 kHz mono Int16Array PCM');
  const transcriber = createStreamingTranscriber(opts);
  try {
    // Keep at most ~30 s of audio queued in the worker: memory stays flat for long recordings.
    for (let i = 0; i < pcm.length; i += FILE_CHUNK) {
      transcriber.push(pcm.subarray(i, i + FILE_CHUNK));
      if ((i / FILE_CHUNK) % 30 === 29) await transcriber.drain();
    }
    return await transcriber.finish();
  } catch (err) {
    transcriber.close();
    throw err;
  }
}

/**
 * Transcribe a WAV file (any PCM/float WAV ≥ 8 kHz; resampled to 16 kHz mono). Other formats: 'unsupported
 * format'. A 16 kHz file is streamed from disk, so hours of audio take flat memory.
 */
export async function transcribeFile(path: string, opts: TranscribeOptions = {}): Promise<Transcript> {
  const chunks = readSpeechWavChunks(path, FILE_CHUNK);
  const first = await chunks.next(); // bad files fail here, before a worker is started
  const transcriber = createStreamingTranscriber(opts);
  try {
    let n = 0;
    for (let c = first; !c.done; c = await chunks.next()) {
      transcriber.push(c.value);
      if (++n % 30 === 0) await transcriber.drain();
    }
    return await transcriber.finish();
  } catch (err) {
    transcriber.close();
    throw err;
  }
}
