import type { MetricsDashboard, MetricsFigures, MetricsFilter } from '../contract/index.ts';
import { weekOf } from './clinic-hours.ts';
import { addCounts, zeroCounts, type DayFigures, type FigureCounts } from './day-figures.ts';
import { MIN_NOTES_FOR_MEASURED_BASELINE, type MetricsSettings } from './settings.ts';

/** The figures' shapes are the contract's (what metrics.dashboard returns); these names are views of them. */
export type { MetricsFilter };
/** Figures for one period or group, derived from additive counts. Minutes, shares 0..1; null = no data. */
export type Figures = MetricsFigures;
export type WeekFigures = MetricsDashboard['weekly'][number];
export type ClinicianWeekFigures = MetricsDashboard['clinicianWeeks'][number];
export type ClinicianFigures = MetricsDashboard['clinicians'][number];
type Baseline = MetricsDashboard['baseline'];
/** The dashboard without where its figures came from (practice.ts adds that). */
export type MetricsAggregate = Omit<MetricsDashboard, 'source' | 'generatedAt'>;

export function matchesFilter(row: { day: string; clinicianId: string; visitType: string }, f: MetricsFilter): boolean {
  return (
    (!f.from || row.day >= f.from) &&
    (!f.to || row.day <= f.to) &&
    (!f.clinicianId || row.clinicianId === f.clinicianId) &&
    (!f.visitType || row.visitType === f.visitType)
  );
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const round = (x: number, places = 2): number => Math.round(x * 10 ** places) / 10 ** places;
const roundOrNull = (x: number | null, places = 2): number | null => (x === null ? null : round(x, places));

export function figuresOf(c: FigureCounts, baselineMinutes: number): Figures {
  const editMinutes = c.editSeconds / 60;
  return {
    visits: c.visits,
    notesSigned: c.notesSigned,
    documentationMinutesPerNote: roundOrNull(ratio(editMinutes, c.notesSigned)),
    minutesSaved: round(baselineMinutes * (c.notesSigned - c.notesWithoutDraft) - (c.editSeconds - c.editSecondsWithoutDraft) / 60),
    afterHoursMinutes: round(c.afterHoursEditSeconds / 60),
    draftRetention: roundOrNull(ratio(c.keptWords, c.draftWords), 4),
    timeToSignMinutes: roundOrNull(ratio(c.stopToSignSeconds / 60, c.signsTimed)),
    visitMinutes: roundOrNull(ratio(c.visitSeconds / 60, c.visitsTimed)),
    stopToDraftSeconds: roundOrNull(ratio(c.stopToDraftSeconds, c.draftsTimed)),
    importStopToDraftSeconds: roundOrNull(ratio(c.importStopToDraftSeconds, c.importDraftsTimed)),
    codingAccepted: c.codingAccepted,
    codingRejected: c.codingRejected,
    codingReplaced: c.codingReplaced,
    amendments: c.amendments,
  };
}

export function baselineOf(all: readonly DayFigures[], settings: MetricsSettings): Baseline {
  if (settings.baselineSource === 'measured') {
    let notes = 0,
      seconds = 0;
    for (const r of all) {
      notes += r.counts.notesWithoutDraft;
      seconds += r.counts.editSecondsWithoutDraft;
    }
    if (notes >= MIN_NOTES_FOR_MEASURED_BASELINE) return { minutesPerNote: round(seconds / 60 / notes), source: 'measured', notes };
  }
  return { minutesPerNote: settings.baselineMinutesPerNote, source: 'setting', notes: 0 };
}

function sumBy<K>(rows: readonly DayFigures[], keyOf: (r: DayFigures) => K): Map<K, FigureCounts> {
  const out = new Map<K, FigureCounts>();
  for (const r of rows) {
    const k = keyOf(r);
    let c = out.get(k);
    if (!c) out.set(k, (c = zeroCounts()));
    addCounts(c, r.counts);
  }
  return out;
}

/** The dashboard's figures from day figures of any number of workstations. */
export function aggregateDayFigures(all: readonly DayFigures[], filter: MetricsFilter, settings: MetricsSettings): MetricsAggregate {
  const baseline = baselineOf(all, settings);
  const b = baseline.minutesPerNote;
  const rows = all.filter((r) => matchesFilter(r, filter));
  const weekCache = new Map<string, string>();
  const week = (day: string) => {
    let w = weekCache.get(day);
    if (!w) weekCache.set(day, (w = weekOf(day)));
    return w;
  };
  const totals = sumBy(rows, () => 'all').get('all') ?? zeroCounts();
  const weekly = [...sumBy(rows, (r) => week(r.day))]
    .sort(([a], [z]) => a.localeCompare(z))
    .map(([w, c]) => ({ week: w, ...figuresOf(c, b) }));
  const clinicianWeeks = [...sumBy(rows, (r) => `${week(r.day)}\u0000${r.clinicianId}`)]
    .sort(([a], [z]) => a.localeCompare(z))
    .map(([k, c]) => {
      const [w, clinicianId] = k.split('\u0000') as [string, string];
      return { week: w, clinicianId, ...figuresOf(c, b) };
    });
  const clinicians = [...sumBy(rows, (r) => r.clinicianId)]
    .sort(([a], [z]) => a.localeCompare(z))
    .map(([clinicianId, c]) => ({ clinicianId, ...figuresOf(c, b) }));
  const days = all.map((r) => r.day).sort();
  return {
    filter,
    baseline,
    totals: figuresOf(totals, b),
    weekly,
    clinicianWeeks,
    clinicians,
    options: {
      clinicians: [...new Set(all.map((r) => r.clinicianId))].sort(),
      visitTypes: [...new Set(all.map((r) => r.visitType))].sort(),
      firstDay: days[0] ?? null,
      lastDay: days[days.length - 1] ?? null,
    },
    workstations: new Set(rows.map((r) => r.workstationId)).size,
  };
}
