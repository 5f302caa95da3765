import type { AuditRecord } from './chain.ts';
import type { AuditAction } from './events.ts';

/** A FHIR R4 AuditEvent (the subset Scribe fills in). */
export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  type: Coding;
  subtype: Coding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  recorded: string;
  outcome: '0';
  agent: {
    who: { identifier: { system: string; value: string } };
    type?: { coding: Coding[] };
    requestor: boolean;
  }[];
  source: { observer: { display: string }; type: Coding[] };
  entity: {
    what?: { reference?: string; type?: string; identifier?: { system: string; value: string } };
    type?: Coding;
    detail?: { type: string; valueString: string }[];
  }[];
}

interface Coding {
  system: string;
  code: string;
  display?: string;
}

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const SCRIBE_AUDIT_ACTION_SYSTEM = 'urn:scribe:audit-action';
export const SCRIBE_VISIT_SYSTEM = 'urn:scribe:visit';
export const SCRIBE_USER_SYSTEM = 'urn:scribe:user';
export const SCRIBE_ENCOUNTER_SYSTEM = 'urn:scribe:encounter';
export const SCRIBE_AUDIT_SEQ_SYSTEM = 'urn:scribe:audit-record';

const PATIENT_RECORD: Coding = { system: DCM, code: '110110', display: 'Patient Record' };
const EXPORT: Coding = { system: DCM, code: '110106', display: 'Export' };
const USER_AUTH: Coding = { system: DCM, code: '110114', display: 'User Authentication' };
const APPLICATION: Coding = { system: DCM, code: '110100', display: 'Application Activity' };
const SECURITY_ALERT: Coding = { system: DCM, code: '110113', display: 'Security Alert' };

function typeAndAction(action: AuditAction): { type: Coding; action: FhirAuditEvent['action'] } {
  switch (action) {
    case 'visit.started':
    case 'consent.recorded':
    case 'draft.generated':
    case 'recognition.completed':
    case 'note.signed':
    case 'note.posted':
      return { type: PATIENT_RECORD, action: 'C' };
    case 'visit.paused':
    case 'visit.resumed':
    case 'visit.stopped':
    case 'visit.recovered':
    case 'draft.edited':
    case 'coding.accepted':
    case 'coding.rejected':
      return { type: PATIENT_RECORD, action: 'U' };
    case 'note.postFailed':
      return { type: PATIENT_RECORD, action: 'E' };
    case 'record.viewed':
    case 'phi.accessed':
      return { type: PATIENT_RECORD, action: 'R' };
    case 'record.exported':
      return { type: EXPORT, action: 'R' };
    case 'record.deleted':
      return { type: PATIENT_RECORD, action: 'D' };
    case 'session.signedIn':
    case 'session.signInRefused':
    case 'session.signedOut':
    case 'session.locked':
    case 'session.unlocked':
      return { type: USER_AUTH, action: 'E' };
    case 'access.denied':
      return { type: SECURITY_ALERT, action: 'E' };
    case 'settings.changed':
    case 'style.changed':
      return { type: APPLICATION, action: 'U' };
    case 'ehr.writePlan':
      return { type: APPLICATION, action: 'E' };
    case 'audit.verified':
      return { type: APPLICATION, action: 'E' };
  }
}

/** One audit record as a FHIR R4 AuditEvent; the record's seq and hash travel with it so the EHR copy can be checked. */
export function toFhirAuditEvent(record: AuditRecord, observer = 'Scribe workstation'): FhirAuditEvent {
  const { type, action } = typeAndAction(record.action);
  const details = Object.entries(record.details)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ({ type: k, valueString: typeof v === 'string' ? v : JSON.stringify(v) }));
  const entity: FhirAuditEvent['entity'] = [
    {
      what: { identifier: { system: SCRIBE_AUDIT_SEQ_SYSTEM, value: String(record.seq) } },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '4', display: 'Other' },
      detail: [{ type: 'hash', valueString: record.hash }, { type: 'prevHash', valueString: record.prevHash }, ...details],
    },
  ];
  if (record.visitId) {
    entity.push({
      what: { identifier: { system: SCRIBE_VISIT_SYSTEM, value: record.visitId } },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    });
  }
  const encounterId = record.details.encounterId;
  if (typeof encounterId === 'string') {
    // An identifier, not a literal reference: the audit repository need not hold the encounter.
    entity.push({
      what: { type: 'Encounter', identifier: { system: SCRIBE_ENCOUNTER_SYSTEM, value: encounterId } },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    });
  }
  return {
    resourceType: 'AuditEvent',
    type,
    subtype: [{ system: SCRIBE_AUDIT_ACTION_SYSTEM, code: record.action }],
    action,
    recorded: record.at,
    outcome: '0',
    agent: [
      {
        who: { identifier: { system: SCRIBE_USER_SYSTEM, value: record.actor.id } },
        type: { coding: [{ system: SCRIBE_USER_SYSTEM, code: record.actor.role }] },
        requestor: record.actor.role !== 'system',
      },
    ],
    source: {
      observer: { display: observer },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity,
  };
}
