import type { MetricsDashboard } from '../contract/index.ts';
import { aggregateDayFigures, type MetricsFilter } from './aggregate.ts';
import type { DayFigures } from './day-figures.ts';
import { postMeasureReport, readMeasureReports, type MetricsEhr } from './ehr-reports.ts';
import { toMeasureReport } from './measure-report.ts';
import type { MetricsRecorder } from './recorder.ts';

export interface PublishResult {
  posted: number;
  failed: number;
  error?: string;
}

export interface PracticeMetricsOptions {
  recorder: MetricsRecorder;
  /** The EHR to post to and read from, or null when none is configured (figures stay local). */
  ehr: () => MetricsEhr | null;
  now?: () => Date;
}

/**
 * The practice-wide view without a server of our own: each workstation posts its figures per clinician
 * and day as MeasureReports to the EHR; the dashboard reads every workstation's reports back, replaces
 * this workstation's with its fresher local figures, and falls back to local figures when the EHR fails.
 */
export function createPracticeMetrics(options: PracticeMetricsOptions) {
  const { recorder } = options;
  const now = options.now ?? (() => new Date());
  let publishing: Promise<PublishResult> | null = null;

  async function publishOnce(ehr: MetricsEhr): Promise<PublishResult> {
    const pending = await recorder.unpublishedDays();
    if (pending.length === 0) return { posted: 0, failed: 0 };
    const rows = await recorder.dayFigures();
    const byDay = new Map<string, DayFigures[]>();
    for (const r of rows) {
      const k = `${r.clinicianId}|${r.day}`;
      const list = byDay.get(k);
      if (list) list.push(r);
      else byDay.set(k, [r]);
    }
    let posted = 0;
    let lastError: string | undefined;
    const done = [];
    for (const d of pending) {
      const dayRows = byDay.get(`${d.clinicianId}|${d.day}`);
      try {
        if (dayRows) await postMeasureReport(ehr, toMeasureReport(dayRows, now()));
        posted += dayRows ? 1 : 0;
        done.push(d);
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        break; // the EHR is failing: keep the rest for the next attempt
      }
    }
    await recorder.markPublished(done);
    const failed = pending.length - done.length;
    return { posted, failed, ...(lastError ? { error: lastError } : {}) };
  }

  const service = {
    /** Post this workstation's changed clinician-days to the EHR (one at a time; concurrent calls share one run). */
    publish(): Promise<PublishResult> {
      const ehr = options.ehr();
      if (!ehr) return Promise.resolve({ posted: 0, failed: 0, error: 'No EHR is configured' });
      publishing ??= publishOnce(ehr).finally(() => {
        publishing = null;
      });
      return publishing;
    },

    /** The dashboard's figures: practice-wide when the EHR answers, else this workstation's own. */
    async dashboard(filter: MetricsFilter = {}): Promise<MetricsDashboard> {
      const settings = await recorder.settings();
      const ownId = await recorder.workstationId();
      const local = await recorder.dayFigures();
      const ehr = options.ehr();
      let rows: DayFigures[] = local;
      let source: MetricsDashboard['source'];
      if (!ehr) {
        source = { scope: 'local', reportsRead: 0, unpublished: (await recorder.unpublishedDays()).length };
      } else {
        const published = await service.publish();
        try {
          // The EHR narrows by period and clinician; the visit type filter applies to the strata here.
          const { from, to, clinicianId } = filter;
          const remote = await readMeasureReports(ehr, {
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            ...(clinicianId ? { clinicianId } : {}),
          });
          rows = [...remote.rows.filter((r) => r.workstationId !== ownId), ...local];
          source = { scope: 'practice', reportsRead: remote.reports, unpublished: published.failed };
          if (published.error) source.ehrError = `Posting this workstation's reports failed: ${published.error}`;
        } catch (error) {
          source = {
            scope: 'local',
            ehrError: error instanceof Error ? error.message : String(error),
            reportsRead: 0,
            unpublished: (await recorder.unpublishedDays()).length,
          };
        }
      }
      return { ...aggregateDayFigures(rows, filter, settings), source, generatedAt: now().toISOString() };
    },
  };
  return service;
}

export type PracticeMetrics = ReturnType<typeof createPracticeMetrics>;
