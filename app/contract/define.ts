import { z } from 'zod';

/** Who is using Scribe. Enforced by the core for every call (see docs/decisions/0003-roles-in-core.md). */
export const Role = z.enum(['clinician', 'scribe', 'manager']);
export type Role = z.infer<typeof Role>;

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Input schema: validated on every call, whatever crossed the process boundary. */
  input: I;
  /** Output schema: validated before the answer leaves the core. */
  output: O;
  /** Roles allowed to make the call. */
  roles: readonly Role[];
  /** One line for humans (docs, errors). */
  summary: string;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

export const ALL_ROLES = ['clinician', 'scribe', 'manager'] as const satisfies readonly Role[];
export const PHI_ROLES = ['clinician', 'scribe'] as const satisfies readonly Role[];
export const CLINICIAN = ['clinician'] as const satisfies readonly Role[];

/** A plain, serialisable error that crosses IPC/HTTP unchanged. */
export class ScribeError extends Error {
  constructor(
    public readonly code: ScribeErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ScribeError';
  }
  toJSON(): { code: ScribeErrorCode; message: string; details?: unknown } {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

export type ScribeErrorCode =
  | 'bad_request'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'unsupported'
  | 'too_large'
  | 'internal';
