import type { Transcript, TranscriptSegment } from '../contract/index.ts';

export type EngineName = 'sphinx' | 'sherpa' | 'server';
export const ENGINES: readonly EngineName[] = ['sphinx', 'sherpa', 'server'];

/** The `server` engine's practice server (an OpenAI-compatible `/v1/audio/transcriptions` endpoint). */
export interface ServerEngineOptions {
  /** https, or http to this machine or to an address in allowedPlainHosts (app/secrets: checkPracticeServerUrl). */
  baseUrl: string;
  /** The model name the server expects (e.g. whisper-1, Systran/faster-whisper-small.en). */
  model: string;
  /** Sent as a Bearer token when set (kept in the OS keychain by the app). */
  apiKey?: string;
  allowedPlainHosts?: readonly string[];
  /** How long one segment may wait for the server (default 10 s) before the local text is kept. */
  timeoutMs?: number;
  /** After a failure the server is not asked again for this long (default 30 s). */
  retryAfterMs?: number;
}

export interface TranscribeOptions {
  /** Recognition engine; default `sphinx` (works without downloads). */
  engine?: EngineName;
  /** Model name from models/manifest.json (sherpa engine). */
  model?: string;
  /** Contextual vocabulary (the patient's medications and problems): biases recognition towards these words. */
  vocabulary?: string[];
  /** The `server` engine's practice server (required for it). */
  server?: ServerEngineOptions;
  /**
   * Root of the private scratch folders for the engines' run-time files (default `<data dir>/scratch`);
   * the core passes its own data folder's (app/transcribe/private-scratch.ts).
   */
  scratchDir?: string;
}

export interface StreamingOptions extends TranscribeOptions {
  /**
   * Best guess so far of the segment being spoken (not yet final). Called a few times a second while someone
   * speaks; called with '' when that segment is finalised (it then arrives through onSegment).
   */
  onPartial?: (text: string) => void;
  /** A finalised segment, in order, as soon as its speech ends. */
  onSegment?: (segment: TranscriptSegment) => void;
  /** A failure after creation (the transcriber is then unusable; finish() rejects with the same error). */
  onError?: (error: Error) => void;
  /**
   * Something the clinician should know that does not stop recognition, in words, said once (the `server`
   * engine: the practice server failed and the local engine's text is kept). Also recorded as the
   * transcript's `fallback`.
   */
  onNotice?: (message: string) => void;
}

/** Live transcription of one recording. Audio is 16 kHz mono 16-bit PCM. */
export interface StreamingTranscriber {
  /** Queue audio for recognition (never throws for an engine failure: see onError). */
  push(pcm: Int16Array): void;
  /** Finalises the segment in progress; audio pushed while paused is ignored. */
  pause(): void;
  resume(): void;
  /**
   * Resolves once the worker has processed all audio pushed so far (flow control for callers that produce
   * audio faster than real time, e.g. file import).
   */
  drain(): Promise<void>;
  /** The full transcript: exactly the segments delivered through onSegment. */
  finish(): Promise<Transcript>;
  /** Stops the worker without a transcript. */
  close(): void;
}

export interface RecognizedWord {
  word: string;
  /** Seconds from the start of the segment audio fed to the recognizer. */
  start: number;
  end: number;
  confidence: number;
}

export interface Utterance {
  text: string;
  words: RecognizedWord[];
  /** 0..1; 0 when nothing was recognized; absent when the engine gives none. */
  confidence?: number;
  speaker?: TranscriptSegment['speaker'];
}

/** An engine adapter: decodes one speech segment at a time (begin, feed..., end). */
export interface SegmentRecognizer {
  readonly engine: EngineName;
  readonly model?: string;
  begin(): void;
  feed(pcm: Int16Array): void;
  /** Hypothesis of the segment so far ('' when the engine cannot tell before the end). */
  partial(): string;
  end(): Promise<Utterance>;
  /** Why some segments are not this engine's own recognition (the server engine's fallback), or null. */
  fallback?(): string | null;
  close(): void;
}
