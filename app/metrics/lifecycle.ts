import type { VisitLifecycleEvent } from './events.ts';
import type { MetricsRecorder } from './recorder.ts';

const RECORDED: ReadonlySet<string> = new Set<VisitLifecycleEvent['type']>([
  'visit.started', 'visit.stopped', 'draft.ready', 'editor.activity', 'visit.signed', 'note.posted', 'coding.decision', 'note.amended',
]);

/**
 * A listener for the visit service's lifecycle hook: events metrics measure are recorded (in the
 * background, never blocking or breaking the clinical path); other events (e.g. draft.edited) are ignored.
 * A refused or failed record is reported to `onError` (the audit/log), never thrown at the caller.
 */
export function metricsLifecycleListener(
  recorder: Pick<MetricsRecorder, 'record'>,
  onError: (error: unknown, type: string) => void = () => undefined,
): (event: { type: string } & Record<string, unknown>) => void {
  return (event) => {
    if (!RECORDED.has(event.type)) return;
    recorder.record(event as unknown as VisitLifecycleEvent).catch((error: unknown) => onError(error, event.type));
  };
}
