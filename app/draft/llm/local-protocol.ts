import type { GenerationRequest, GenerationResult, ModelIdentity } from './generator.ts';

export interface LocalWorkerInit {
  modelPath: string;
  /** CPU threads for generation (default: what node-llama-cpp picks). */
  threads?: number;
  contextSize?: number;
  /** Force the CPU build (tests, CI, machines without a usable GPU). */
  cpuOnly?: boolean;
}

export type LocalWorkerRequest =
  | { type: 'identity'; id: number }
  | { type: 'generate'; id: number; request: GenerationRequest }
  | { type: 'abort'; id: number }
  | { type: 'close' };

export type LocalWorkerReply =
  | { type: 'identity'; id: number; identity: ModelIdentity }
  | { type: 'text'; id: number; chunk: string }
  | { type: 'done'; id: number; result: GenerationResult }
  | { type: 'error'; id: number; reason: string; message: string };
