/**
 * Practice metrics: how much documentation time Scribe saves, measured per visit on each workstation,
 * posted per clinician per day as de-identified FHIR MeasureReports, and aggregated for the practice manager.
 * Nothing here holds a patient id, a patient name or note text.
 */
export type { VisitLifecycleEvent, VisitLifecycleEventType } from './events.ts';
export { VisitLifecycleEventSchema, MAX_ACTIVITY_MS_PER_REPORT } from './events.ts';
export { createMetricsRecorder, type MetricsRecorder, type MetricsRecorderOptions, type MetricsStore, type ClinicianDay } from './recorder.ts';
export { MetricsSettings, defaultMetricsSettings, MIN_NOTES_FOR_MEASURED_BASELINE } from './settings.ts';
export { ClinicHours, isAfterHours, localTime, weekOf } from './clinic-hours.ts';
export { draftRetention, type DraftRetention } from './retention.ts';
export type { VisitMetrics } from './visit-record.ts';
export type { DayFigures, FigureCounts } from './day-figures.ts';
export {
  aggregateDayFigures, type MetricsAggregate, type MetricsFilter, type Figures, type WeekFigures,
  type ClinicianWeekFigures, type ClinicianFigures, type Baseline,
} from './aggregate.ts';
export { toMeasureReport, fromMeasureReport, MEASURE_URL, REPORT_IDENTIFIER_SYSTEM, FIGURE_CODE_SYSTEM } from './measure-report.ts';
export { postMeasureReport, readMeasureReports, MetricsEhrError, type MetricsEhr, type ReportQuery } from './ehr-reports.ts';
export { createPracticeMetrics, type PracticeMetrics, type MetricsDashboard, type MetricsSource, type PublishResult } from './practice.ts';
export { dashboardCsv, parseDashboardCsv, parseCsv, CSV_HEADER } from './csv.ts';
export { createMetricsService, type MetricsService, type MetricsServiceOptions } from './service.ts';
export { metricsLifecycleListener } from './lifecycle.ts';
