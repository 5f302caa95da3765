/**
 * Practice metrics: how much documentation time Scribe saves, measured per visit on each workstation,
 * posted per clinician per day as de-identified FHIR MeasureReports, and aggregated for the practice manager.
 * Nothing here holds a patient id, a patient name or note text.
 */
export type { VisitLifecycleEvent } from './events.ts';
export { createMetricsRecorder, type MetricsRecorder } from './recorder.ts';
export type { DayFigures } from './day-figures.ts';
export { type MetricsFilter, type Figures } from './aggregate.ts';
export { toMeasureReport } from './measure-report.ts';
export { postMeasureReport } from './ehr-reports.ts';
export { dashboardCsv, parseDashboardCsv } from './csv.ts';
export { createMetricsService, type MetricsService } from './service.ts';
export { metricsLifecycleListener } from './lifecycle.ts';
export { draftRetention } from './retention.ts';
