import type { CapabilityStatement } from '@medplum/fhirtypes';
import { ScribeError } from '../contract/index.ts';
import { EhrError, discoverSmartConfiguration, writePlanFromCapabilities, type WriteMode } from '../fhir/index.ts';

/** What "Check connection" found at an EHR base URL (no patient data: the server's own descriptions). */
export interface EhrCheck {
  baseUrl: string;
  fhir: {
    fhirVersion: string;
    software: string | null;
    /** Whether the CapabilityStatement lists its resource types at all (some list only system interactions). */
    resourcesListed: boolean;
    /** Resource types Scribe reads or writes that the CapabilityStatement lists. */
    supported: string[];
    /** Resource types Scribe needs that it does not list (empty when it lists none). */
    missing: string[];
  };
  smart: {
    authorizationEndpoint: string;
    tokenEndpoint: string;
    revocationEndpoint: string | null;
    pkceS256: boolean;
    capabilities: string[];
  };
  /** The write plan Scribe would use with this EHR (decision 0150). */
  writePlan: { mode: WriteMode; summary: string; notSent: string[]; ehrName: string | null };
}

/** What Scribe reads (schedule, context) and writes (the signed note, diagnoses, provenance). */
export const RESOURCES_SCRIBE_USES = [
  'Patient',
  'Encounter',
  'Practitioner',
  'Condition',
  'MedicationStatement',
  'MedicationRequest',
  'DocumentReference',
  'Provenance',
] as const;

interface CapabilityStatementLike {
  resourceType?: unknown;
  fhirVersion?: unknown;
  software?: { name?: unknown; version?: unknown };
  rest?: { mode?: unknown; resource?: { type?: unknown }[] }[];
}

const text = (v: unknown, max = 200): string | null => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

async function readCapabilityStatement(base: string, timeoutMs: number): Promise<CapabilityStatementLike> {
  const origin = new URL(base).origin;
  let res: Response;
  try {
    res = await fetch(`${base}/metadata`, {
      headers: { accept: 'application/fhir+json, application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new ScribeError('unavailable', `The EHR at ${origin} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new ScribeError(
      'unavailable',
      `The EHR at ${origin} cannot be reached (nothing answers at that address; check the URL, the network and the firewall)`,
    );
  }
  const body = await res.text().catch(() => '');
  let json: CapabilityStatementLike | null = null;
  try {
    json = JSON.parse(body) as CapabilityStatementLike;
  } catch {
    json = null;
  }
  if (!res.ok || !json || json.resourceType !== 'CapabilityStatement') {
    throw new ScribeError(
      'unsupported',
      `${base} is not a FHIR server: ${base}/metadata answered HTTP ${res.status} without a CapabilityStatement; check the base URL (it usually ends in /fhir or /fhir/R4)`,
    );
  }
  return json;
}

/**
 * Check an EHR before saving it: its CapabilityStatement (`/metadata`, FHIR R4) and its SMART
 * configuration (`/.well-known/smart-configuration`). Throws ScribeError in plain words:
 * `unavailable` when nothing answers, `unsupported` when it is not FHIR R4 or has no SMART sign-in.
 */
export async function checkEhrConnection(baseUrl: string, opts: { timeoutMs?: number } = {}): Promise<EhrCheck> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const base = baseUrl.trim().replace(/\/+$/, '');
  const capability = await readCapabilityStatement(base, timeoutMs);
  const fhirVersion = text(capability.fhirVersion, 20) ?? 'unknown';
  if (!fhirVersion.startsWith('4.0')) {
    throw new ScribeError('unsupported', `${base} is a FHIR ${fhirVersion} server; Scribe needs FHIR R4 (4.0.x)`);
  }
  const listed = new Set(
    (capability.rest ?? [])
      .flatMap((r) => (Array.isArray(r.resource) ? r.resource : []))
      .map((r) => r.type)
      .filter((t): t is string => typeof t === 'string'),
  );
  let smart;
  try {
    smart = await discoverSmartConfiguration(base, timeoutMs);
  } catch (error) {
    if (error instanceof EhrError && (error.kind === 'unreachable' || error.kind === 'timeout'))
      throw new ScribeError('unavailable', error.message);
    const why = error instanceof Error ? error.message : String(error);
    throw new ScribeError('unsupported', `${base} is a FHIR R4 server but Scribe cannot sign in to it with SMART on FHIR: ${why}`);
  }
  const name = text(capability.software?.name);
  const version = text(capability.software?.version, 50);
  const plan = writePlanFromCapabilities(capability as CapabilityStatement);
  return {
    baseUrl: base,
    fhir: {
      fhirVersion,
      software: name ? `${name}${version ? ` ${version}` : ''}` : null,
      resourcesListed: listed.size > 0,
      supported: RESOURCES_SCRIBE_USES.filter((t) => listed.has(t)),
      missing: listed.size > 0 ? RESOURCES_SCRIBE_USES.filter((t) => !listed.has(t)) : [],
    },
    smart: {
      authorizationEndpoint: smart.authorization_endpoint,
      tokenEndpoint: smart.token_endpoint,
      revocationEndpoint: smart.revocation_endpoint ?? null,
      pkceS256: (smart.code_challenge_methods_supported ?? []).includes('S256'),
      capabilities: (smart.capabilities ?? [])
        .filter((c) => typeof c === 'string')
        .slice(0, 50)
        .map((c) => c.slice(0, 100)),
    },
    writePlan: { mode: plan.mode, summary: plan.summary, notSent: plan.notSent, ehrName: plan.ehrName },
  };
}
