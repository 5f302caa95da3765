import type { VisitLifecycleEvent } from './events.ts';
import type { MetricsEhr } from './ehr-reports.ts';
import { createPracticeMetrics, type PracticeMetrics, type PublishResult } from './practice.ts';
import { createMetricsRecorder, type MetricsRecorder, type MetricsRecorderOptions } from './recorder.ts';

export interface MetricsServiceOptions extends Omit<MetricsRecorderOptions, 'onRecorded'> {
  /** The EHR's FHIR base (and auth headers) to post and read MeasureReports; null = local figures only. */
  ehr: () => MetricsEhr | null;
  /**
   * Post changed clinician-days this long after a note is signed, posted or amended (default 30 s; batches
   * a burst of edits into one post). 0 turns automatic posting off (tests, the CLI).
   */
  publishDelayMs?: number;
  /** Also retry unposted days this often (default 10 min), e.g. after the EHR was down. 0 = never. */
  publishEveryMs?: number;
  /** Where a failed automatic post is reported (the log); the days stay queued for the next try. */
  onPublishError?: (message: string) => void;
}

/** What the core wires: the recorder (fed by the visit service and the editor) and the practice view. */
export interface MetricsService {
  recorder: MetricsRecorder;
  practice: PracticeMetrics;
  /** Stop the automatic posting timers (the app's shutdown). */
  close(): void;
}

const PUBLISH_AFTER: ReadonlySet<VisitLifecycleEvent['type']> = new Set(['visit.signed', 'note.posted', 'note.amended']);

/**
 * The recorder and the practice view, plus automatic posting: each workstation posts its changed
 * clinician-days to the EHR shortly after notes are signed or amended, and retries unposted days
 * periodically, whether or not anyone opens the dashboard on it. Timers never keep the process alive.
 */
export function createMetricsService(options: MetricsServiceOptions): MetricsService {
  const delay = options.publishDelayMs ?? 30_000;
  const every = options.publishEveryMs ?? 10 * 60_000;
  let pending: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  function report(result: PublishResult): void {
    if (result.error && options.ehr()) options.onPublishError?.(result.error);
  }
  function publishNow(): void {
    pending = null;
    if (closed) return;
    void practice
      .publish()
      .then(report, (error: unknown) => options.onPublishError?.(error instanceof Error ? error.message : String(error)));
  }
  function schedulePublish(): void {
    if (closed || delay <= 0 || pending) return;
    pending = setTimeout(publishNow, delay);
    pending.unref?.();
  }

  const recorder = createMetricsRecorder({
    ...options,
    onRecorded: (type) => {
      if (PUBLISH_AFTER.has(type)) schedulePublish();
    },
  });
  const practice = createPracticeMetrics({ recorder, ehr: options.ehr, ...(options.now ? { now: options.now } : {}) });
  const periodic = every > 0 ? setInterval(publishNow, every) : null;
  periodic?.unref?.();

  return {
    recorder,
    practice,
    close() {
      closed = true;
      if (pending) clearTimeout(pending);
      if (periodic) clearInterval(periodic);
    },
  };
}
