import { plainMessage } from './plain-error.ts';
import type { CallInput, CallName, CallOutput, EventName, EventPayload, ScribeApi } from '../../app/contract/index.ts';

/** An error from the core, with its code (bad_request, forbidden, conflict, ...). */
export class ApiError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

declare global {
  interface Window {
    scribe?: ScribeApi;
  }
}

type Listener = (payload: unknown) => void;

const resumedListeners = new Set<() => void>();

/**
 * The renderer's only door to the core. In Electron, the preload puts `window.scribe` on the page;
 * in a browser (`npm run dev:web`, e2e), the same contract is reached through the loopback web bridge.
 */
function webBridgeApi(): ScribeApi {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('scribe.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = sessionStorage.getItem('scribe.token') ?? '';
  const listeners = new Map<string, Set<Listener>>();
  let socket: WebSocket | null = null;
  let dropped = false;

  function connect(): void {
    socket = new WebSocket(`ws://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      // Events sent while the connection was down are lost: screens read their state again, once.
      if (dropped) resumedListeners.forEach((l) => l());
      dropped = false;
    };
    socket.onmessage = (message) => {
      try {
        const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
        listeners.get(event)?.forEach((l) => l(payload));
      } catch {
        // ignore a malformed frame
      }
    };
    socket.onclose = () => {
      socket = null;
      dropped = true;
      setTimeout(connect, 1000);
    };
  }
  connect();

  async function call(name: string, input: unknown): Promise<unknown> {
    const res = await fetch(`/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input ?? {}),
    });
    let body: { ok: boolean; result?: unknown; error?: { code: string; message: string; details?: unknown } };
    try {
      body = await res.json();
    } catch {
      throw new ApiError('unavailable', `Scribe's core answered ${res.status} without a readable body`);
    }
    if (!body.ok) throw new ApiError(body.error?.code ?? 'internal', body.error?.message ?? 'Unknown error', body.error?.details);
    return body.result;
  }

  const on = (event: string, listener: Listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  };
  return new Proxy({ on } as object, {
    get(target, prop) {
      if (prop === 'on') return on;
      if (typeof prop !== 'string' || prop === 'then') return (target as Record<string | symbol, unknown>)[prop];
      return (input: unknown) => call(prop, input);
    },
  }) as ScribeApi;
}

/** Electron's preload rejects with plain Errors whose message is JSON of the wire error; normalise them. */
function electronApi(api: ScribeApi): ScribeApi {
  return new Proxy(api, {
    get(target, prop) {
      const value = (target as unknown as Record<string | symbol, unknown>)[prop];
      if (prop === 'on' || typeof value !== 'function') return value;
      return async (input: unknown) => {
        try {
          return await (value as (i: unknown) => Promise<unknown>)(input);
        } catch (error) {
          const text = error instanceof Error ? error.message : String(error);
          const match = /\{.*\}$/s.exec(text);
          if (match) {
            try {
              const wire = JSON.parse(match[0]) as { code: string; message: string; details?: unknown };
              throw new ApiError(wire.code, wire.message, wire.details);
            } catch (parsed) {
              if (parsed instanceof ApiError) throw parsed;
            }
          }
          throw new ApiError('internal', text);
        }
      };
    },
  });
}

export const scribe: ScribeApi = window.scribe ? electronApi(window.scribe) : webBridgeApi();

export function callScribe<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  return (scribe[name] as unknown as (i: CallInput<K>) => Promise<CallOutput<K>>)(input);
}

/**
 * While the session is locked the screens render no events (a visit updating behind the lock screen would
 * put PHI on the page): they are held, and delivered in order on unlock. The session's own events pass.
 */
let holding = false;
const held: (() => void)[] = [];
const MAX_HELD = 2000;

export function holdEvents(hold: boolean): void {
  holding = hold;
  if (hold) return;
  for (const deliver of held.splice(0)) deliver();
}

export function onScribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  if (event.startsWith('session.')) return scribe.on(event, listener);
  return scribe.on(event, (payload) => {
    if (!holding) return listener(payload);
    if (held.length < MAX_HELD) held.push(() => listener(payload));
  });
}

/**
 * After the event connection dropped and came back (the web bridge; Electron's IPC does not drop):
 * the screen reads its state again once, instead of polling for what it may have missed.
 */
export function onEventsResumed(listener: () => void): () => void {
  resumedListeners.add(listener);
  return () => resumedListeners.delete(listener);
}

/** What went wrong, in plain words (see plainError.ts): never a call name or a schema message. */
export function errorText(error: unknown): string {
  return plainMessage(error instanceof Error ? error.message : String(error));
}
