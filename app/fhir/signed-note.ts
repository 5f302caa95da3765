import { createHash } from 'node:crypto';
import type {
  Bundle, BundleEntry, Condition, Device, DocumentReference, Encounter, Patient, Practitioner, Provenance, Reference,
} from '@medplum/fhirtypes';
import { visitTypeInfo } from './visit-types.ts';

/** Identifier systems that make every write idempotent (conditional create on them). */
export const NOTE_IDENTIFIER_SYSTEM = 'urn:scribe:note';
export const DIAGNOSIS_IDENTIFIER_SYSTEM = 'urn:scribe:diagnosis';
export const DEVICE_IDENTIFIER_SYSTEM = 'urn:scribe:device';
/** Provenance has no identifier element in R4: a tag carries the note id instead. */
export const PROVENANCE_TAG_SYSTEM = 'urn:scribe:provenance';
export const US_CORE_DOCUMENTREFERENCE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-documentreference';
export const US_CORE_DOC_CATEGORY_SYSTEM = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC = 'http://loinc.org';

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
  /** Diagnoses the clinician accepted: become encounter-diagnosis Conditions (verificationStatus provisional). */
  diagnoses?: { code: string; display: string; system?: string }[];
  /** Amend: the posted DocumentReference this note replaces (relatesTo.code = replaces). */
  replaces?: { documentReferenceId: string };
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

