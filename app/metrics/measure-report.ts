import type { MeasureReport, MeasureReportGroup, Quantity } from '@medplum/fhirtypes';
import { FIGURE_FIELDS, SECOND_FIELDS, addCounts, zeroCounts, type DayFigures, type FigureCounts } from './day-figures.ts';

/**
 * One workstation's documentation figures for one clinician and one day, as a de-identified FHIR R4
 * MeasureReport: status complete, type individual, subject = the Practitioner, period = the day.
 * Each additive figure is a group (code from FIGURE_CODE_SYSTEM, measureScore = the day's total, in
 * seconds or as a count); visit types are strata of every group. No patient, encounter or note is named.
 */
export const MEASURE_URL = 'urn:scribe:measure:documentation-time';
export const FIGURE_CODE_SYSTEM = 'urn:scribe:documentation-figure';
export const REPORT_IDENTIFIER_SYSTEM = 'urn:scribe:measure-report';
export const VISIT_TYPE_STRATIFIER = 'visit-type';
const UCUM = 'http://unitsofmeasure.org';

const FIGURE_TEXT: Record<keyof FigureCounts, string> = {
  visits: 'Visits started',
  visitsTimed: 'Visits with a measured length',
  visitSeconds: 'Visit length (Start to Stop), total',
  draftsTimed: 'Drafts with a measured Stop-to-draft time',
  stopToDraftSeconds: 'Stop to draft ready, total',
  notesSigned: 'Notes signed',
  editSeconds: 'Active editing time of signed notes, total',
  notesWithoutDraft: 'Signed notes written without an AI draft',
  editSecondsWithoutDraft: 'Active editing time of notes written without an AI draft, total',
  afterHoursEditSeconds: 'Active editing outside clinic hours, total',
  signsTimed: 'Notes with a measured Stop-to-signed time',
  stopToSignSeconds: 'Stop to signed, total',
  draftWords: 'AI draft words in signed notes (dictation excluded)',
  keptWords: 'AI draft words kept in signed notes',
  codingAccepted: 'Coding hints accepted',
  codingRejected: 'Coding hints rejected',
  codingReplaced: 'Coding hints replaced',
  amendments: 'Amendments',
  importDraftsTimed: 'Imported recordings with a measured Stop-to-draft time',
  importStopToDraftSeconds: 'Stop to draft ready for imported recordings, total',
};

const FIGURE_SET: ReadonlySet<string> = new Set(FIGURE_FIELDS);

function quantity(field: keyof FigureCounts, value: number): Quantity {
  const rounded = SECOND_FIELDS.has(field) ? Math.round(value * 1000) / 1000 : value;
  return SECOND_FIELDS.has(field)
    ? { value: rounded, unit: 's', system: UCUM, code: 's' }
    : { value: rounded, unit: '1', system: UCUM, code: '1' };
}

export function practitionerReference(clinicianId: string): string {
  return clinicianId.startsWith('Practitioner/') ? clinicianId : `Practitioner/${clinicianId}`;
}

export function clinicianIdOf(reference: string | undefined): string | null {
  if (!reference) return null;
  const m = /^(?:.*\/)?Practitioner\/([^/]+)$/.exec(reference);
  return m ? m[1]! : null;
}

export function reportIdentifier(workstationId: string, clinicianId: string, day: string): string {
  return `${workstationId}/${clinicianId}/${day}`;
}

/** The MeasureReport for one workstation, clinician and day, from that day's rows (one per visit type). */
export function toMeasureReport(rows: readonly DayFigures[], at: Date = new Date()): MeasureReport {
  const first = rows[0];
  if (!first) throw new RangeError('A MeasureReport needs at least one row of figures');
  for (const r of rows) {
    if (r.workstationId !== first.workstationId || r.clinicianId !== first.clinicianId || r.day !== first.day) {
      throw new RangeError('One MeasureReport covers one workstation, clinician and day');
    }
  }
  const total = zeroCounts();
  for (const r of rows) addCounts(total, r.counts);
  const strata = [...rows].sort((a, b) => a.visitType.localeCompare(b.visitType));
  const group: MeasureReportGroup[] = FIGURE_FIELDS.map((field) => ({
    code: { coding: [{ system: FIGURE_CODE_SYSTEM, code: field, display: FIGURE_TEXT[field] }], text: FIGURE_TEXT[field] },
    measureScore: quantity(field, total[field]),
    stratifier: [
      {
        code: [{ text: VISIT_TYPE_STRATIFIER }],
        stratum: strata.map((r) => ({ value: { text: r.visitType }, measureScore: quantity(field, r.counts[field]) })),
      },
    ],
  }));
  return {
    resourceType: 'MeasureReport',
    identifier: [{ system: REPORT_IDENTIFIER_SYSTEM, value: reportIdentifier(first.workstationId, first.clinicianId, first.day) }],
    status: 'complete',
    type: 'individual',
    measure: MEASURE_URL,
    subject: { reference: practitionerReference(first.clinicianId) },
    date: at.toISOString(),
    period: { start: first.day, end: first.day },
    group,
  };
}

/** Day figures back from a MeasureReport; null when it is not one of ours or is malformed (never guessed). */
export function fromMeasureReport(report: MeasureReport): DayFigures[] | null {
  if (report.resourceType !== 'MeasureReport' || report.measure !== MEASURE_URL || report.status !== 'complete') return null;
  const ident = report.identifier?.find((i) => i.system === REPORT_IDENTIFIER_SYSTEM)?.value;
  const clinicianId = clinicianIdOf(report.subject?.reference);
  const day = report.period?.start?.slice(0, 10);
  if (!ident || !clinicianId || !day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const suffix = `/${clinicianId}/${day}`;
  if (!ident.endsWith(suffix)) return null;
  const workstationId = ident.slice(0, -suffix.length);
  const rows = new Map<string, FigureCounts>();
  for (const g of report.group ?? []) {
    const field = g.code?.coding?.find((c) => c.system === FIGURE_CODE_SYSTEM)?.code;
    if (!field || !FIGURE_SET.has(field)) continue;
    for (const s of g.stratifier?.find((st) => st.code?.[0]?.text === VISIT_TYPE_STRATIFIER)?.stratum ?? []) {
      const visitType = s.value?.text;
      const value = s.measureScore?.value;
      if (!visitType || typeof value !== 'number' || !Number.isFinite(value) || value < 0) continue;
      let c = rows.get(visitType);
      if (!c) rows.set(visitType, (c = zeroCounts()));
      c[field as keyof FigureCounts] = value;
    }
  }
  return [...rows].map(([visitType, counts]) => ({ workstationId, clinicianId, day, visitType, counts }));
}
