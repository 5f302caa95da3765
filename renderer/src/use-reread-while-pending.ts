import { useEffect } from 'react';
import type { Visit } from '../../app/contract/index.ts';
import { callScribe } from './bridge.ts';

/** The core is still working on this visit: recognizing and drafting, or posting the signed note. */
export function isPending(visit: Visit | null): boolean {
  return visit?.status === 'processing' || visit?.post?.status === 'queued' || visit?.post?.status === 'sending';
}

/**
 * Events can be missed (a dropped connection, a sleeping laptop): while the core is still working on the
 * visit, read it again every few seconds so a screen never stalls on a stale state.
 */
export function useRereadWhilePending(visitId: string, visit: Visit | null, setVisit: (v: Visit) => void): void {
  const pending = isPending(visit);
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => {
      callScribe('visit.get', { visitId }).then(setVisit, () => undefined);
    }, 3000);
    return () => clearInterval(timer);
  }, [pending, visitId, setVisit]);
}
