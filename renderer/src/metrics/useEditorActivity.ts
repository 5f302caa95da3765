import { useEffect, type RefObject } from 'react';
import { callScribe } from '../bridge.ts';
import { attachActivityTracker } from './activityTracker.ts';

/**
 * Measure active editing time in a note editor and report it to metrics (metrics.editorActivity).
 * Put the ref on the element that holds the note's fields; pass enabled=false for a read-only note.
 */
export function useEditorActivity(visitId: string, ref: RefObject<HTMLElement | null>, enabled = true): void {
  useEffect(() => {
    const root = ref.current;
    if (!enabled || !root) return;
    return attachActivityTracker(root, { send: (activeMs) => callScribe('metrics.editorActivity', { visitId, activeMs }) });
  }, [visitId, ref, enabled]);
}
