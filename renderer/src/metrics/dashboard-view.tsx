import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricsDashboard, MetricsFigures, MetricsFilter } from '../../../app/contract/index.ts';

/**
 * The practice manager's dashboard as a pure view of metrics.dashboard's answer: how much documentation
 * time Scribe saves, per clinician and over time. Everything on it comes from de-identified counts and
 * durations; it never receives a patient name, note text or patient identifier. (Dashboard.tsx wires it
 * to the core; the benchmark renders it alone.)
 */

const CHART = { width: 560, height: 240 } as const;
const MARGIN = { top: 8, right: 16, bottom: 4, left: 0 } as const;
const PALETTE = ['#0f6cbd', '#c4314b', '#067647', '#b54708', '#6941c6', '#0e9384', '#dd2590', '#475467'];

const num = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '–' : x.toFixed(digits));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);
const shortWeek = (week: string): string => week.slice(5);

/** Monday of the week `weeksBack` weeks before today's, and today, as YYYY-MM-DD (local time). */
export function defaultRange(today = new Date(), weeksBack = 11): { from: string; to: string } {
  const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7) - 7 * weeksBack);
  return { from: iso(monday), to: iso(today) };
}

function Tile({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="metric-tile" data-testid={testId} title={hint}>
      <div className="metric-value">{value}</div>
      <div className="metric-label">{label}</div>
    </div>
  );
}

/** A chart's figures as a table: the text alternative a screen reader (or anyone) can read. */
interface ChartTable {
  columns: Array<[key: string, label: string]>;
  rows: readonly object[];
}

