// The audit log's public face. The log itself is in log.ts, the visit-level trail in trail.ts.
export {
  AUDIT_FILE, AUDIT_HEAD_FILE, AuditDetailsError, auditAction, AuditWriteError, defaultAuditDir, editSize, keychainAuditSealing, openAuditLog, sha256Hex,
  type AuditCaller, type AuditLog, type AuditSealing, type FhirExportOptions, type VerifyResult,
} from './log.ts';
export { auditActions, auditDetails, AuditActorRole, type AuditAction, type AuditActor, type AuditDetails, type AuditEvent } from './events.ts';
export { canonicalJson, GENESIS_HASH, hashRecord, type AuditHead, type AuditProblem, type AuditProblemKind, type AuditRecord } from './chain.ts';
export { toFhirAuditEvent, type FhirAuditEvent } from './fhir.ts';
export { fhirAuditPoster } from './fhir-export.ts';
export { asCode, createAuditTrail, type AuditTrail, type AuditTrailOptions } from './trail.ts';
export { createAuditAnchor, type AuditAnchor, type AuditAnchorOptions } from './anchor.ts';
