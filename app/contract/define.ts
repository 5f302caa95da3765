import { z } from 'zod';

/** Who is using Scribe. Enforced by the core for every call (see docs/decisions/0003-roles-in-core.md). */
export const Role = z.enum(['clinician', 'scribe', 'manager']);
export type Role = z.infer<typeof Role>;

/**
 * Beyond the role, what a call or an event is about must be this person's (app/core/access.ts applies it):
 * `none` (the role is enough), `ownVisit` (the visit is this clinician's), `assignedVisit` (the visit is
 * assigned to this scribe), `ownMetrics` (a clinician's own figures only).
 */
export const AccessRule = z.enum(['none', 'ownVisit', 'assignedVisit', 'ownMetrics']);
export type AccessRule = z.infer<typeof AccessRule>;

/** Per role that may make a call (or receive an event), the rule that applies; a role not listed may not. */
export type Access = { readonly [R in Role]?: AccessRule };

export const EVERYONE = { clinician: 'none', scribe: 'none', manager: 'none' } as const satisfies Access;
/** PHI of one visit: its own clinician, or the scribe it is assigned to. */
export const VISIT_READERS = { clinician: 'ownVisit', scribe: 'assignedVisit' } as const satisfies Access;
/** Changes only the visit's own clinician makes (recording, signing, dictating, deleting). */
export const VISIT_OWNER = { clinician: 'ownVisit' } as const satisfies Access;

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Input schema: validated on every call, whatever crossed the process boundary. */
  input: I;
  /** Output schema: validated before the answer leaves the core. */
  output: O;
  /** Who may make the call: each role allowed, with its rule. */
  access: Access;
  /** A list call answers only the items whose visit (this key of each item) the caller's rule allows. */
  list?: 'id' | 'visitId';
  /** One line for humans (docs, errors). */
  summary: string;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType, const A extends Access>(
  spec: CallSpec<I, O> & { access: A },
): CallSpec<I, O> & { access: A; roles: readonly (keyof A & Role)[] } {
  return { ...spec, roles: Object.keys(spec.access) as (keyof A & Role)[] };
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P;
  /** Whose window receives it: each role, with its rule. */
  receivers: Access;
  /** The visit the event is about (for rules other than `none`). */
  visitIdOf?: (payload: z.output<P>) => string;
}

export function defineEvent<P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> {
  return spec;
}

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