function ChartCard({
  title,
  testId,
  children,
  empty,
  table,
}: {
  title: string;
  testId: string;
  children: React.ReactNode;
  empty: boolean;
  table: ChartTable;
}) {
  const cell = (row: object, key: string): string => {
    const v = (row as Record<string, unknown>)[key];
    return typeof v === 'number' ? num(v) : v === null || v === undefined ? '–' : String(v);
  };
  return (
    <figure className="metric-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {empty ? (
        <p className="muted">No signed notes in this period.</p>
      ) : (
        <>
          {children}
          <details className="chart-data" data-testid={`${testId}-table`}>
            <summary>Show the figures as a table</summary>
            <table>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  {table.columns.map(([key, label]) => (
                    <th key={key} scope="col">
                      {label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row, i) => (
                  <tr key={i}>
                    {table.columns.map(([key], j) =>
                      j === 0 ? (
                        <th key={key} scope="row">
                          {cell(row, key)}
                        </th>
                      ) : (
                        <td key={key}>{cell(row, key)}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}

/** Minutes saved per clinician per week, pivoted for a grouped bar chart. */
function savedByClinician(d: MetricsDashboard): { rows: Record<string, number | string>[]; clinicians: string[] } {
  const clinicians = [...new Set(d.clinicianWeeks.map((c) => c.clinicianId))].sort();
  const byWeek = new Map<string, Record<string, number | string>>();
  for (const w of d.weekly) byWeek.set(w.week, { week: w.week });
  for (const c of d.clinicianWeeks) {
    const row = byWeek.get(c.week) ?? { week: c.week };
    row[c.clinicianId] = c.minutesSaved;
    byWeek.set(c.week, row);
  }
  return { rows: [...byWeek.values()].sort((a, b) => String(a.week).localeCompare(String(b.week))), clinicians };
}

/** A weekly line chart (trend, retention, time to sign): one series over the weeks, optional extras. */
function weeklyLine(
  rows: readonly object[],
  o: { dataKey: string; name: string; color: string; unit: string; domain?: [number, number]; animate: boolean },
  extra?: React.ReactNode,
) {
  return (
    <LineChart {...CHART} data={rows as object[]} margin={MARGIN}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="label" tick={{ fontSize: 12 }} />
      <YAxis unit={o.unit} width={78} tick={{ fontSize: 12 }} {...(o.domain ? { domain: o.domain } : {})} />
      <Tooltip />
      {extra}
      <Line type="monotone" dataKey={o.dataKey} name={o.name} stroke={o.color} isAnimationActive={o.animate} connectNulls />
    </LineChart>
  );
}

export interface DashboardViewProps {
  data: MetricsDashboard;
  filter: MetricsFilter;
  onFilter?: (f: MetricsFilter) => void;
  onExport?: () => void;
  busy?: boolean;
  /** Charts animate in the app; the benchmark and tests turn it off. */
  animate?: boolean;
  /** Clinicians' display names by id, where known (the practice's own staff, never patients). */
  names?: Readonly<Record<string, string>>;
  /** The last request failed (e.g. a period that ends before it starts): said under the filters, no figures shown. */
  problem?: string | null;
}

export function DashboardView({
  data,
  filter,
  onFilter,
  onExport,
  busy = false,
  animate = true,
  names = {},
  problem = null,
}: DashboardViewProps) {
  const nameOf = (id: string): string => names[id] ?? id;
  const t = data.totals;
  const weekly = useMemo(
    () =>
      data.weekly.map((w) => ({
        ...w,
        label: shortWeek(w.week),
        retentionPct: w.draftRetention === null ? null : Math.round(w.draftRetention * 1000) / 10,
      })),
    [data.weekly],
  );
  const saved = useMemo(() => savedByClinician(data), [data]);
  const noNotes = t.notesSigned === 0;
  const set = (patch: Partial<MetricsFilter>) => {
    const next: MetricsFilter = { ...filter, ...patch };
    for (const k of Object.keys(next) as (keyof MetricsFilter)[]) if (!next[k]) delete next[k];
    onFilter?.(next);
  };

  return (
    <section className="metrics-dashboard" data-testid="metrics-dashboard" aria-busy={busy}>
      <div className="metrics-head">
        <h1>Charting time</h1>
        <span
          className={`metrics-source ${data.source.scope}`}
          data-testid="metrics-source"
          data-scope={data.source.scope}
          title={data.source.ehrError}
        >
          {data.source.scope === 'practice'
            ? `Practice-wide · ${data.workstations} workstation${data.workstations === 1 ? '' : 's'}`
            : 'This workstation only'}
        </span>
        <span className="spacer" />
        {onExport && (
          <button onClick={onExport} data-testid="metrics-export" disabled={busy}>
            Export CSV
          </button>
        )}
      </div>
      {data.source.ehrError && (
        <p className="metrics-warning" role="status" data-testid="metrics-ehr-error">
          Figures from other workstations are missing: {data.source.ehrError}
        </p>
      )}

      <form className="metrics-filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          From <input type="date" data-testid="metrics-from" value={filter.from ?? ''} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label>
          To <input type="date" data-testid="metrics-to" value={filter.to ?? ''} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <label>
          Clinician{' '}
          <select data-testid="metrics-clinician" value={filter.clinicianId ?? ''} onChange={(e) => set({ clinicianId: e.target.value })}>
            {data.options.clinicians.length !== 1 && <option value="">All clinicians</option>}
            {data.options.clinicians.map((c) => (
              <option key={c} value={c}>
                {nameOf(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Visit type{' '}
          <select data-testid="metrics-visit-type" value={filter.visitType ?? ''} onChange={(e) => set({ visitType: e.target.value })}>
            <option value="">All visit types</option>
            {data.options.visitTypes.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      </form>
      {problem && (
        <p className="error" role="alert" data-testid="metrics-error">
          {problem} No figures are shown until the filters are corrected.
        </p>
      )}

      {!problem && (
        <>
          <div className="metric-tiles">
            <Tile testId="tile-notes" label="notes signed" value={String(t.notesSigned)} hint={`${t.visits} visits started`} />
            <Tile
              testId="tile-minutes-per-note"
              label="documentation min per note"
              value={num(t.documentationMinutesPerNote)}
              hint="Active editing time (idle pauses excluded) per signed note"
            />
            <Tile
              testId="tile-minutes-saved"
              label="minutes saved"
              value={num(t.minutesSaved, 1)}
              hint={`Baseline ${data.baseline.minutesPerNote} min per note × notes − active editing minutes`}
            />
            <Tile
              testId="tile-after-hours"
              label="after-hours minutes"
              value={num(t.afterHoursMinutes, 1)}
              hint="Active editing outside clinic hours (pajama time)"
            />
            <Tile
              testId="tile-retention"
              label="of the AI draft kept"
              value={pct(t.draftRetention)}
              hint="Share of draft words kept in signed notes (dictated words excluded)"
            />
            <Tile
              testId="tile-time-to-sign"
              label="min from Stop to signed"
              value={num(t.timeToSignMinutes)}
              hint="Mean time from the end of the visit to the signature"
            />
          </div>
          <p className="muted metrics-baseline" data-testid="metrics-baseline">
            Baseline {data.baseline.minutesPerNote} min per note
            {data.baseline.source === 'measured'
              ? ` (measured on ${data.baseline.notes} notes written without a draft)`
              : ' (practice setting)'}
            {' · '}coding hints {t.codingAccepted} accepted, {t.codingRejected} rejected, {t.codingReplaced} replaced · {t.amendments}{' '}
            amendments
            {t.visitMinutes !== null && ` · visits ${num(t.visitMinutes)} min on average`}
            {t.stopToDraftSeconds !== null && (
              <span data-testid="stop-to-draft-live">{` · draft ready ${num(t.stopToDraftSeconds)} s after Stop (live visits)`}</span>
            )}
            {t.importStopToDraftSeconds != null && (
              <span data-testid="stop-to-draft-import">{` · ${num(t.importStopToDraftSeconds)} s for imported recordings (the whole file is transcribed after Stop)`}</span>
            )}
          </p>

          <div className="metric-charts">
            <ChartCard
              title="Documentation minutes per note, by week"
              testId="chart-trend"
              empty={noNotes}
              table={{
                columns: [
                  ['label', 'Week'],
                  ['documentationMinutesPerNote', 'Min per note'],
                ],
                rows: weekly,
              }}
            >
              {weeklyLine(
                weekly,
                { dataKey: 'documentationMinutesPerNote', name: 'min per note', color: PALETTE[0]!, unit: ' min', animate },
                <ReferenceLine
                  y={data.baseline.minutesPerNote}
                  stroke="#b42318"
                  strokeDasharray="4 4"
                  label={{ value: 'baseline', position: 'insideTopRight' }}
                />,
              )}
            </ChartCard>
            <ChartCard
              title="Minutes saved per clinician, by week"
              testId="chart-saved"
              empty={noNotes}
              table={{ columns: [['week', 'Week'], ...saved.clinicians.map((c): [string, string] => [c, nameOf(c)])], rows: saved.rows }}
            >
              <BarChart {...CHART} data={saved.rows} margin={MARGIN}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="week" tickFormatter={shortWeek} tick={{ fontSize: 12 }} />
                <YAxis unit=" min" width={78} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Legend />
                {saved.clinicians.map((c, i) => (
                  <Bar key={c} dataKey={c} name={nameOf(c)} fill={PALETTE[i % PALETTE.length]} isAnimationActive={animate} />
                ))}
              </BarChart>
            </ChartCard>
            <ChartCard
              title="After-hours editing (pajama time), minutes by week"
              testId="chart-after-hours"
              empty={weekly.length === 0}
              table={{
                columns: [
                  ['label', 'Week'],
                  ['afterHoursMinutes', 'After-hours min'],
                ],
                rows: weekly,
              }}
            >
              <BarChart {...CHART} data={weekly} margin={MARGIN}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} />
                <YAxis unit=" min" width={78} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="afterHoursMinutes" name="after-hours min" fill={PALETTE[3]} isAnimationActive={animate} />
              </BarChart>
            </ChartCard>
            <ChartCard
              title="Share of the AI draft kept in the signed note, by week"
              testId="chart-retention"
              empty={noNotes}
              table={{
                columns: [
                  ['label', 'Week'],
                  ['retentionPct', 'Draft kept %'],
                ],
                rows: weekly,
              }}
            >
              {weeklyLine(weekly, {
                dataKey: 'retentionPct',
                name: 'draft kept %',
                color: PALETTE[2]!,
                unit: '%',
                domain: [0, 100],
                animate,
              })}
            </ChartCard>
            <ChartCard
              title="Minutes from Stop to signed, by week"
              testId="chart-time-to-sign"
              empty={noNotes}
              table={{
                columns: [
                  ['label', 'Week'],
                  ['timeToSignMinutes', 'To sign, min'],
                ],
                rows: weekly,
              }}
            >
              {weeklyLine(weekly, { dataKey: 'timeToSignMinutes', name: 'to sign, min', color: PALETTE[4]!, unit: ' min', animate })}
            </ChartCard>
          </div>

          <ClinicianTable rows={data.clinicians} nameOf={nameOf} />
        </>
      )}
    </section>
  );
}

function ClinicianTable({ rows, nameOf }: { rows: (MetricsFigures & { clinicianId: string })[]; nameOf: (id: string) => string }) {
  if (rows.length === 0) return null;
  return (
    <table className="metrics-table" data-testid="metrics-clinicians">
      <caption>By clinician</caption>
      <thead>
        <tr>
          <th scope="col">Clinician</th>
          <th scope="col">Notes</th>
          <th scope="col">Min per note</th>
          <th scope="col">Minutes saved</th>
          <th scope="col">After-hours min</th>
          <th scope="col">Draft kept</th>
          <th scope="col">To sign, min</th>
          <th scope="col">Amendments</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.clinicianId} data-clinician={r.clinicianId}>
            <th scope="row">{nameOf(r.clinicianId)}</th>
            <td>{r.notesSigned}</td>
            <td>{num(r.documentationMinutesPerNote)}</td>
            <td data-testid="saved">{num(r.minutesSaved, 1)}</td>
            <td>{num(r.afterHoursMinutes, 1)}</td>
            <td>{pct(r.draftRetention)}</td>
            <td>{num(r.timeToSignMinutes)}</td>
            <td>{r.amendments}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
