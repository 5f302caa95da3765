import type { VisitLifecycleEvent } from './events.ts';
import type { MetricsRecorder } from './recorder.ts';

const RECORDED: ReadonlySet<string> = new Set<VisitLifecycleEvent['type']>([
  'visit.started',
  'visit.stopped',
  'draft.ready',
  'editor.activity',
  'visit.signed',
  'note.posted',
  'coding.decision',
  'note.amended',
]);

export interface LifecycleListenerOptions {
  /** Where a refused or failed record is reported (the log); never thrown at the clinical path. */
  onError?: (error: unknown, type: string) => void;
  /**
   * The clinician's dictated words in the note (app/dictation: `dictatedText(visitId)`), added to
   * visit.signed when the event does not carry them, so they count neither as AI draft nor as edits.
   */
  dictatedText?: (visitId: string) => Promise<string>;
  /** The visit's coding decisions at signing (app/coding, on the visit), counted into visit.signed. */
  codingDecisions?: (visitId: string) => Promise<readonly { action: 'accept' | 'reject' | 'replace' }[]>;
}

/**
 * A listener for the visit service's lifecycle hook: events metrics measure are recorded (in the
 * background, never blocking or breaking the clinical path); other events (e.g. draft.edited) are ignored.
 */
export function metricsLifecycleListener(
  recorder: Pick<MetricsRecorder, 'record'>,
  options: LifecycleListenerOptions = {},
): (event: { type: string } & Record<string, unknown>) => void {
  const onError = options.onError ?? (() => undefined);
  return (event) => {
    if (!RECORDED.has(event.type)) return;
    const complete = async (): Promise<VisitLifecycleEvent> => {
      if (event.type !== 'visit.signed') return event as unknown as VisitLifecycleEvent;
      const visitId = String(event.visitId);
      const extra: Record<string, unknown> = {};
      if (typeof event.dictatedText !== 'string' && options.dictatedText) {
        const dictatedText = await options.dictatedText(visitId).catch((error: unknown) => (onError(error, 'dictatedText'), ''));
        if (dictatedText) extra.dictatedText = dictatedText;
      }
      if (!event.coding && options.codingDecisions) {
        const decisions = await options.codingDecisions(visitId).catch((error: unknown) => (onError(error, 'codingDecisions'), null));
        if (decisions) {
          extra.coding = {
            accepted: decisions.filter((d) => d.action === 'accept').length,
            rejected: decisions.filter((d) => d.action === 'reject').length,
            replaced: decisions.filter((d) => d.action === 'replace').length,
          };
        }
      }
      return { ...event, ...extra } as unknown as VisitLifecycleEvent;
    };
    complete()
      .then((e) => recorder.record(e))
      .catch((error: unknown) => onError(error, event.type));
  };
}
