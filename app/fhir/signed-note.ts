import { createHash } from 'node:crypto';
import type {
  Bundle,
  BundleEntry,
  Condition,
  Device,
  DocumentReference,
  Encounter,
  Narrative,
  Organization,
  Patient,
  Practitioner,
  Provenance,
  ProvenanceAgent,
  Reference,
} from '@medplum/fhirtypes';
import { visitTypeInfo } from './visit-types.ts';
import { planForMode, type WritePlan } from './write-plan.ts';

/**
 * Where the identifier systems of what Scribe writes live: a URL the practice owns (settings: "Identifier
 * base URL"). example.org is reserved for documentation (RFC 2606): a practice sets its own before go-live.
 */
export const DEFAULT_IDENTIFIER_BASE = 'http://scribe.example.org/fhir/identifier';

/** Identifier systems that make every write findable (search before POST) and idempotent (conditional create). */
export interface IdentifierSystems {
  note: string;
  diagnosis: string;
  device: string;
  /** Provenance has no identifier element in R4: a tag carries the note id instead. */
  provenanceTag: string;
}

export function identifierSystems(base: string = DEFAULT_IDENTIFIER_BASE): IdentifierSystems {
  const root = base.trim().replace(/\/+$/, '');
  return { note: `${root}/note`, diagnosis: `${root}/diagnosis`, device: `${root}/device`, provenanceTag: `${root}/provenance` };
}

const DEFAULT_SYSTEMS = identifierSystems();
/** The default systems (tests, the sandbox): a practice configures its own base URL. */
export const NOTE_IDENTIFIER_SYSTEM = DEFAULT_SYSTEMS.note;
export const DIAGNOSIS_IDENTIFIER_SYSTEM = DEFAULT_SYSTEMS.diagnosis;
export const PROVENANCE_TAG_SYSTEM = DEFAULT_SYSTEMS.provenanceTag;

export const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
export const US_CORE_DOCUMENTREFERENCE = `${US_CORE}us-core-documentreference`;
export const US_CORE_CONDITION_ENCOUNTER_DIAGNOSIS = `${US_CORE}us-core-condition-encounter-diagnosis`;
export const US_CORE_PROVENANCE = `${US_CORE}us-core-provenance`;
export const US_CORE_DOC_CATEGORY_SYSTEM = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC = 'http://loinc.org';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
/** The AI-assistance label (HL7 v3 ObservationValue AIAST) every note Scribe drafted carries in meta.security. */
export const AI_ASSISTED_LABEL = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'AIAST',
  display: 'Artificial Intelligence asserted',
};

/** A note the clinician signed, as the outbox hands it to the EHR mapping. */
export interface SignedNoteInput {
  /** Stable id of this signed note (an amendment has its own id). Becomes DocumentReference.identifier. */
  noteId: string;
  visitId?: string;
  patientId: string;
  encounterId: string;
  /** "Practitioner/123": author and authenticator. */
  practitionerRef: string;
  practitionerName?: string;
  /** Visit type code or label ("follow-up", "New patient"): picks the LOINC document type. */
  visitType: string;
  title?: string;
  /** The whole note as plain text (the text/plain attachment). */
  text: string;
  sections?: { id: string; title: string; text: string }[];
  signedAt: string;
  /** When the visit happened (DocumentReference.context.period). */
  period?: { start: string; end?: string };
  /** The drafting software, named in the Provenance so the EHR can tell AI-assisted notes apart. */
  drafter: { engine: string; version: string; model?: string; modelSha256?: string };
  recognizer?: { engine: string; model?: string };
  /**
   * Chart resources the drafted sentences took facts from ("Patient/123", "Condition/abc"; decision 0204): the
   * Provenance names them as its sources (entity, role source).
   */
  chartSources?: string[];
  /** Diagnoses the clinician accepted: become encounter-diagnosis Conditions (verificationStatus provisional). */
  diagnoses?: { code: string; display: string; system?: string }[];
  /** Amend: the posted DocumentReference this note replaces (relatesTo.code = replaces). */
  replaces?: { documentReferenceId: string };
}

/** How this note is written: the EHR's plan, the practice's identifier systems, the clinic's Organization. */
export interface WriteContext {
  plan: Pick<WritePlan, 'mode' | 'creates' | 'contentType' | 'authenticator'>;
  systems: IdentifierSystems;
  /** "Organization/x": the clinic on whose behalf the clinician and the software act (Provenance.onBehalfOf, custodian). */
  organizationRef?: string;
  organizationName?: string;
}

export function defaultWriteContext(overrides: Partial<WriteContext> = {}): WriteContext {
  return { plan: planForMode('full'), systems: DEFAULT_SYSTEMS, ...overrides };
}

