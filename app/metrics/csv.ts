import { CsvError, parse } from 'csv-parse/sync';
import type { ClinicianFigures, ClinicianWeekFigures, Figures, MetricsAggregate, WeekFigures } from './aggregate.ts';

/**
 * CSV export of the dashboard's figures: one header, then the totals, each week, each clinician and each
 * clinician-week (column `scope` says which). Empty cell = no data. Minutes and shares as on the dashboard.
 */
const FIGURE_COLUMNS = [
  'visits',
  'notesSigned',
  'documentationMinutesPerNote',
  'minutesSaved',
  'afterHoursMinutes',
  'draftRetention',
  'timeToSignMinutes',
  'visitMinutes',
  'stopToDraftSeconds',
  'codingAccepted',
  'codingRejected',
  'codingReplaced',
  'amendments',
  'importStopToDraftSeconds',
] as const satisfies readonly (keyof Figures)[];
const NULLABLE: ReadonlySet<string> = new Set([
  'documentationMinutesPerNote',
  'draftRetention',
  'timeToSignMinutes',
  'visitMinutes',
  'stopToDraftSeconds',
  'importStopToDraftSeconds',
]);
export const CSV_HEADER = ['scope', 'week', 'clinicianId', ...FIGURE_COLUMNS] as const;

type Scope = 'total' | 'week' | 'clinician' | 'clinician-week';

/** Quote when needed; text that a spreadsheet would run as a formula is defused with a leading '. No data (null, or a figure the contract lets be absent) is an empty cell. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(scope: Scope, week: string, clinicianId: string, f: Figures): string {
  return [scope, week, clinicianId, ...FIGURE_COLUMNS.map((c) => f[c])].map(cell).join(',');
}

export function dashboardCsv(a: Pick<MetricsAggregate, 'totals' | 'weekly' | 'clinicians' | 'clinicianWeeks'>): string {
  const lines = [CSV_HEADER.join(',')];
  lines.push(line('total', '', '', a.totals));
  for (const w of a.weekly) lines.push(line('week', w.week, '', w));
  for (const c of a.clinicians) lines.push(line('clinician', '', c.clinicianId, c));
  for (const cw of a.clinicianWeeks) lines.push(line('clinician-week', cw.week, cw.clinicianId, cw));
  return lines.join('\r\n') + '\r\n';
}

/** RFC 4180 parsing (quoted cells, doubled quotes, CRLF or LF) by csv-parse; a malformed file is a SyntaxError. */
export function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true });
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') throw new SyntaxError('CSV ends inside a quoted cell');
    throw new SyntaxError(`Not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Read an exported CSV back into the dashboard's figures (for checks and re-import). */
export function parseDashboardCsv(text: string): Pick<MetricsAggregate, 'totals' | 'weekly' | 'clinicians' | 'clinicianWeeks'> {
  const [header, ...rows] = parseCsv(text);
  if (!header || header.join(',') !== CSV_HEADER.join(',')) throw new SyntaxError('Not a Scribe metrics CSV (unexpected header)');
  let totals: Figures | null = null;
  const weekly: WeekFigures[] = [];
  const clinicians: ClinicianFigures[] = [];
  const clinicianWeeks: ClinicianWeekFigures[] = [];
  rows.forEach((r, n) => {
    if (r.length !== CSV_HEADER.length) throw new SyntaxError(`CSV line ${n + 2}: ${r.length} cells, expected ${CSV_HEADER.length}`);
    const [scope, week, clinicianId] = r as [string, string, string];
    const f = {} as Record<string, number | null>;
    FIGURE_COLUMNS.forEach((c, i) => {
      const raw = r[i + 3]!;
      if (raw === '' && NULLABLE.has(c)) f[c] = null;
      else {
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v)) throw new SyntaxError(`CSV line ${n + 2}: ${c} is not a number`);
        f[c] = v;
      }
    });
    const figures = f as unknown as Figures;
    const clinician = clinicianId.startsWith("'") ? clinicianId.slice(1) : clinicianId;
    if (scope === 'total') totals = figures;
    else if (scope === 'week') weekly.push({ week, ...figures });
    else if (scope === 'clinician') clinicians.push({ clinicianId: clinician, ...figures });
    else if (scope === 'clinician-week') clinicianWeeks.push({ week, clinicianId: clinician, ...figures });
    else throw new SyntaxError(`CSV line ${n + 2}: unknown scope ${JSON.stringify(scope)}`);
  });
  if (!totals) throw new SyntaxError('CSV has no total row');
  return { totals, weekly, clinicians, clinicianWeeks };
}
