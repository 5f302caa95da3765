/**
 * app/fhir: the EHR side of Scribe.
 * - the sandbox EHR (Medplum's FHIR engine on 127.0.0.1, with SMART sign-in), seeded with a demo practice;
 * - the EHR client (fhirclient) for today's schedule, patient context and patient search;
 * - the mapping of a signed note to a FHIR transaction (US Core DocumentReference, Provenance, Conditions);
 * - the outbox that delivers signed notes exactly once, and SMART App Launch for native apps.
 */
import './node-websocket.ts';

export { startSandbox, type Sandbox } from './sandbox/server.ts';
export { SANDBOX_PRACTITIONER_ID, SANDBOX_PRACTITIONER_NAME, SANDBOX_PRACTITIONER_REF } from './sandbox/seed.ts';
export { createEhrClient, type EhrClient } from './ehr-client.ts';
export { EhrError } from './ehr-error.ts';
export { defaultWriteContext, identifierSystems, type SignedNoteInput } from './signed-note.ts';
export {
  narrowPlanToScopes,
  planForMode,
  scopesForPlan,
  writePlanFromCapabilities,
  WRITE_MODES,
  type WriteMode,
  type WritePlan,
} from './write-plan.ts';
export { createOutbox, type OutboxUpdate } from './outbox.ts';
export { createFileOutboxStore } from './outbox-store.ts';
export { createSmartSession, discoverSmartConfiguration, type SmartSession, type SmartUser } from './smart.ts';
