import type { Bundle, Resource } from '@medplum/fhirtypes';
import { FhirValidationError, validateFhirResource } from './definitions.ts';
import type { EhrClient } from './ehr-client.ts';
import { EhrError, outcomeInPlainWords } from './ehr-error.ts';

export interface PostedNote {
  documentReferenceId: string;
  versionId: string;
  /** false when the EHR already held this note (a retry): conditional create matched it. */
  created: boolean;
  provenanceId?: string;
  conditionIds: string[];
}

/** Validate every resource of a bundle against FHIR R4 before it leaves the workstation. */
export function validateBundleResources(bundle: Bundle): void {
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    if (!entry.resource) continue;
    try {
      validateFhirResource(entry.resource);
    } catch (error) {
      if (error instanceof FhirValidationError) {
        throw new EhrError('invalid-resource',
          `Scribe built an invalid ${error.resourceType} (entry ${index + 1}), so nothing was sent: ${outcomeInPlainWords(error.outcome)}`,
          { outcome: error.outcome });
      }
      throw error;
    }
  }
}

function idAndVersion(location: string | undefined, resource: Resource | undefined): { id?: string; versionId?: string } {
  const match = /(?:^|\/)([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/.exec(location ?? '');
  return { id: resource?.id ?? match?.[2], versionId: resource?.meta?.versionId ?? match?.[3] };
}

/**
 * Post a signed note's transaction (from buildSignedNoteBundle): validated locally first, then sent as
 * one FHIR transaction. Safe to repeat: every entry is a conditional create.
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
    throw new EhrError('invalid-response', 'The EHR accepted the transaction but did not say where the note was stored (no DocumentReference id/version)');
  }
  return { documentReferenceId, versionId, created, ...(provenanceId ? { provenanceId } : {}), conditionIds };
}
