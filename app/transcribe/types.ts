import type { Transcript, TranscriptSegment } from '../contract/index.ts';

export type EngineName = 'sphinx' | 'sherpa';
export const ENGINES: readonly EngineName[] = ['sphinx', 'sherpa'];

export interface TranscribeOptions {
  /** Recognition engine; default `sphinx` (works without downloads). */
  engine?: EngineName;
  /** Model name from models/manifest.json (sherpa engine). */
  model?: string;
  /** Contextual vocabulary (the patient's medications and problems): biases recognition towards these words. */
  vocabulary?: string[];
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
  close(): void;
}
