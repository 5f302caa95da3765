import type { Transcript, TranscriptSegment } from '../contract/index.ts';
import type { TranscribeOptions } from './types.ts';

export interface WorkerInit {
  options: TranscribeOptions;
  wantPartials: boolean;
}

export type WorkerRequest =
  /** pcm: the ArrayBuffer of a 16 kHz mono Int16Array (transferred). */
  | { type: 'push'; pcm: ArrayBuffer }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'finish' }
  /** Answered with `drained` once everything before it was processed. */
  | { type: 'drain'; id: number }
  | { type: 'close' };

export type WorkerReply =
  | { type: 'ready'; engine: string }
  | { type: 'partial'; text: string }
  | { type: 'notice'; message: string }
  | { type: 'segment'; segment: TranscriptSegment }
  | { type: 'final'; transcript: Transcript }
  | { type: 'drained'; id: number }
  | { type: 'error'; code: string; message: string };
