import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';

/**
 * How a signed note is written to this EHR, chosen from its CapabilityStatement (decision 0150):
 * - full: one FHIR transaction of conditional creates (DocumentReference, Conditions, Device, Provenance);
 * - direct: one POST of the DocumentReference (US Core "Writing Clinical Notes"), then the diagnoses and
 *   the Provenance as separate creates where the server accepts them;
 * - minimal: the DocumentReference alone, the diagnoses written into the note's text.
 */
export type WriteMode = 'full' | 'direct' | 'minimal';
export const WRITE_MODES: readonly WriteMode[] = ['full', 'direct', 'minimal'];

export interface WritePlan {
  mode: WriteMode;
  /** The EHR's own name (CapabilityStatement software/implementation/name), when it gives one. */
  ehrName: string | null;
  /** Separate creates the server accepts (direct); all true in full mode. */
  creates: { condition: boolean; provenance: boolean };
  /** The single content entry's format in direct/minimal mode (full mode sends both). */
  contentType: 'text/plain' | 'text/html';
  /** Whether DocumentReference.authenticator may be set (vendor write APIs refuse it for provider access). */
  authenticator: boolean;
  /** US Core conformance the server declares (instantiates/implements/supportedProfile). */
  declaresUsCore: boolean;
  /** What the EHR will not receive under this plan, in plain words (empty in full mode). */
  notSent: string[];
  /** The same as codes, for the audit log. */
  withheld: ('formatted-copy' | 'plain-copy' | 'authenticator' | 'conditions' | 'provenance')[];
  /** One sentence for the clinician. */
  summary: string;
}

const US_CORE_PREFIX = 'http://hl7.org/fhir/us/core/';

function text(value: unknown, max = 120): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;
}

/** The EHR's name for the header: software name, else implementation description, else the statement's name. */
export function ehrNameOf(cs: CapabilityStatement): string | null {
  return text(cs.software?.name) ?? text(cs.implementation?.description) ?? text(cs.title) ?? text(cs.name);
}

/** A server's CapabilityStatement is untrusted input: only arrays of objects are looked at. */
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? value.filter((v): v is T => !!v && typeof v === 'object') : []);

function serverRests(cs: CapabilityStatement) {
  return list<NonNullable<CapabilityStatement['rest']>[number]>(cs.rest).filter((r) => r.mode === 'server' || !r.mode);
}

function resourceEntry(cs: CapabilityStatement, type: string): CapabilityStatementRestResource | undefined {
  return serverRests(cs)
    .flatMap((r) => list<CapabilityStatementRestResource>(r.resource))
    .find((r) => r.type === type);
}

function accepts(entry: CapabilityStatementRestResource | undefined, code: 'create' | 'update'): boolean {
  return list<{ code?: unknown }>(entry?.interaction).some((i) => i.code === code);
}

/**
 * Choose the write plan from what the server declares. A server that lists no resources at all (some
 * only list system interactions) is trusted with a DocumentReference create and nothing more.
 */
