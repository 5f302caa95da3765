import { z } from 'zod';
import { ScribeError } from '../contract/index.ts';
import { contract, type CallName, type CallOutput, type Contract } from '../contract/index.ts';
import type { User } from '../contract/index.ts';
import type { AccessPolicy } from './access.ts';

/** Who is calling. Filled by the transport (Electron IPC or the web bridge) from the core's session. */
export interface CallContext {
  user: User | null;
}

export type Handler<K extends CallName> = (
  input: z.output<Contract[K]['input']>,
  ctx: CallContext,
) => Promise<CallOutput<K>> | CallOutput<K>;

export type Handlers = { [K in CallName]: Handler<K> };
export type PartialHandlers<K extends CallName> = { [P in K]: Handler<P> };

/** Calls that make sense before anyone is signed in. */
const SIGNED_OUT_CALLS = new Set<string>(['session.get', 'session.useProfile', 'ehr.signIn', 'ehr.signOut']);

/** Largest JSON payload one call may carry (a 10 s audio chunk is ~430 kB of base64). */
export const MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}

/**
 * The one gate every call passes through, whichever process it came from:
 * unknown name -> not_found; role not allowed -> forbidden; payload fails its schema -> bad_request;
 * the call's access rule not met (app/core/access.ts) -> forbidden; list answers keep only what the rule
 * allows; handler output fails its schema -> internal (a bug, never sent half-formed).
 */
export function createDispatcher(handlers: Handlers, currentUser: () => User | null, policy: AccessPolicy) {
  return async function dispatch(name: unknown, rawInput: unknown): Promise<unknown> {
    if (typeof name !== 'string' || !Object.hasOwn(contract, name)) {
      throw new ScribeError('not_found', `Unknown call ${JSON.stringify(String(name)).slice(0, 80)}`);
    }
    const callName = name as CallName;
    const spec = contract[callName];
    // Role first: someone not allowed a call learns nothing about its input, not even its schema.
    const user = currentUser();
    if (!user && !SIGNED_OUT_CALLS.has(callName)) {
      throw new ScribeError('forbidden', `${callName}: nobody is signed in`);
    }
    if (user && !(user.role in spec.access)) {
      throw new ScribeError('forbidden', `${callName} is not allowed for the ${user.role} role`);
    }
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      throw new ScribeError('bad_request', `Invalid input for ${callName}: ${describeIssues(parsed.error)}`);
    }
    const input = user ? await policy.checkCall(callName, user, parsed.data as Record<string, unknown>) : parsed.data;
    const handler = handlers[callName] as (input: unknown, ctx: CallContext) => unknown;
    const answer = await handler(input, { user });
    const result = user ? await policy.filterAnswer(callName, user, answer) : answer;
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      throw new ScribeError('internal', `${callName} produced an invalid answer: ${describeIssues(checked.error)}`);
    }
    return checked.data;
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Serialise any thrown value into the error shape the transports send. */
export function toWireError(error: unknown): { code: string; message: string; details?: unknown } {
  if (error instanceof ScribeError) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}
