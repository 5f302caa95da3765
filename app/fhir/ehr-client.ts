import smart from 'fhirclient';
import type {
  Bundle,
  CapabilityStatement,
  Condition,
  Encounter,
  HumanName,
  MedicationRequest,
  MedicationStatement,
  Patient,
  Practitioner,
  Resource,
} from '@medplum/fhirtypes';
import type { ScheduledEncounter } from '../contract/index.ts';
import { EhrError, isOperationOutcome, outcomeInPlainWords } from './ehr-error.ts';
import { VISIT_TYPE_SYSTEM, VISIT_TYPES, visitTypeFromText } from './visit-types.ts';

/** How the client gets a bearer token: SmartSession.getAccessToken fits. null = no auth (sandbox without auth). */
export type AccessTokenSource = (options?: { forceRefresh?: boolean }) => Promise<string | null>;

export interface EhrClientOptions {
  /** FHIR base URL, e.g. http://127.0.0.1:8080/fhir/R4 */
  baseUrl: string;
  getAccessToken?: AccessTokenSource;
  /** Per-request timeout (default 15 s): a hung EHR becomes a clear, retryable error. */
  timeoutMs?: number;
}

export interface PatientContext {
  /** id: the Condition's id on the EHR (a draft cites it when it names the problem; decision 0204). */
  problems: { id?: string; code?: string; system?: string; display: string }[];
  medications: { rxcui?: string; display: string }[];
}

export interface PatientSummary {
  patientId: string;
  name: string;
  birthDate?: string;
  gender?: string;
  mrn?: string;
}

export interface FhirWriteResult<T extends Resource> {
  resource: T;
  status: number;
  etag?: string;
}

export interface EhrClient {
  readonly baseUrl: string;
  todaysEncounters(practitionerRef: string, day?: Date): Promise<ScheduledEncounter[]>;
  patientContext(patientId: string): Promise<PatientContext>;
  searchPatients(text: string): Promise<PatientSummary[]>;
  /** Creates today's Encounter for a walk-in patient; returns its id. */
  createWalkIn(patientId: string, practitionerRef: string, at?: Date): Promise<string>;
  practitioner(reference: string): Promise<{ id: string; name: string }>;
  read<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T>;
  search<T extends Resource>(resourceType: T['resourceType'], params: Record<string, string | string[]>): Promise<T[]>;
  /** Update with optimistic locking: If-Match W/"versionId" (412 when someone changed it meanwhile). */
  update<T extends Resource>(resource: T, options?: { ifMatchVersion?: string }): Promise<FhirWriteResult<T>>;
  /** Plain create (POST type): no If-None-Exist. Exactly-once comes from searching before and after (post-signed-note). */
  create<T extends Resource>(resource: T): Promise<FhirWriteResult<T>>;
  transaction(bundle: Bundle): Promise<Bundle>;
  /** The server's CapabilityStatement (GET metadata). */
  capabilities(): Promise<CapabilityStatement>;
}

interface FhirClientLike {
  fhirRequest<T = unknown>(uri: string, options?: RequestInit & { includeResponse?: boolean }): Promise<T>;
}
type FhirClientCtor = new (baseUrl: string) => FhirClientLike & { getRequestDefaults(): Promise<Partial<RequestInit>> };
const FhirClient = (smart as unknown as { FhirClient: FhirClientCtor }).FhirClient;

