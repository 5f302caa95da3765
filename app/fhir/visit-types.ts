/**
 * Visit types Scribe knows, with the LOINC document type its note is filed under.
 * EHRs code visit types in many ways; `visitTypeFromEncounterType` maps what it finds onto these.
 */
export const VISIT_TYPE_SYSTEM = 'urn:scribe:visit-type';

export interface VisitTypeInfo {
  code: string;
  label: string;
  /** LOINC document type of the note written for this kind of visit. */
  loinc: { code: string; display: string };
}

const PROGRESS_NOTE = { code: '11506-3', display: 'Progress note' };
const HISTORY_AND_PHYSICAL = { code: '34117-2', display: 'History and physical note' };
const CONSULT_NOTE = { code: '11488-4', display: 'Consult note' };

export const VISIT_TYPES: Record<string, VisitTypeInfo> = {
  'new-patient': { code: 'new-patient', label: 'New patient', loinc: HISTORY_AND_PHYSICAL },
  'follow-up': { code: 'follow-up', label: 'Follow-up', loinc: PROGRESS_NOTE },
  'annual-wellness': { code: 'annual-wellness', label: 'Annual wellness', loinc: PROGRESS_NOTE },
  acute: { code: 'acute', label: 'Acute visit', loinc: PROGRESS_NOTE },
  telehealth: { code: 'telehealth', label: 'Telehealth', loinc: PROGRESS_NOTE },
  consult: { code: 'consult', label: 'Consultation', loinc: CONSULT_NOTE },
  'office-visit': { code: 'office-visit', label: 'Office visit', loinc: PROGRESS_NOTE },
};

/** The visit type for a code or label; unknown ones are filed as an office visit (progress note). */
export function visitTypeInfo(visitType: string): VisitTypeInfo {
  return VISIT_TYPES[visitType] ?? VISIT_TYPES[visitTypeFromText(visitType)] ?? VISIT_TYPES['office-visit']!;
}

/** Best guess from free text such as an Encounter.type display ("Established patient follow up"). */
export function visitTypeFromText(text: string): string {
  const t = text.toLowerCase();
  if (VISIT_TYPES[t]) return t;
  if (/\bnew\b/.test(t)) return 'new-patient';
  if (/follow|established|return/.test(t)) return 'follow-up';
  if (/wellness|annual|physical|preventive/.test(t)) return 'annual-wellness';
  if (/tele|video|virtual/.test(t)) return 'telehealth';
  if (/consult/.test(t)) return 'consult';
  if (/acute|urgent|sick|same.day/.test(t)) return 'acute';
  return 'office-visit';
}
