import type { Bundle, DocumentReference, Encounter, Organization, Provenance, Resource } from '@medplum/fhirtypes';
import { FhirValidationError, validateFhirResource } from './definitions.ts';
import type { EhrClient } from './ehr-client.ts';
import { EhrError, outcomeInPlainWords } from './ehr-error.ts';
import { buildSignedNoteResources, type NotePart, type SignedNoteInput, type WriteContext } from './signed-note.ts';

export interface PostedNote {
  documentReferenceId: string;
  versionId: string;
  /** false when the EHR already held this note (a retry): conditional create or the search before POST found it. */
  created: boolean;
  provenanceId?: string;
  conditionIds: string[];
}

function validateOrRefuse(resource: Resource, where: string): void {
  try {
    validateFhirResource(resource);
  } catch (error) {
    if (error instanceof FhirValidationError) {
      throw new EhrError(
        'invalid-resource',
        `Scribe built an invalid ${error.resourceType} (${where}), so nothing was sent: ${outcomeInPlainWords(error.outcome)}`,
        { outcome: error.outcome },
      );
    }
    throw error;
  }
}

/** Validate every resource of a bundle against FHIR R4 before it leaves the workstation. */
export function validateBundleResources(bundle: Bundle): void {
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    if (entry.resource) validateOrRefuse(entry.resource, `entry ${index + 1}`);
  }
}

function idAndVersion(location: string | undefined, resource: Resource | undefined): { id?: string; versionId?: string } {
  const match = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/.exec(location ?? '');
  return { id: resource?.id ?? match?.[2], versionId: resource?.meta?.versionId ?? match?.[3] };
}

/**
 * Full mode: post a signed note's transaction (from buildSignedNoteBundle), validated locally first.
 * Safe to repeat: every entry is a conditional create.
 */
export async function postSignedNote(client: EhrClient, bundle: Bundle): Promise<PostedNote> {
  validateBundleResources(bundle);
  const response = await client.transaction(bundle);
  const entries = response.entry ?? [];
  let documentReferenceId: string | undefined;
  let versionId: string | undefined;
  let created = false;
  let provenanceId: string | undefined;
  const conditionIds: string[] = [];
  for (const [index, sent] of (bundle.entry ?? []).entries()) {
    const answer = entries[index];
    const type = sent.resource?.resourceType;
    const { id, versionId: vid } = idAndVersion(answer?.response?.location, answer?.resource);
    if (type === 'DocumentReference' && sent.request?.method === 'POST') {
      documentReferenceId = id;
      versionId = vid ?? (answer?.response?.etag ?? '').replace(/^W\/"|"$/g, '');
      created = String(answer?.response?.status ?? '').startsWith('201');
    } else if (type === 'Provenance') provenanceId = id;
    else if (type === 'Condition' && id) conditionIds.push(id);
  }
  if (!documentReferenceId || !versionId) {
    throw new EhrError(
      'invalid-response',
      'The EHR accepted the transaction but did not say where the note was stored (no DocumentReference id/version)',
    );
  }
  return { documentReferenceId, versionId, created, ...(provenanceId ? { provenanceId } : {}), conditionIds };
}

/** An answer that may have been lost after the EHR committed the write (so look before sending again). */
function outcomeUnknown(error: unknown): boolean {
  return error instanceof EhrError && ['timeout', 'unreachable', 'server', 'invalid-response'].includes(error.kind);
}

/** Replace urn:uuid references by the EHR's ids of what was already written. */
function resolveUrns<T>(resource: T, ids: Map<string, string>): T {
  return JSON.parse(JSON.stringify(resource), (key, value: unknown) =>
    key === 'reference' && typeof value === 'string' && ids.has(value) ? ids.get(value) : value,
  ) as T;
}

type Found<T extends Resource> = { resource: T; created: boolean };

/**
 * Exactly once without conditional create: search by the part's identifier before the POST; when the
 * answer to the POST is lost (timeout, 5xx, dropped connection), search again before giving up, so the
 * retry that follows never stores a second copy.
 */
