import { useCallback, useState } from 'react';
import type { Visit } from '../../app/contract/index.ts';

type Update = Visit | null | ((prev: Visit | null) => Visit | null);

/**
 * A visit on screen, from call answers and visit.updated events alike. The two travel different roads,
 * so an answer can arrive after a newer event (visit.sign answers "sending" after the event said
 * "posted"): the post status shown is always the most recent one the core reported (updatedAt).
 */
export function useVisitState(): [Visit | null, (update: Update) => void] {
  const [visit, setRaw] = useState<Visit | null>(null);
  const setVisit = useCallback((update: Update) => {
    setRaw((prev) => {
      const next = typeof update === 'function' ? update(prev) : update;
      if (!prev || !next || prev.id !== next.id || !prev.post) return next;
      if (!next.post || prev.post.updatedAt > next.post.updatedAt) return { ...next, post: prev.post };
      return next;
    });
  }, []);
  return [visit, setVisit];
}
