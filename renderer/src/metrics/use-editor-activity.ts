import { useEffect, useState } from 'react';
import { callScribe } from '../bridge.ts';
import { attachActivityTracker } from './activity-tracker.ts';

/**
 * Measure active editing time in a note editor and report it to metrics (metrics.editorActivity).
 * Returns a callback ref: put it on the element that holds the note's fields. enabled=false for a
 * read-only note. The tracker follows the element as it mounts and unmounts.
 */
export function useEditorActivity(visitId: string, enabled = true): (element: HTMLElement | null) => void {
  const [element, setElement] = useState<HTMLElement | null>(null);
  useEffect(() => {
    if (!enabled || !element) return;
    return attachActivityTracker(element, { send: (activeMs) => callScribe('metrics.editorActivity', { visitId, activeMs }) });
  }, [visitId, element, enabled]);
  return setElement;
}
