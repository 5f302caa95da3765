import { useEffect, useRef } from 'react';

/**
 * A new screen names itself: the page title says which screen (and patient), and focus moves to the
 * screen's heading so a keyboard or screen-reader user starts there instead of on the page body.
 * `ready` false: the screen is still loading (title and focus wait for it).
 */
export function useScreenTitle(title: string, ready = true) {
  const heading = useRef<HTMLHeadingElement | null>(null);
  useEffect(() => {
    if (!ready) return;
    document.title = `${title} — Scribe`;
  }, [title, ready]);
  useEffect(() => {
    if (!ready) return;
    // Not when a dialog is open or someone is already typing somewhere on the new screen.
    const active = document.activeElement;
    if (active && active !== document.body && active.closest('[role="dialog"], textarea, input')) return;
    heading.current?.focus({ preventScroll: false });
  }, [ready]);
  return heading;
}