/** The EHR through fhirclient's FhirClient, with bearer tokens, timeouts, silent re-auth on 401 and plain errors. */
export function createEhrClient(options: EhrClientOptions): EhrClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const fhir = new FhirClient(baseUrl);

  async function request<T>(uri: string, init: RequestInit = {}): Promise<{ body: T; response: Response }> {
    const attempt = async (forceRefresh: boolean) => {
      const token = options.getAccessToken ? await options.getAccessToken({ forceRefresh }) : null;
      const headers: Record<string, string> = { accept: 'application/fhir+json', ...(init.headers as Record<string, string> | undefined) };
      if (token) headers.authorization = `Bearer ${token}`;
      return fhir.fhirRequest<{ body: T; response: Response }>(uri, {
        ...init,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        includeResponse: true,
      });
    };
    try {
      try {
        return checkBody(await attempt(false), uri);
      } catch (error) {
        if (options.getAccessToken && (error as { status?: number }).status === 401) return checkBody(await attempt(true), uri);
        throw error;
      }
    } catch (error) {
      throw toEhrError(error, baseUrl, timeoutMs);
    }
  }

  async function search<T extends Resource>(resourceType: string, params: Record<string, string | string[]>): Promise<T[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) query.append(key, v);
    const { body } = await request<Bundle>(`${resourceType}?${query}`);
    if (body?.resourceType !== 'Bundle')
      throw new EhrError('invalid-response', `The EHR answered a ${resourceType} search with something that is not a FHIR Bundle`);
    return (body.entry ?? []).map((e) => e.resource).filter((r): r is T => !!r);
  }

  return {
    baseUrl,
    search,

    async read<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T> {
      const { body } = await request<T>(`${resourceType}/${encodeURIComponent(id)}`);
      if (body?.resourceType !== resourceType)
        throw new EhrError('invalid-response', `The EHR answered a ${resourceType} read with something else`);
      return body;
    },

    async update<T extends Resource>(resource: T, opts: { ifMatchVersion?: string } = {}): Promise<FhirWriteResult<T>> {
      if (!resource.id) throw new EhrError('invalid-resource', `${resource.resourceType} has no id to update`);
      const { body, response } = await request<T>(`${resource.resourceType}/${encodeURIComponent(resource.id)}`, {
        method: 'PUT',
        body: JSON.stringify(resource),
        headers: { 'content-type': 'application/fhir+json', ...(opts.ifMatchVersion ? { 'if-match': `W/"${opts.ifMatchVersion}"` } : {}) },
      });
      return { resource: body, status: response.status, etag: response.headers.get('etag') ?? undefined };
    },

    async create<T extends Resource>(resource: T): Promise<FhirWriteResult<T>> {
      const { body, response } = await request<T>(resource.resourceType, {
        method: 'POST',
        body: JSON.stringify(resource),
        headers: { 'content-type': 'application/fhir+json' },
      });
      if (body?.resourceType !== resource.resourceType || !body.id) {
        throw new EhrError('invalid-response', `The EHR accepted the ${resource.resourceType} but did not answer with it (no id)`);
      }
      return { resource: body, status: response.status, etag: response.headers.get('etag') ?? undefined };
    },

    async capabilities(): Promise<CapabilityStatement> {
      const { body } = await request<CapabilityStatement>('metadata');
      if (body?.resourceType !== 'CapabilityStatement')
        throw new EhrError('invalid-response', 'The EHR answered GET metadata with something that is not a CapabilityStatement');
      return body;
    },

    async transaction(bundle: Bundle): Promise<Bundle> {
      const { body } = await request<Bundle>('', {
        method: 'POST',
        body: JSON.stringify(bundle),
        headers: { 'content-type': 'application/fhir+json' },
      });
      if (body?.resourceType !== 'Bundle' || !/^(transaction|batch)-response$/.test(body.type ?? '')) {
        throw new EhrError('invalid-response', 'The EHR answered the transaction with something that is not a transaction-response Bundle');
      }
      return body;
    },

    async todaysEncounters(practitionerRef: string, day = new Date()): Promise<ScheduledEncounter[]> {
      const start = new Date(day.getFullYear(), day.getMonth(), day.getDate());
      const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
      const resources = await search<Encounter | Patient>('Encounter', {
        participant: practitionerRef,
        date: [`ge${start.toISOString()}`, `lt${end.toISOString()}`],
        _include: 'Encounter:subject',
        _count: '200',
      });
      const patients = new Map(resources.filter((r): r is Patient => r.resourceType === 'Patient').map((p) => [`Patient/${p.id}`, p]));
      return resources
        .filter((r): r is Encounter => r.resourceType === 'Encounter')
        .filter((e) => !['cancelled', 'entered-in-error'].includes(e.status))
        .map((e) => scheduledEncounter(e, patients.get(e.subject?.reference ?? ''), practitionerRef))
        .filter((e): e is ScheduledEncounter => e !== null)
        .sort((a, b) => a.start.localeCompare(b.start));
    },

    /**
     * A walk-in: an Encounter for this patient and practitioner, starting now, created in the EHR (one
     * transaction), so it is on today's schedule like any booked visit. Returns the new Encounter's id.
     */
    async createWalkIn(patientId: string, practitionerRef: string, at = new Date()): Promise<string> {
      const encounter: Encounter = {
        resourceType: 'Encounter',
        status: 'arrived',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
        type: [{ coding: [{ system: VISIT_TYPE_SYSTEM, code: 'office-visit', display: 'Walk-in visit' }], text: 'Walk-in visit' }],
        subject: { reference: `Patient/${patientId}` },
        participant: [{ individual: { reference: practitionerRef } }],
        period: { start: at.toISOString() },
      };
      const response = await this.transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: encounter, request: { method: 'POST', url: 'Encounter' } }],
      });
      const location = response.entry?.[0]?.response?.location ?? '';
      const id = /Encounter\/([^/]+)/.exec(location)?.[1] ?? response.entry?.[0]?.resource?.id;
      if (!id) throw new EhrError('invalid-response', 'The EHR did not say which Encounter it created for the walk-in');
      return id;
    },

    async patientContext(patientId: string): Promise<PatientContext> {
      const [conditions, statements, requests] = await Promise.all([
        search<Condition>('Condition', { patient: patientId, 'clinical-status': 'active' }),
        search<MedicationStatement>('MedicationStatement', { patient: patientId, status: 'active' }),
        search<MedicationRequest>('MedicationRequest', { patient: patientId, status: 'active' }),
      ]);
      const problems = conditions
        .filter((c) => !['entered-in-error', 'refuted'].includes(c.verificationStatus?.coding?.[0]?.code ?? ''))
        // The problem list only: an encounter diagnosis (what a signed note posts) is not an active problem.
        .filter((c) => !isEncounterDiagnosisOnly(c))
        .map((c) => {
          const coding = c.code?.coding?.find((x) => x.code) ?? undefined;
          return {
            ...(c.id ? { id: c.id } : {}),
            code: coding?.code,
            system: coding?.system,
            display: c.code?.text ?? coding?.display ?? coding?.code ?? 'Unnamed problem',
          };
        });
      const seen = new Set<string>();
      const medications: PatientContext['medications'] = [];
      for (const med of [...statements, ...requests]) {
        const concept = med.medicationCodeableConcept;
        const rx = concept?.coding?.find((c) => c.system === 'http://www.nlm.nih.gov/research/umls/rxnorm');
        const display = concept?.text ?? rx?.display ?? concept?.coding?.[0]?.display ?? med.medicationReference?.display;
        if (!display) continue;
        const key = rx?.code ?? display.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        medications.push({ ...(rx?.code ? { rxcui: rx.code } : {}), display });
      }
      return { problems: dedupe(problems), medications };
    },

    async searchPatients(text: string): Promise<PatientSummary[]> {
      const q = text.trim();
      if (!q) return [];
      const byName = search<Patient>('Patient', { name: q, _count: '20' });
      const byIdentifier =
        /^[A-Za-z0-9\-]{3,}$/.test(q) && /\d/.test(q) ? search<Patient>('Patient', { identifier: q, _count: '20' }) : Promise.resolve([]);
      const found = new Map<string, Patient>();
      for (const p of [...(await byIdentifier), ...(await byName)]) if (p.id) found.set(p.id, p);
      return [...found.values()].map((p) => ({
        patientId: p.id!,
        name: humanName(p.name),
        ...(p.birthDate ? { birthDate: p.birthDate } : {}),
        ...(p.gender ? { gender: p.gender } : {}),
        ...(mrnOf(p) ? { mrn: mrnOf(p) } : {}),
      }));
    },

    async practitioner(reference: string): Promise<{ id: string; name: string }> {
      const id = reference.replace(/^Practitioner\//, '');
      const { body } = await request<Practitioner>(`Practitioner/${encodeURIComponent(id)}`);
      return { id, name: humanName(body.name, true) };
    },
  };
}

