import path from 'node:path';
import { scribeDataDir } from '../../assets/index.ts';
import type { MetricsDashboard } from '../../contract/index.ts';
import { createMetricsService, dashboardCsv, type Figures, type MetricsFilter } from '../../metrics/index.ts';
import { openKeychain } from '../../secrets/index.ts';
import { openVault } from '../../vault/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';

export const summary = 'Charting-time figures: minutes per note, minutes saved, after-hours time, draft retention, time to sign';

const HELP = `Usage: scribe metrics [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--clinician ID] [--visit-type TYPE] [--csv]
                      [--fhir-url URL] [--token TOKEN] [--data-dir DIR]

Prints the same figures as the practice manager's dashboard (no patient data).
  --from, --to     days included (clinic time zone), inclusive
  --clinician ID   one clinician;  --visit-type TYPE  one visit type
  --csv            the dashboard's CSV export on stdout instead of tables
  --fhir-url URL   read every workstation's MeasureReports from this EHR (token: --token or SCRIBE_FHIR_TOKEN)
                   and post this workstation's pending ones; without it, this workstation's figures only
  --data-dir DIR   Scribe's data folder (default ${path.join('<data>')}, SCRIBE_DATA_DIR overrides)
Needs the OS keychain (the figures live in the encrypted vault); close the app first if it holds the vault.`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const fmt = (x: number | null, digits = 1): string => (x === null ? '–' : x.toFixed(digits));
const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const FIGURE_HEAD = ['notes', 'min/note', 'saved min', 'after-hours min', 'retention', 'to sign min'];
const figureCells = (f: Figures): string[] => [
  String(f.notesSigned),
  fmt(f.documentationMinutesPerNote),
  fmt(f.minutesSaved),
  fmt(f.afterHoursMinutes),
  pct(f.draftRetention),
  fmt(f.timeToSignMinutes),
];

export function formatDashboard(d: MetricsDashboard): string {
  const t = d.totals;
  const range = `${d.filter.from ?? d.options.firstDay ?? '…'} to ${d.filter.to ?? d.options.lastDay ?? '…'}`;
  const out = [
    `Scribe charting time, ${range}${d.filter.clinicianId ? `, clinician ${d.filter.clinicianId}` : ''}${d.filter.visitType ? `, ${d.filter.visitType} visits` : ''}`,
    `Source: ${d.source.scope === 'practice' ? `practice (${d.workstations} workstation(s), ${d.source.reportsRead} MeasureReports from the EHR)` : 'this workstation only'}` +
      (d.source.ehrError ? `\n  EHR: ${d.source.ehrError}` : '') +
      (d.source.unpublished ? `\n  ${d.source.unpublished} clinician-day(s) not yet posted to the EHR` : ''),
    `Baseline: ${d.baseline.minutesPerNote} min per note (${d.baseline.source === 'measured' ? `measured on ${d.baseline.notes} notes written without a draft` : 'practice setting'})`,
    '',
    `Visits ${t.visits}, notes signed ${t.notesSigned}`,
    `Documentation minutes per note  ${fmt(t.documentationMinutesPerNote)}`,
    `Minutes saved                   ${fmt(t.minutesSaved)}`,
    `After-hours minutes             ${fmt(t.afterHoursMinutes)}`,
    `Draft retention                 ${pct(t.draftRetention)}`,
    `Time to sign (min, mean)        ${fmt(t.timeToSignMinutes)}`,
    `Visit length (min, mean)        ${fmt(t.visitMinutes)}`,
    `Stop to draft (s, mean)         ${fmt(t.stopToDraftSeconds)}`,
    `Coding hints                    ${t.codingAccepted} accepted, ${t.codingRejected} rejected, ${t.codingReplaced} replaced`,
    `Amendments                      ${t.amendments}`,
  ];
  if (d.weekly.length)
    out.push(
      '',
      'By week',
      table(
        ['week', '', ...FIGURE_HEAD],
        d.weekly.map((w) => [w.week, '', ...figureCells(w)]),
      ),
    );
  if (d.clinicianWeeks.length) {
    out.push(
      '',
      'By clinician and week',
      table(
        ['week', 'clinician', ...FIGURE_HEAD],
        d.clinicianWeeks.map((c) => [c.week, c.clinicianId, ...figureCells(c)]),
      ),
    );
  }
  return out.join('\n');
}

export default async function run(argv: string[]): Promise<number> {
  const spec = {
    command: 'metrics',
    usage: HELP,
    argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      clinician: { type: 'string' },
      'visit-type': { type: 'string' },
      csv: { type: 'boolean', default: false },
      'fhir-url': { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values } = args;
  for (const [name, v] of [
    ['--from', values.from],
    ['--to', values.to],
  ] as const) {
    if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) {
      return usageError(spec, `${name} takes a date as YYYY-MM-DD (got ${JSON.stringify(v)})`);
    }
  }
  if (values.from && values.to && values.from > values.to) return usageError(spec, '--from is after --to');
  const filter: MetricsFilter = {
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.clinician ? { clinicianId: values.clinician } : {}),
    ...(values['visit-type'] ? { visitType: values['visit-type'] } : {}),
  };
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : scribeDataDir();
  const vault = await openVault({
    dir: path.join(dataDir, 'vault'),
    secrets: await openKeychain(process.env.SCRIBE_KEYCHAIN_SERVICE || undefined),
  });
  try {
    const fhirUrl = values['fhir-url'];
    const token = values.token ?? process.env.SCRIBE_FHIR_TOKEN;
    const metrics = createMetricsService({
      store: vault.namespace('metrics'),
      publishDelayMs: 0, // the dashboard call below posts pending days itself
      publishEveryMs: 0,
      ehr: () => (fhirUrl ? { baseUrl: fhirUrl, ...(token ? { headers: () => ({ authorization: `Bearer ${token}` }) } : {}) } : null),
    });
    const dashboard = await metrics.practice.dashboard(filter);
    process.stdout.write(values.csv ? dashboardCsv(dashboard) : `${formatDashboard(dashboard)}\n`);
    return 0;
  } finally {
    await vault.close();
  }
}
