import type { JsonSchema } from './model-note.ts';

/** One structured generation asked of a language model (local GGUF or a practice server). */
export interface GenerationRequest {
  system: string;
  user: string;
  /** The answer must follow this JSON schema (grammar locally, structured output on a server). */
  schema: JsonSchema;
  maxTokens: number;
}

export interface GenerationResult {
  text: string;
  /** Tokens generated (as the engine counts them; 0 when a server does not say). */
  tokens: number;
  seconds: number;
}

export interface GenerationOptions {
  signal?: AbortSignal;
  /** Streamed text as it is produced. */
  onText?: (chunk: string) => void;
}

/** Which model answered: named in the note, the audit record and the FHIR Provenance/Device. */
export interface ModelIdentity {
  name: string;
  version?: string;
  /** sha256 of the GGUF file (local engine). */
  sha256?: string;
}

export interface ModelGenerator {
  readonly engine: 'llm' | 'server';
  identity(): Promise<ModelIdentity>;
  generate(request: GenerationRequest, options?: GenerationOptions): Promise<GenerationResult>;
  close(): Promise<void>;
}

/** A failure with a reason a clinician can read (shown beside the built-in draft). */
export class GenerationError extends Error {
  constructor(
    readonly reason: 'missing' | 'memory' | 'timeout' | 'malformed' | 'unreachable' | 'server' | 'cancelled' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'GenerationError';
  }
}
