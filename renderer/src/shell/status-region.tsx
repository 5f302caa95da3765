import { useCallback, useRef, useState, type ReactNode } from 'react';

/**
 * One polite status region per screen: recording, paused, drafting, saved, posted, coding decisions.
 * The same words twice in a row are still announced (a zero-width change makes them new).
 */
export function useStatusAnnouncer(): { announce: (words: string) => void; region: ReactNode } {
  const [words, setWords] = useState('');
  const flip = useRef(false);
  const announce = useCallback((next: string) => {
    flip.current = !flip.current;
    setWords(flip.current ? next : `${next}\u200b`);
  }, []);
  const region = (
    <p className="visually-hidden" role="status" aria-live="polite" data-testid="status-region">
      {words}
    </p>
  );
  return { announce, region };
}
