/**
 * app/fhir: the EHR side of Scribe.
 * - the sandbox EHR (Medplum's FHIR engine on 127.0.0.1, with SMART sign-in), seeded with a demo practice;
 * - the EHR client (fhirclient) for today's schedule, patient context and patient search;
 * - the mapping of a signed note to a FHIR transaction (US Core DocumentReference, Provenance, Conditions);
 * - the outbox that delivers signed notes exactly once, and SMART App Launch for native apps.
 */
import './node-websocket.ts';

export { startSandbox, FHIR_BASE_PATH, type Sandbox, type SandboxOptions } from './sandbox/server.ts';
export type { SmartAuthority } from './sandbox/smart-authority.ts';
export {
  SANDBOX_PRACTITIONER_ID, SANDBOX_PRACTITIONER_NAME, SANDBOX_PRACTITIONER_REF, SANDBOX_ORGANIZATION_ID, SANDBOX_ORGANIZATION_NAME, buildSeedBundle,
} from './sandbox/seed.ts';
export {
  createEhrClient, humanName, type AccessTokenSource, type EhrClient, type EhrClientOptions, type PatientContext, type PatientSummary,
} from './ehr-client.ts';
export { EhrError, outcomeInPlainWords, type EhrErrorKind } from './ehr-error.ts';
export {
  buildSignedNoteBundle, buildSignedNoteResources, defaultWriteContext, identifierSystems, DEFAULT_IDENTIFIER_BASE,
  NOTE_IDENTIFIER_SYSTEM, DIAGNOSIS_IDENTIFIER_SYSTEM, PROVENANCE_TAG_SYSTEM,
  type IdentifierSystems, type SignedNoteInput, type WriteContext,
} from './signed-note.ts';
export { postNoteDirect, postSignedNote, validateBundleResources, type PostedNote } from './post-signed-note.ts';
export {
  ehrNameOf, narrowPlanToScopes, planForMode, scopeGrantsCreate, scopesForPlan, writePlanFromCapabilities, WRITE_MODES, type WriteMode, type WritePlan,
} from './write-plan.ts';
export { FhirValidationError, loadFhirDefinitions, validateFhirResource } from './definitions.ts';
export { VISIT_TYPES, visitTypeInfo, visitTypeLabel, type VisitTypeInfo } from './visit-types.ts';
export {
  createOutbox, OutboxError, type Outbox, type OutboxOptions, type OutboxStatus, type OutboxUpdate,
} from './outbox.ts';
export { createFileOutboxStore, type OutboxStore } from './outbox-store.ts';
export {
  createSmartSession, DEFAULT_SMART_SCOPES, discoverSmartConfiguration, pkcePair,
  type SmartConfiguration, type SmartSession, type SmartSessionOptions, type SmartSessionStatus, type SmartUser,
} from './smart.ts';
