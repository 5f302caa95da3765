import { useCallback, useState } from 'react';
import type { Visit } from '../../app/contract/index.ts';

type Update = Visit | null | ((prev: Visit | null) => Visit | null);

/**
 * Which of two copies of one visit to show. Call answers and visit.updated events travel different roads, so
 * an answer can arrive after a newer event: the answer to Stop ("processing") after the event of the finished
 * draft, or visit.sign's "sending" after the event that said "posted". The visit shown is the one with the
 * higher revision (the core counts its saves), and its post status the most recent one the core reported
 * (the outbox's updatedAt: posting moves without a save).
 */
export function newerVisit(prev: Visit | null, next: Visit | null): Visit | null {
  if (!prev || !next || prev.id !== next.id) return next;
  const stale = prev.revision !== undefined && next.revision !== undefined && next.revision < prev.revision;
  const base = stale ? prev : next;
  const post = prev.post && (!next.post || prev.post.updatedAt > next.post.updatedAt) ? prev.post : next.post;
  return base.post === post ? base : { ...base, post };
}

/** A visit on screen, from call answers and visit.updated events alike (newerVisit decides between them). */
export function useVisitState(): [Visit | null, (update: Update) => void] {
  const [visit, setRaw] = useState<Visit | null>(null);
  const setVisit = useCallback((update: Update) => {
    setRaw((prev) => newerVisit(prev, typeof update === 'function' ? update(prev) : update));
  }, []);
  return [visit, setVisit];
}
