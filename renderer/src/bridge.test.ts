// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';

// The lock screen stops events from reaching the screens (#15): while held, a visit update does not
// render behind the lock; the session's own events pass; on unlock the held ones arrive in order.

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
(window as unknown as { scribe: unknown }).scribe = {
  on(event: string, listener: Listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  },
};

describe('events while locked', () => {
  it('holds screen events until unlock, in order, and lets the session events through', async () => {
    const { holdEvents, onScribe } = await import('./bridge.ts');
    const seen: string[] = [];
    onScribe('visit.updated', (v) => void seen.push(`visit:${(v as { id: string }).id}`));
    onScribe('session.lockChanged', (s) => void seen.push(`lock:${(s as { locked: boolean }).locked}`));
    holdEvents(true);
    emit('visit.updated', { id: 'a' });
    emit('visit.updated', { id: 'b' });
    emit('session.lockChanged', { locked: true });
    expect(seen).toEqual(['lock:true']);
    holdEvents(false);
    expect(seen).toEqual(['lock:true', 'visit:a', 'visit:b']);
    emit('visit.updated', { id: 'c' });
    expect(seen.at(-1)).toBe('visit:c');
  });
});