/** Deterministic urn:uuid, so that a retried bundle is byte-identical to the first attempt. */
function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** FHIR narrative (text.div): XHTML in a div, no scripts or attributes but the namespace. */
function narrative(html: string): Narrative {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${html}</div>` };
}

function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br/>')}</p>`)
    .join('');
}

/** Minimal mode: the diagnoses go into the note's own text, since the EHR takes no Conditions. */
function diagnosesText(note: SignedNoteInput): string {
  const dx = note.diagnoses ?? [];
  if (!dx.length) return '';
  return `Diagnoses (ICD-10-CM):\n${dx.map((d) => `${d.code} ${d.display}`).join('\n')}`;
}

function noteSections(note: SignedNoteInput, withDiagnoses: boolean): { title: string; text: string }[] {
  const sections = (note.sections ?? []).filter((s) => s.text.trim());
  const dx = withDiagnoses ? diagnosesText(note) : '';
  return dx ? [...sections, { title: 'Diagnoses', text: dx.split('\n').slice(1).join('\n') }] : sections;
}

function formattedNote(note: SignedNoteInput, title: string, withDiagnoses: boolean): string {
  const body =
    noteSections(note, withDiagnoses)
      .map((s) => `<h2>${escapeHtml(s.title)}</h2>${paragraphs(s.text)}`)
      .join('') || paragraphs(note.text);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

function attachment(contentType: string, text: string, title: string, creation: string) {
  const bytes = Buffer.from(text, 'utf8');
  return {
    contentType,
    language: 'en-US',
    data: bytes.toString('base64'),
    size: bytes.length,
    hash: createHash('sha1').update(bytes).digest('base64'),
    title,
    creation,
  };
}

const MIME_SUFFICIENT = {
  system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
  code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
  display: 'mimeType Sufficient',
};

/** `identifier=system|value` with both parts URL-encoded (a note id or a model name may hold anything). */
export function tokenQuery(param: string, system: string, value: string): string {
  return `${param}=${encodeURIComponent(system)}|${encodeURIComponent(value)}`;
}

/** A safe FHIR id piece from any code ("E11.9" -> "E11.9", "J45.909" stays, spaces and slashes go). */
function idPart(value: string): string {
  return value.replace(/[^A-Za-z0-9\-.]/g, '-');
}

/**
 * The drafting software as a Device, and the Provenance agents of a signed note: the clinician as author
 * and verifier, the software as assembler, each on behalf of the clinic (US Core provenance-1). Kept in
 * one function so naming the engine/model (and anything else about the software) happens in one place.
 */
export function buildDrafterDeviceAndAgents(
  note: SignedNoteInput,
  refs: { practitioner: Reference<Practitioner>; organization: Reference<Organization>; deviceUrn: string },
  systems: IdentifierSystems,
): { deviceKey: string; device: Device; agents: ProvenanceAgent[] } {
  const deviceKey = `scribe-drafter:${note.drafter.engine}:${note.drafter.version}:${note.drafter.model ?? '-'}${note.drafter.modelSha256 ? `:${note.drafter.modelSha256}` : ''}`;
  const softwareName = `Scribe note drafter (${note.drafter.engine})`;
  const versions = [
    { type: { text: 'software' }, value: note.drafter.version },
    ...(note.drafter.model ? [{ type: { text: 'model' }, value: note.drafter.model }] : []),
    ...(note.drafter.modelSha256 ? [{ type: { text: 'model file sha256' }, value: note.drafter.modelSha256 }] : []),
    ...(note.recognizer
      ? [
          {
            type: { text: 'speech recognizer' },
            value: `${note.recognizer.engine}${note.recognizer.model ? ` ${note.recognizer.model}` : ''}`,
          },
        ]
      : []),
  ];
  const device: Device = {
    resourceType: 'Device',
    text: narrative(
      `<p>${escapeHtml(softwareName)}: AI clinical documentation drafting software. ${versions.map((v) => `${escapeHtml(v.type.text)} ${escapeHtml(v.value)}`).join('; ')}.</p>`,
    ),
    identifier: [{ system: systems.device, value: deviceKey }],
    status: 'active',
    manufacturer: 'Scribe',
    deviceName: [{ name: softwareName, type: 'user-friendly-name' }],
    type: { text: 'AI clinical documentation drafting software' },
    version: versions,
  };
  const agentType = (code: string, display: string) => ({ coding: [{ system: PARTICIPANT_TYPE, code, display }] });
  const agents: ProvenanceAgent[] = [
    { type: agentType('author', 'Author'), who: refs.practitioner, onBehalfOf: refs.organization },
    { type: agentType('verifier', 'Verifier'), who: refs.practitioner, onBehalfOf: refs.organization },
    {
      type: agentType('assembler', 'Assembler'),
      role: [{ text: 'AI drafting software' }],
      who: {
        reference: refs.deviceUrn,
        display: `Scribe drafter ${note.drafter.engine} ${note.drafter.version}${note.drafter.model ? ` (${note.drafter.model})` : ''}`,
      },
      onBehalfOf: refs.organization,
    },
  ];
  return { deviceKey, device, agents };
}

/** One resource of a signed note, with its stable urn and the search that finds it on the EHR. */
export interface NotePart<T> {
  urn: string;
  resource: T;
  /** `identifier=system|value` (or `_tag=` for the Provenance): conditional create and search-before-POST. */
  query: string;
}

export interface SignedNoteResources {
  documentReference: NotePart<DocumentReference>;
  conditions: NotePart<Condition>[];
  /** Device + Provenance: null when the plan sends none, or no clinic Organization is known (provenance-1). */
  provenance: { device: NotePart<Device>; provenance: NotePart<Provenance> } | null;
}

/**
 * The resources of a signed note under a write plan, US Core 6.1.0 conformant (decision 0152). References
 * between them use urn:uuid (resolved by the transaction in full mode, by the poster in direct mode).
 */
export function buildSignedNoteResources(note: SignedNoteInput, ctx: WriteContext = defaultWriteContext()): SignedNoteResources {
  const { plan, systems } = ctx;
  const type = visitTypeInfo(note.visitType);
  const title = note.title ?? `${type.label} note`;
  const docUrn = stableUuid('DocumentReference', note.noteId);
  const patient: Reference<Patient> = { reference: `Patient/${note.patientId}` };
  const encounter: Reference<Encounter> = { reference: `Encounter/${note.encounterId}` };
  const practitioner: Reference<Practitioner> = {
    reference: note.practitionerRef,
    ...(note.practitionerName ? { display: note.practitionerName } : {}),
  };
  const organization: Reference<Organization> | null = ctx.organizationRef
    ? { reference: ctx.organizationRef, ...(ctx.organizationName ? { display: ctx.organizationName } : {}) }
    : null;
  const conditionsSent = plan.creates.condition;
  const diagnosesInText = !conditionsSent && !!note.diagnoses?.length;
  const plainText = diagnosesInText ? `${note.text.trimEnd()}\n\n${diagnosesText(note)}` : note.text;

  let content: DocumentReference['content'];
  if (plan.mode === 'full') {
    content = [{ attachment: attachment('text/plain', plainText, title, note.signedAt), format: MIME_SUFFICIENT }];
    if (note.sections?.some((s) => s.text.trim())) {
      content.push({
        attachment: attachment('text/html', formattedNote(note, title, diagnosesInText), title, note.signedAt),
        format: MIME_SUFFICIENT,
      });
    }
  } else {
    // Vendor write APIs take exactly one content entry: the format the server documents.
    content = [
      {
        attachment:
          plan.contentType === 'text/html'
            ? attachment('text/html', formattedNote(note, title, diagnosesInText), title, note.signedAt)
            : attachment('text/plain', plainText, title, note.signedAt),
        format: MIME_SUFFICIENT,
      },
    ];
  }

  const dx = note.diagnoses ?? [];
  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    meta: { profile: [US_CORE_DOCUMENTREFERENCE], security: [AI_ASSISTED_LABEL] },
    text: narrative(
      `<p><b>${escapeHtml(title)}</b> (${escapeHtml(type.loinc.display)}), signed ${escapeHtml(note.signedAt)}` +
        `${note.practitionerName ? ` by ${escapeHtml(note.practitionerName)}` : ''}. Drafted with AI assistance (Scribe ${escapeHtml(note.drafter.engine)} ${escapeHtml(note.drafter.version)}), reviewed and signed by the clinician.</p>` +
        noteSections(note, diagnosesInText)
          .map((s) => `<h3>${escapeHtml(s.title)}</h3>${paragraphs(s.text)}`)
          .join(''),
    ),
    identifier: [{ system: systems.note, value: note.noteId }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, code: type.loinc.code, display: type.loinc.display }], text: type.loinc.display },
    category: [{ coding: [{ system: US_CORE_DOC_CATEGORY_SYSTEM, code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: patient,
    // Little-p provenance: who wrote it, when, for which clinic, drafted by what.
    date: note.signedAt,
    author: [practitioner],
    ...(plan.authenticator ? { authenticator: practitioner } : {}),
    ...(organization ? { custodian: organization } : {}),
    description: `${title} (drafted with AI assistance by Scribe ${note.drafter.engine} ${note.drafter.version}, signed by the clinician)`,
    content,
    context: {
      encounter: [encounter],
      ...(note.period ? { period: note.period } : {}),
    },
    ...(note.replaces
      ? { relatesTo: [{ code: 'replaces' as const, target: { reference: `DocumentReference/${note.replaces.documentReferenceId}` } }] }
      : {}),
  };

  const conditions: NotePart<Condition>[] = !conditionsSent
    ? []
    : dx.map((d) => {
        const identifier = `${note.noteId}:${idPart(d.code)}`;
        return {
          urn: stableUuid('Condition', identifier),
          query: tokenQuery('identifier', systems.diagnosis, identifier),
          resource: {
            resourceType: 'Condition',
            meta: { profile: [US_CORE_CONDITION_ENCOUNTER_DIAGNOSIS] },
            text: narrative(
              `<p>Encounter diagnosis (provisional): ${escapeHtml(d.code)} ${escapeHtml(d.display)}, accepted by the clinician on ${escapeHtml(note.signedAt)}.</p>`,
            ),
            extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate', valueDateTime: note.signedAt }],
            identifier: [{ system: systems.diagnosis, value: identifier }],
            clinicalStatus: {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active', display: 'Active' }],
            },
            verificationStatus: {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional', display: 'Provisional' },
              ],
            },
            category: [
              {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/condition-category',
                    code: 'encounter-diagnosis',
                    display: 'Encounter Diagnosis',
                  },
                ],
              },
            ],
            code: { coding: [{ system: d.system ?? ICD10CM_SYSTEM, code: d.code, display: d.display }], text: d.display },
            subject: patient,
            encounter,
            recordedDate: note.signedAt,
            recorder: practitioner,
            asserter: practitioner,
            evidence: [{ detail: [{ reference: docUrn }] }],
          },
        };
      });

  let provenance: SignedNoteResources['provenance'] = null;
  // Only plain references to the patient's own chart are named as sources (a stored note is never trusted blindly).
  const sources = [...new Set(note.chartSources ?? [])]
    .filter((r) => r === patient.reference || /^Condition\/[A-Za-z0-9\-.]{1,64}$/.test(r))
    .sort();
  if (plan.creates.provenance && organization) {
    const deviceUrn = stableUuid(
      'Device',
      `scribe-drafter:${note.drafter.engine}:${note.drafter.version}:${note.drafter.model ?? '-'}${note.drafter.modelSha256 ? `:${note.drafter.modelSha256}` : ''}`,
    );
    const { deviceKey, device, agents } = buildDrafterDeviceAndAgents(note, { practitioner, organization, deviceUrn }, systems);
    const resource: Provenance = {
      resourceType: 'Provenance',
      meta: { profile: [US_CORE_PROVENANCE], tag: [{ system: systems.provenanceTag, code: note.noteId }] },
      text: narrative(
        `<p>${escapeHtml(title)} drafted by AI software (Scribe ${escapeHtml(note.drafter.engine)} ${escapeHtml(note.drafter.version)}), reviewed, authored and signed by ${escapeHtml(note.practitionerName ?? note.practitionerRef)} on ${escapeHtml(note.signedAt)}.${sources.length ? ` Facts taken from the chart: ${sources.map(escapeHtml).join(', ')}.` : ''}</p>`,
      ),
      target: [{ reference: docUrn }, ...conditions.map((c) => ({ reference: c.urn }))],
      ...(sources.length ? { entity: sources.map((reference) => ({ role: 'source' as const, what: { reference } })) } : {}),
      ...(note.period ? { occurredPeriod: note.period } : {}),
      recorded: note.signedAt,
      activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }] },
      reason: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }] }],
      agent: agents,
    };
    provenance = {
      device: { urn: deviceUrn, resource: device, query: tokenQuery('identifier', systems.device, deviceKey) },
      provenance: { urn: stableUuid('Provenance', note.noteId), resource, query: tokenQuery('_tag', systems.provenanceTag, note.noteId) },
    };
  }
  return {
    documentReference: { urn: docUrn, resource: documentReference, query: tokenQuery('identifier', systems.note, note.noteId) },
    conditions,
    provenance,
  };
}

/**
 * Full mode: the FHIR transaction for a signed note. Every entry is a conditional create on its
 * identifier, so posting the same bundle twice stores everything once.
 */
export function buildSignedNoteBundle(note: SignedNoteInput, ctx: WriteContext = defaultWriteContext()): Bundle {
  const parts = buildSignedNoteResources(note, ctx);
  const post = <T extends { resourceType: string }>(part: NotePart<T>): BundleEntry => ({
    fullUrl: part.urn,
    resource: part.resource as unknown as BundleEntry['resource'],
    request: { method: 'POST', url: part.resource.resourceType, ifNoneExist: part.query },
  });
  const entry: BundleEntry[] = [
    ...(parts.provenance ? [post(parts.provenance.device)] : []),
    post(parts.documentReference),
    ...parts.conditions.map(post),
    ...(parts.provenance ? [post(parts.provenance.provenance)] : []),
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