function formattedNote(note: SignedNoteInput): string {
  const sections = (note.sections ?? []).filter((s) => s.text.trim());
  const body = sections
    .map((s) => `<h2>${escapeHtml(s.title)}</h2>${s.text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('')}`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(note.title ?? 'Clinical note')}</title></head><body>${body}</body></html>`;
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

/** `identifier=system|value` with both parts URL-encoded (a note id or a model name may hold anything). */
export function tokenQuery(param: string, system: string, value: string): string {
  return `${param}=${encodeURIComponent(system)}|${encodeURIComponent(value)}`;
}

/** A safe FHIR id piece from any code ("E11.9" -> "E11.9", "J45.909" stays, spaces and slashes go). */
function idPart(value: string): string {
  return value.replace(/[^A-Za-z0-9\-.]/g, '-');
}

/**
 * The FHIR transaction for a signed note: the DocumentReference (US Core clinical note), the drafting
 * software as a Device, a Provenance naming it and the signing clinician, and one encounter-diagnosis
 * Condition per accepted diagnosis. Every entry is a conditional create on its identifier, so posting
 * the same bundle twice stores everything once.
 */
export function buildSignedNoteBundle(note: SignedNoteInput): Bundle {
  const type = visitTypeInfo(note.visitType);
  const title = note.title ?? `${type.label} note`;
  const docUrn = stableUuid('DocumentReference', note.noteId);
  const deviceKey = `scribe-drafter:${note.drafter.engine}:${note.drafter.version}:${note.drafter.model ?? '-'}${note.drafter.modelSha256 ? `:${note.drafter.modelSha256}` : ''}`;
  const deviceUrn = stableUuid('Device', deviceKey);
  const patient: Reference<Patient> = { reference: `Patient/${note.patientId}` };
  const encounter: Reference<Encounter> = { reference: `Encounter/${note.encounterId}` };
  const practitioner: Reference<Practitioner> = { reference: note.practitionerRef, ...(note.practitionerName ? { display: note.practitionerName } : {}) };

  const content: DocumentReference['content'] = [{
    attachment: attachment('text/plain', note.text, title, note.signedAt),
    format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
  }];
  if (note.sections?.some((s) => s.text.trim())) {
    content.push({ attachment: attachment('text/html', formattedNote(note), title, note.signedAt) });
  }

  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    meta: {
      profile: [US_CORE_DOCUMENTREFERENCE],
      security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'AIAST', display: 'Artificial Intelligence asserted' }],
    },
    identifier: [{ system: NOTE_IDENTIFIER_SYSTEM, value: note.noteId }],
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, code: type.loinc.code, display: type.loinc.display }], text: type.loinc.display },
    category: [{ coding: [{ system: US_CORE_DOC_CATEGORY_SYSTEM, code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: patient,
    date: note.signedAt,
    author: [practitioner],
    authenticator: practitioner,
    description: title,
    content,
    context: {
      encounter: [encounter],
      ...(note.period ? { period: note.period } : {}),
    },
    ...(note.replaces
      ? { relatesTo: [{ code: 'replaces' as const, target: { reference: `DocumentReference/${note.replaces.documentReferenceId}` } }] }
      : {}),
  };

  const device: Device = {
    resourceType: 'Device',
    identifier: [{ system: DEVICE_IDENTIFIER_SYSTEM, value: deviceKey }],
    status: 'active',
    manufacturer: 'Scribe',
    deviceName: [{ name: `Scribe note drafter (${note.drafter.engine})`, type: 'user-friendly-name' }],
    type: { text: 'AI clinical documentation drafting software' },
    version: [
      { type: { text: 'software' }, value: note.drafter.version },
      ...(note.drafter.model ? [{ type: { text: 'model' }, value: note.drafter.model }] : []),
      ...(note.drafter.modelSha256 ? [{ type: { text: 'model file sha256' }, value: note.drafter.modelSha256 }] : []),
      ...(note.recognizer ? [{ type: { text: 'speech recognizer' }, value: `${note.recognizer.engine}${note.recognizer.model ? ` ${note.recognizer.model}` : ''}` }] : []),
    ],
  };

  const conditions: { urn: string; resource: Condition; identifier: string }[] = (note.diagnoses ?? []).map((dx) => {
    const identifier = `${note.noteId}:${idPart(dx.code)}`;
    return {
      urn: stableUuid('Condition', identifier),
      identifier,
      resource: {
        resourceType: 'Condition',
        identifier: [{ system: DIAGNOSIS_IDENTIFIER_SYSTEM, value: identifier }],
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional' }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
        code: { coding: [{ system: dx.system ?? ICD10CM_SYSTEM, code: dx.code, display: dx.display }], text: dx.display },
        subject: patient,
        encounter,
        recordedDate: note.signedAt,
        recorder: practitioner,
        asserter: practitioner,
        evidence: [{ detail: [{ reference: docUrn }] }],
      },
    };
  });

  const provenance: Provenance = {
    resourceType: 'Provenance',
    meta: { tag: [{ system: PROVENANCE_TAG_SYSTEM, code: note.noteId }] },
    target: [{ reference: docUrn }, ...conditions.map((c) => ({ reference: c.urn }))],
    occurredPeriod: note.period,
    recorded: note.signedAt,
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }] },
    reason: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }] }],
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] },
        who: practitioner,
      },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'verifier', display: 'Verifier' }] },
        who: practitioner,
      },
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'assembler', display: 'Assembler' }] },
        role: [{ text: 'AI drafting software' }],
        who: { reference: deviceUrn, display: `Scribe drafter ${note.drafter.engine} ${note.drafter.version}${note.drafter.model ? ` (${note.drafter.model})` : ''}` },
        onBehalfOf: practitioner,
      },
    ],
  };

  const entry: BundleEntry[] = [
    {
      fullUrl: deviceUrn,
      resource: device,
      request: { method: 'POST', url: 'Device', ifNoneExist: tokenQuery('identifier', DEVICE_IDENTIFIER_SYSTEM, deviceKey) },
    },
    {
      fullUrl: docUrn,
      resource: documentReference,
      request: { method: 'POST', url: 'DocumentReference', ifNoneExist: tokenQuery('identifier', NOTE_IDENTIFIER_SYSTEM, note.noteId) },
    },
    ...conditions.map((c): BundleEntry => ({
      fullUrl: c.urn,
      resource: c.resource,
      request: { method: 'POST', url: 'Condition', ifNoneExist: tokenQuery('identifier', DIAGNOSIS_IDENTIFIER_SYSTEM, c.identifier) },
    })),
    {
      fullUrl: stableUuid('Provenance', note.noteId),
      resource: provenance,
      request: { method: 'POST', url: 'Provenance', ifNoneExist: tokenQuery('_tag', PROVENANCE_TAG_SYSTEM, note.noteId) },
    },
  ];
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