export function writePlanFromCapabilities(cs: CapabilityStatement): WritePlan {
  const rests = serverRests(cs);
  const transaction = rests.some((r) => list<{ code?: unknown }>(r.interaction).some((i) => i.code === 'transaction'));
  const listed = rests.some((r) => list(r.resource).length > 0);
  const doc = resourceEntry(cs, 'DocumentReference');
  const writes = ['DocumentReference', 'Condition', 'Device', 'Provenance'].map((t) => resourceEntry(cs, t));
  const fullOk = transaction && writes.every((e) => accepts(e, 'create') && e?.conditionalCreate === true);
  const condition = fullOk || accepts(resourceEntry(cs, 'Condition'), 'create');
  // The Provenance names the drafting software as a Device: both creates are needed.
  const provenance = fullOk || (accepts(resourceEntry(cs, 'Provenance'), 'create') && accepts(resourceEntry(cs, 'Device'), 'create'));
  const mode: WriteMode = fullOk ? 'full' : condition || provenance ? 'direct' : 'minimal';
  const docs = typeof doc?.documentation === 'string' ? doc.documentation : '';
  // A server documents the note formats it takes on its DocumentReference entry; the first one named wins.
  const html = docs.indexOf('text/html');
  const plain = docs.indexOf('text/plain');
  const contentType = html >= 0 && (plain < 0 || html < plain) ? 'text/html' : 'text/plain';
  const declaresUsCore = [
    ...[cs.instantiates, cs.implementationGuide, doc?.supportedProfile].flatMap((v) => (Array.isArray(v) ? v : [])),
    doc?.profile,
  ].some((u) => typeof u === 'string' && (u.startsWith(US_CORE_PREFIX) || u.includes('hl7.fhir.us.core')));
  const notSent: string[] = [];
  const withheld: WritePlan['withheld'] = [];
  if (mode !== 'full') {
    notSent.push(
      contentType === 'text/plain'
        ? 'the formatted (HTML) copy of the note: it receives plain text only'
        : 'a plain-text copy of the note: it receives the formatted copy only',
    );
    withheld.push(contentType === 'text/plain' ? 'formatted-copy' : 'plain-copy');
    notSent.push('the signing clinician as authenticator (the note names them as author)');
    withheld.push('authenticator');
    if (!condition) {
      notSent.push('the accepted diagnoses as coded Conditions: they are written into the note text instead');
      withheld.push('conditions');
    }
    if (!provenance) {
      notSent.push('a Provenance record naming the drafting software: the note carries the AI-assistance label instead');
      withheld.push('provenance');
    }
    if (!listed && !doc) notSent.push('(the EHR does not list what it accepts; Scribe assumes it takes notes only)');
  }
  const summary = summaryOf(mode, condition, provenance);
  return {
    mode,
    ehrName: ehrNameOf(cs),
    creates: { condition, provenance },
    contentType,
    authenticator: mode === 'full',
    declaresUsCore,
    notSent,
    withheld,
    summary,
  };
}

function summaryOf(mode: WriteMode, condition: boolean, provenance: boolean): string {
  if (mode === 'full') {
    const parts = [
      'the note',
      ...(condition ? ['the diagnoses'] : []),
      ...(provenance ? ['a provenance record of the AI drafting software'] : []),
    ];
    const listed = parts.length > 2 ? `${parts.slice(0, -1).join(', ')}, and ${parts.at(-1)}` : parts.join(' and ');
    return `Signed notes go to the EHR as one transaction: ${listed}.`;
  }
  if (mode === 'direct') {
    return `Signed notes go to the EHR as a single note${condition ? ', then the diagnoses' : ''}${provenance ? ', then a provenance record of the AI drafting software' : ''}, each sent separately.`;
  }
  return 'Signed notes go to the EHR as the note alone; accepted diagnoses are written into its text.';
}

/** Whether granted SMART scopes (v1 .write/.*, v2 .c/.cruds, user/ or system/, or *) allow creating a type. */
export function scopeGrantsCreate(scope: string, resourceType: string): boolean {
  return scope.split(/\s+/).some((s) => {
    const m = /^(user|system)\/(\*|[A-Z][A-Za-z]+)\.(write|\*|[cruds]+)$/.exec(s);
    return !!m && (m[2] === '*' || m[2] === resourceType) && (m[3] === 'write' || m[3] === '*' || m[3]!.includes('c'));
  });
}

/**
 * The plan narrowed to what the sign-in actually granted: an EHR may grant fewer scopes than asked
 * (no Condition.write, no Provenance.write); what it did not grant is not sent, and the clinician is told.
 */