async function createOnce<T extends Resource>(
  client: EhrClient,
  part: NotePart<T>,
  ids: Map<string, string>,
  find?: () => Promise<T | undefined>,
): Promise<Found<T>> {
  const lookup =
    find ??
    (async () => {
      const at = part.query.indexOf('=');
      const [system, value] = part.query
        .slice(at + 1)
        .split('|')
        .map(decodeURIComponent) as [string, string];
      return (await client.search<T>(part.resource.resourceType, { [part.query.slice(0, at)]: `${system}|${value}` }))[0];
    });
  const existing = await lookup();
  if (existing) return { resource: existing, created: false };
  const resource = resolveUrns(part.resource, ids);
  validateOrRefuse(resource, part.resource.resourceType);
  try {
    return { resource: (await client.create(resource)).resource, created: true };
  } catch (error) {
    if (outcomeUnknown(error)) {
      const landed = await lookup().catch(() => undefined);
      if (landed) return { resource: landed, created: false };
    }
    throw error;
  }
}

/**
 * Direct and minimal modes (US Core "Writing Clinical Notes"): one POST of the DocumentReference, then
 * (direct) each diagnosis and the Device + Provenance as separate creates, each found first by its
 * identifier so a repeat never duplicates. An amendment checks the original before posting anything and
 * marks it superseded (If-Match) after.
 */
export async function postNoteDirect(
  client: EhrClient,
  note: SignedNoteInput,
  ctx: WriteContext,
  supersede?: { documentReferenceId: string; versionId: string },
): Promise<PostedNote> {
  const parts = buildSignedNoteResources(note, ctx);
  const ids = new Map<string, string>();
  let original: DocumentReference | null = null;
  if (supersede) {
    original = await client.read<DocumentReference>('DocumentReference', supersede.documentReferenceId);
    const oursAlready =
      original.status === 'superseded' &&
      (await client.search<DocumentReference>('DocumentReference', { identifier: `${ctx.systems.note}|${note.noteId}` })).length > 0;
    if (!oursAlready && original.meta?.versionId !== supersede.versionId) {
      throw new EhrError('conflict', 'The EHR reports a conflict (412): the original note changed after Scribe posted it', { status: 412 });
    }
  }
  const doc = await createOnce(client, parts.documentReference, ids);
  const docId = doc.resource.id!;
  ids.set(parts.documentReference.urn, `DocumentReference/${docId}`);
  const conditionIds: string[] = [];
  for (const condition of parts.conditions) {
    const written = await createOnce(client, condition, ids);
    ids.set(condition.urn, `Condition/${written.resource.id}`);
    conditionIds.push(written.resource.id!);
  }
  let provenanceId: string | undefined;
  if (parts.provenance) {
    const device = await createOnce(client, parts.provenance.device, ids);
    ids.set(parts.provenance.device.urn, `Device/${device.resource.id}`);
    const tag = parts.provenance.provenance.resource.meta!.tag![0]!;
    // Provenance has no identifier: find ours among those that target the note (a search every server supports).
    const findProvenance = async () =>
      (await client.search<Provenance>('Provenance', { target: `DocumentReference/${docId}` })).find((p) =>
        p.meta?.tag?.some((t) => t.system === tag.system && t.code === tag.code),
      );
    provenanceId = (await createOnce(client, parts.provenance.provenance, ids, findProvenance)).resource.id;
  }
  if (supersede && original && original.status !== 'superseded') {
    const { meta: _meta, ...rest } = original;
    await client.update<DocumentReference>({ ...rest, status: 'superseded' }, { ifMatchVersion: supersede.versionId });
  }
  return {
    documentReferenceId: docId,
    versionId: doc.resource.meta?.versionId ?? '1',
    created: doc.created,
    ...(provenanceId ? { provenanceId } : {}),
    conditionIds,
  };
}

/**
 * The clinic the note is written for: the encounter's serviceProvider, else the practice's Organization
 * from the settings. Without one, no Provenance can name who the clinician acts for (US Core provenance-1).
 */
export async function clinicOf(
  client: EhrClient,
  note: SignedNoteInput,
  fallback?: { reference: string; display?: string },
): Promise<{ reference: string; display?: string } | undefined> {
  try {
    const encounter = await client.read<Encounter>('Encounter', note.encounterId);
    const provider = encounter.serviceProvider;
    if (provider?.reference && /^Organization\/[A-Za-z0-9\-.]{1,64}$/.test(provider.reference)) {
      let display = provider.display;
      if (!display) display = (await client.read<Organization>('Organization', provider.reference.slice(13)).catch(() => null))?.name;
      return { reference: provider.reference, ...(display ? { display } : {}) };
    }
  } catch (error) {
    if (error instanceof EhrError && error.kind !== 'rejected') throw error;
  }
  return fallback;
}
