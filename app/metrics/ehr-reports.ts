import type { Bundle, MeasureReport, OperationOutcome } from '@medplum/fhirtypes';
import type { DayFigures } from './day-figures.ts';
import { MEASURE_URL, REPORT_IDENTIFIER_SYSTEM, fromMeasureReport, practitionerReference } from './measure-report.ts';

/** How metrics reach the clinic's EHR: its FHIR base URL and, for a real EHR, the SMART access token. */
export interface MetricsEhr {
  baseUrl: string;
  /** Extra headers per request, e.g. `{ authorization: 'Bearer …' }` from the EHR session. */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  fetch?: typeof fetch;
  /** Per request (default 5 s): the dashboard falls back to local figures rather than wait. */
  timeoutMs?: number;
}

export class MetricsEhrError extends Error {
  constructor(
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'MetricsEhrError';
  }
}

const FHIR_JSON = 'application/fhir+json';
const MAX_PAGES = 200;

function outcomeText(body: unknown): string {
  const outcome = body as OperationOutcome | undefined;
  if (outcome?.resourceType !== 'OperationOutcome') return '';
  return (outcome.issue ?? [])
    .map((i) => i.details?.text ?? i.diagnostics ?? i.code)
    .filter(Boolean)
    .join('; ');
}

async function request(ehr: MetricsEhr, url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const doFetch = ehr.fetch ?? fetch;
  const headers = { accept: FHIR_JSON, ...(init.body ? { 'content-type': FHIR_JSON } : {}), ...(await ehr.headers?.()) };
  let response: Response;
  try {
    response = await doFetch(url, { ...init, headers, signal: AbortSignal.timeout(ehr.timeoutMs ?? 5000) });
  } catch (error) {
    const why = error instanceof Error && error.name === 'TimeoutError' ? 'did not answer in time' : 'is not reachable';
    throw new MetricsEhrError(`The EHR at ${new URL(url).origin} ${why} (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const detail = outcomeText(body);
    throw new MetricsEhrError(`The EHR answered ${response.status}${detail ? `: ${detail}` : ''}`, response.status);
  }
  return { status: response.status, body };
}

const base = (ehr: MetricsEhr) => ehr.baseUrl.replace(/\/+$/, '');
const token = (system: string, value = '') => `${encodeURIComponent(system)}|${encodeURIComponent(value)}`;

/**
 * Post (or replace) one MeasureReport: a conditional update keyed on its identifier
 * (workstation/clinician/day), so re-posting a day replaces the earlier report instead of adding one.
 * Servers without conditional update get search-then-update.
 */
export async function postMeasureReport(ehr: MetricsEhr, report: MeasureReport): Promise<{ id: string; created: boolean }> {
  const ident = report.identifier?.find((i) => i.system === REPORT_IDENTIFIER_SYSTEM)?.value;
  if (!ident) throw new RangeError('The MeasureReport has no Scribe identifier');
  const query = `identifier=${token(REPORT_IDENTIFIER_SYSTEM, ident)}`;
  try {
    const { status, body } = await request(ehr, `${base(ehr)}/MeasureReport?${query}`, { method: 'PUT', body: JSON.stringify(report) });
    return { id: (body as MeasureReport | null)?.id ?? '', created: status === 201 };
  } catch (error) {
    if (!(error instanceof MetricsEhrError) || ![400, 404, 405, 501].includes(error.status ?? 0)) throw error;
  }
  const { body } = await request(ehr, `${base(ehr)}/MeasureReport?${query}`);
  const existing = ((body as Bundle<MeasureReport> | null)?.entry ?? []).map((e) => e.resource).find((r) => r?.id);
  if (existing?.id) {
    await request(ehr, `${base(ehr)}/MeasureReport/${encodeURIComponent(existing.id)}`, {
      method: 'PUT',
      body: JSON.stringify({ ...report, id: existing.id }),
    });
    return { id: existing.id, created: false };
  }
  const created = await request(ehr, `${base(ehr)}/MeasureReport`, {
    method: 'POST',
    body: JSON.stringify(report),
    headers: { 'if-none-exist': query },
  });
  return { id: (created.body as MeasureReport | null)?.id ?? '', created: true };
}

export interface ReportQuery {
  from?: string;
  to?: string;
  clinicianId?: string;
}

/**
 * Every Scribe MeasureReport of a period from the EHR, as day figures. Reports that are not ours or are
 * malformed are skipped; when one workstation/clinician/day appears twice, the newest report wins.
 */
export async function readMeasureReports(
  ehr: MetricsEhr,
  q: ReportQuery = {},
): Promise<{ rows: DayFigures[]; reports: number; skipped: number }> {
  const params = [`identifier=${token(REPORT_IDENTIFIER_SYSTEM)}`, '_count=500'];
  if (q.from) params.push(`period=ge${q.from}`);
  if (q.to) params.push(`period=le${q.to}`);
  if (q.clinicianId) params.push(`subject=${encodeURIComponent(practitionerReference(q.clinicianId))}`);
  let url: string | undefined = `${base(ehr)}/MeasureReport?${params.join('&')}`;
  const newest = new Map<string, MeasureReport>();
  let skipped = 0;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const { body } = await request(ehr, url);
    const bundle = body as Bundle<MeasureReport> | null;
    if (bundle?.resourceType !== 'Bundle') throw new MetricsEhrError('The EHR answered a search with something other than a Bundle');
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      const ident = r?.identifier?.find((i) => i.system === REPORT_IDENTIFIER_SYSTEM)?.value;
      if (!r || r.resourceType !== 'MeasureReport' || r.measure !== MEASURE_URL || !ident) {
        skipped++;
        continue;
      }
      const prior = newest.get(ident);
      if (!prior || (r.date ?? '') > (prior.date ?? '')) newest.set(ident, r);
    }
    url = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (url && new URL(url).origin !== new URL(base(ehr)).origin)
      throw new MetricsEhrError('The EHR sent a next page on another server; refused');
  }
  const rows: DayFigures[] = [];
  for (const r of newest.values()) {
    const parsed = fromMeasureReport(r);
    if (parsed) rows.push(...parsed);
    else skipped++;
  }
  return { rows, reports: newest.size, skipped };
}