export function narrowPlanToScopes(plan: WritePlan, grantedScope: string | undefined): WritePlan {
  if (!grantedScope) return plan;
  const condition = plan.creates.condition && scopeGrantsCreate(grantedScope, 'Condition');
  const provenance = plan.creates.provenance && scopeGrantsCreate(grantedScope, 'Provenance') && scopeGrantsCreate(grantedScope, 'Device');
  if (condition === plan.creates.condition && provenance === plan.creates.provenance) return plan;
  const notSent = [...plan.notSent];
  const withheld = [...plan.withheld];
  if (!condition && plan.creates.condition) {
    notSent.push(
      'the accepted diagnoses as coded Conditions (the sign-in was not granted Condition.write): they are written into the note text instead',
    );
    withheld.push('conditions');
  }
  if (!provenance && plan.creates.provenance) {
    notSent.push(
      'a Provenance record naming the drafting software (the sign-in was not granted Provenance/Device write): the note carries the AI-assistance label instead',
    );
    withheld.push('provenance');
  }
  return { ...plan, creates: { condition, provenance }, notSent, withheld, summary: summaryOf(plan.mode, condition, provenance) };
}

/** The plan forced by a mode (tests, the sandbox's own modes). */
export function planForMode(mode: WriteMode): WritePlan {
  return writePlanFromCapabilities(sandboxCapabilityStatement(mode, ''));
}

/** What the sandbox (and a test EHR) declares in each write mode. */
export function sandboxCapabilityStatement(mode: WriteMode, origin: string): CapabilityStatement {
  const read = [{ code: 'read' as const }, { code: 'search-type' as const }];
  const writable = (type: ResourceType, documentation?: string): CapabilityStatementRestResource => ({
    type,
    interaction: [...read, { code: 'create' }, ...(type === 'DocumentReference' ? [{ code: 'update' as const }] : [])],
    ...(mode === 'full' ? { conditionalCreate: true } : {}),
    ...(documentation ? { documentation } : {}),
    ...(type === 'DocumentReference' ? { supportedProfile: [`${US_CORE_PREFIX}StructureDefinition/us-core-documentreference`] } : {}),
  });
  const readOnly = (type: ResourceType): CapabilityStatementRestResource => ({ type, interaction: read });
  const accepted: ResourceType[] = mode === 'minimal' ? ['DocumentReference'] : ['DocumentReference', 'Condition', 'Device', 'Provenance'];
  const types: ResourceType[] = [
    'Patient',
    'Encounter',
    'Practitioner',
    'Organization',
    'Condition',
    'MedicationStatement',
    'MedicationRequest',
    'DocumentReference',
    'Device',
    'Provenance',
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: mode === 'full' ? 'Scribe sandbox EHR' : `Scribe sandbox EHR (${mode} write)` },
    implementation: { description: 'Scribe sandbox EHR', url: origin },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    instantiates: ['http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server'],
    rest: [
      {
        mode: 'server',
        resource: types.map((t) =>
          accepted.includes(t)
            ? writable(
                t,
                t === 'DocumentReference' && mode !== 'full'
                  ? 'Create accepts exactly one content entry (text/plain); authenticator cannot be set.'
                  : undefined,
              )
            : readOnly(t),
        ),
        interaction:
          mode === 'full'
            ? [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }]
            : [{ code: 'search-system' }],
      },
    ],
  };
}

/** SMART scopes the plan needs, and nothing more (decision 0154). */
export function scopesForPlan(plan: Pick<WritePlan, 'mode' | 'creates'>): string[] {
  return [
    'openid',
    'fhirUser',
    'profile',
    'offline_access',
    'user/Patient.read',
    'user/Encounter.read',
    'user/Practitioner.read',
    'user/Organization.read',
    'user/Condition.read',
    'user/MedicationStatement.read',
    'user/MedicationRequest.read',
    'user/DocumentReference.read',
    'user/DocumentReference.write',
    ...(plan.creates.condition ? ['user/Condition.write'] : []),
    ...(plan.creates.provenance ? ['user/Provenance.read', 'user/Provenance.write', 'user/Device.read', 'user/Device.write'] : []),
  ];
}
