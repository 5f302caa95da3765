// The audit log's public face. The log itself is in log.ts, the visit-level trail in trail.ts.
export {
  AUDIT_FILE,
  AUDIT_HEAD_FILE,
  auditAction,
  defaultAuditDir,
  editSize,
  keychainAuditSealing,
  openAuditLog,
  sha256Hex,
  type AuditCaller,
  type AuditLog,
} from './log.ts';
export { hashRecord, type AuditRecord } from './chain.ts';
export { fhirAuditPoster } from './fhir-export.ts';
export { asCode, createAuditTrail } from './trail.ts';
export { createAuditAnchor, type AuditAnchor } from './anchor.ts';
