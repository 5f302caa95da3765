import { secondsBetween, type VisitMetricsRecord } from './visit-record.ts';

/**
 * The unit metrics travel in: one workstation's figures for one clinician, one day and one visit type.
 * Sums and counts only, so figures from many workstations add up exactly. This is what a MeasureReport
 * carries (one report per workstation, clinician and day; visit types as strata).
 */
export interface DayFigures {
  workstationId: string;
  clinicianId: string;
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
  visitType: string;
  counts: FigureCounts;
}

/** Every field is additive. Per-note figures are over signed notes; after-hours editing over all visits. */
export interface FigureCounts {
  visits: number;
  visitsTimed: number;
  visitSeconds: number;
  /** Live visits only: an imported recording's Stop-to-draft includes transcribing the whole file. */
  draftsTimed: number;
  stopToDraftSeconds: number;
  importDraftsTimed: number;
  importStopToDraftSeconds: number;
  notesSigned: number;
  /** Active editing of the notes signed. */
  editSeconds: number;
  notesWithoutDraft: number;
  editSecondsWithoutDraft: number;
  afterHoursEditSeconds: number;
  signsTimed: number;
  stopToSignSeconds: number;
  draftWords: number;
  keptWords: number;
  codingAccepted: number;
  codingRejected: number;
  codingReplaced: number;
  amendments: number;
}

export const FIGURE_FIELDS = [
  'visits',
  'visitsTimed',
  'visitSeconds',
  'draftsTimed',
  'stopToDraftSeconds',
  'notesSigned',
  'editSeconds',
  'notesWithoutDraft',
  'editSecondsWithoutDraft',
  'afterHoursEditSeconds',
  'signsTimed',
  'stopToSignSeconds',
  'draftWords',
  'keptWords',
  'codingAccepted',
  'codingRejected',
  'codingReplaced',
  'amendments',
  'importDraftsTimed',
  'importStopToDraftSeconds',
] as const satisfies readonly (keyof FigureCounts)[];

/** Fields that hold durations in seconds (the rest are counts). */
export const SECOND_FIELDS: ReadonlySet<keyof FigureCounts> = new Set([
  'visitSeconds',
  'stopToDraftSeconds',
  'importStopToDraftSeconds',
  'editSeconds',
  'editSecondsWithoutDraft',
  'afterHoursEditSeconds',
  'stopToSignSeconds',
]);

export function zeroCounts(): FigureCounts {
  const c = {} as FigureCounts;
  for (const f of FIGURE_FIELDS) c[f] = 0;
  return c;
}

export function addCounts(into: FigureCounts, from: FigureCounts): FigureCounts {
  // Figures from an older workstation may lack newer fields: they count as 0.
  for (const f of FIGURE_FIELDS) into[f] += from[f] ?? 0;
  return into;
}

/**
 * An imported recording: far more audio than the visit lasted on the clock (a file is streamed in seconds;
 * live audio accrues in real time, less any pauses).
 */
export function wasImported(r: Pick<VisitMetricsRecord, 'audioSeconds'>, visitSeconds: number | null): boolean {
  return r.audioSeconds !== undefined && visitSeconds !== null && r.audioSeconds > visitSeconds * 1.5 + 5;
}

/** Add one visit's record into a counts object. */
export function addVisit(c: FigureCounts, r: VisitMetricsRecord): void {
  c.visits += 1;
  const length = secondsBetween(r.startedAt, r.stoppedAt);
  if (length !== null) {
    c.visitsTimed += 1;
    c.visitSeconds += length;
  }
  const toDraft = secondsBetween(r.stoppedAt, r.draftReadyAt);
  if (toDraft !== null && wasImported(r, length)) {
    c.importDraftsTimed += 1;
    c.importStopToDraftSeconds += toDraft;
  } else if (toDraft !== null) {
    c.draftsTimed += 1;
    c.stopToDraftSeconds += toDraft;
  }
  const edit = r.activeEditMs / 1000;
  c.afterHoursEditSeconds += r.afterHoursEditMs / 1000;
  if (r.signedAt) {
    c.notesSigned += 1;
    c.editSeconds += edit;
    const toSign = secondsBetween(r.stoppedAt, r.signedAt);
    if (toSign !== null) {
      c.signsTimed += 1;
      c.stopToSignSeconds += toSign;
    }
    const draftWords = r.retention?.draftWords ?? 0;
    if (draftWords === 0) {
      c.notesWithoutDraft += 1;
      c.editSecondsWithoutDraft += edit;
    }
    c.draftWords += draftWords;
    c.keptWords += r.retention?.keptWords ?? 0;
  }
  c.codingAccepted += r.coding.accepted;
  c.codingRejected += r.coding.rejected;
  c.codingReplaced += r.coding.replaced;
  c.amendments += r.amendments;
}

/** Group visit records into day figures for this workstation. */
export function dayFiguresOf(records: Iterable<VisitMetricsRecord>, workstationId: string): DayFigures[] {
  const rows = new Map<string, DayFigures>();
  for (const r of records) {
    const k = `${r.clinicianId}\u0000${r.day}\u0000${r.visitType}`;
    let row = rows.get(k);
    if (!row) {
      row = { workstationId, clinicianId: r.clinicianId, day: r.day, visitType: r.visitType, counts: zeroCounts() };
      rows.set(k, row);
    }
    addVisit(row.counts, r);
  }
  return [...rows.values()].sort(
    (a, b) => a.day.localeCompare(b.day) || a.clinicianId.localeCompare(b.clinicianId) || a.visitType.localeCompare(b.visitType),
  );
}