function checkBody<T>(result: { body: T; response: Response }, uri: string): { body: T; response: Response } {
  if (typeof result.body === 'string') {
    throw new EhrError('invalid-response', `The EHR answered ${uri || 'the request'} with text instead of FHIR JSON`);
  }
  return result;
}

/** A Condition categorised only as an encounter diagnosis (not a problem-list item or health concern). */
export function isEncounterDiagnosisOnly(c: Condition): boolean {
  const codes = (c.category ?? []).flatMap((cat) => cat.coding ?? []).map((x) => x.code);
  return codes.length > 0 && codes.every((code) => code === 'encounter-diagnosis');
}

function dedupe<T extends { display: string; code?: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = i.code ?? i.display.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function humanName(names: HumanName[] | undefined, withPrefix = false): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return 'Unnamed';
  if (name.text) return name.text;
  const parts = [...(withPrefix ? (name.prefix ?? []) : []), ...(name.given ?? []).slice(0, 1), name.family].filter(Boolean);
  return parts.join(' ') || 'Unnamed';
}

function mrnOf(patient: Patient): string | undefined {
  return patient.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value;
}

function scheduledEncounter(e: Encounter, patient: Patient | undefined, practitionerRef: string): ScheduledEncounter | null {
  const patientId = e.subject?.reference?.replace(/^Patient\//, '');
  const start = e.period?.start;
  if (!e.id || !patientId || !start) return null;
  const typeCoding = e.type?.flatMap((t) => t.coding ?? []);
  const visitType =
    typeCoding?.find((c) => c.system === VISIT_TYPE_SYSTEM)?.code ??
    visitTypeFromText(e.type?.[0]?.text ?? typeCoding?.[0]?.display ?? e.class?.display ?? '');
  const reason = e.reasonCode?.[0]?.text ?? e.reasonCode?.[0]?.coding?.[0]?.display;
  // In words, always: the EHR's own wording, else the name Scribe gives the visit type it mapped to.
  const visitTypeText = e.type?.[0]?.text ?? typeCoding?.find((c) => c.display)?.display ?? VISIT_TYPES[visitType]?.label;
  return {
    encounterId: e.id,
    patientId,
    patientName: patient ? humanName(patient.name) : (e.subject?.display ?? 'Unknown patient'),
    ...(patient?.birthDate ? { birthDate: patient.birthDate } : {}),
    ...(patient?.gender ? { gender: patient.gender } : {}),
    start,
    ...(e.period?.end ? { end: e.period.end } : {}),
    ...(reason ? { reason } : {}),
    visitType,
    ...(visitTypeText ? { visitTypeText } : {}),
    practitionerId: practitionerRef.replace(/^Practitioner\//, ''),
    status: e.status,
  };
}

/** Map whatever fetch/fhirclient threw onto an EhrError with a sentence a person can act on. */
export function toEhrError(error: unknown, baseUrl: string, timeoutMs: number): EhrError {
  if (error instanceof EhrError) return error;
  const err = error as { name?: string; status?: number; message?: string; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new EhrError('timeout', `The EHR at ${baseUrl} did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: error });
  }
  if (err?.name === 'HttpError' && typeof err.status === 'number') {
    const outcome = parseOutcome(err.message ?? '');
    const said = outcome ? outcomeInPlainWords(outcome) : firstLine(err.message);
    const status = err.status;
    if (status === 401)
      return new EhrError('unauthorized', `The EHR refused the sign-in (401): ${said}. Sign in to the EHR again.`, {
        status,
        outcome,
        cause: error,
      });
    if (status === 403)
      return new EhrError('rejected', `The EHR does not allow this for the signed-in user (403): ${said}`, {
        status,
        outcome,
        cause: error,
      });
    if (status === 409 || status === 412)
      return new EhrError('conflict', `The EHR reports a conflict (${status}): ${said}`, { status, outcome, cause: error });
    if (status >= 500)
      return new EhrError('server', `The EHR had an internal error (${status}): ${said}`, { status, outcome, cause: error });
    return new EhrError('rejected', `The EHR rejected the request (${status}): ${said}`, { status, outcome, cause: error });
  }
  if (err?.name === 'SyntaxError') {
    return new EhrError('invalid-response', `The EHR at ${baseUrl} answered with malformed JSON`, { cause: error });
  }
  const networkCode = (error as { code?: string }).code ?? err?.cause?.code;
  if (err?.name === 'FetchError' || (err?.name === 'TypeError' && /fetch failed|network|socket/i.test(err.message ?? ''))) {
    const code = networkCode ? ` (${networkCode})` : '';
    return new EhrError('unreachable', `The EHR at ${baseUrl} cannot be reached${code}`, { cause: error });
  }
  return new EhrError('unreachable', `Talking to the EHR at ${baseUrl} failed: ${err?.message ?? String(error)}`, { cause: error });
}

/** fhirclient's HttpError keeps the response body as pretty JSON after a blank line in its message. */
function parseOutcome(message: string) {
  const at = message.indexOf('\n\n');
  if (at < 0) return undefined;
  try {
    const body = JSON.parse(message.slice(at + 2)) as unknown;
    return isOperationOutcome(body) ? body : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(message: string | undefined): string {
  return (message ?? 'no details').split('\n')[0]!;
}
