import type { MetricsEhr } from './ehrReports.ts';
import { createPracticeMetrics, type PracticeMetrics } from './practice.ts';
import { createMetricsRecorder, type MetricsRecorder, type MetricsRecorderOptions } from './recorder.ts';

export interface MetricsServiceOptions extends MetricsRecorderOptions {
  /** The EHR's FHIR base (and auth headers) to post and read MeasureReports; null = local figures only. */
  ehr: () => MetricsEhr | null;
}

/** What the core wires: the recorder (fed by the visit service and the editor) and the practice view. */
export interface MetricsService {
  recorder: MetricsRecorder;
  practice: PracticeMetrics;
}

export function createMetricsService(options: MetricsServiceOptions): MetricsService {
  const recorder = createMetricsRecorder(options);
  const practice = createPracticeMetrics({ recorder, ehr: options.ehr, ...(options.now ? { now: options.now } : {}) });
  return { recorder, practice };
}
