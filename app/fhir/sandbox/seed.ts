import type {
  Bundle,
  BundleEntry,
  Condition,
  Encounter,
  MedicationStatement,
  Organization,
  Patient,
  Practitioner,
  Resource,
} from '@medplum/fhirtypes';
import { VISIT_TYPE_SYSTEM, VISIT_TYPES } from '../visit-types.ts';

/** The sandbox's demo clinician: the app uses it as the local profile when no EHR sign-in exists. */
export const SANDBOX_PRACTITIONER_ID = 'dana-reyes';
export const SANDBOX_PRACTITIONER_REF = `Practitioner/${SANDBOX_PRACTITIONER_ID}`;
export const SANDBOX_PRACTITIONER_NAME = 'Dr. Dana Reyes';
/** The demo practice: the Organization the clinicians act on behalf of (encounters' serviceProvider). */
export const SANDBOX_ORGANIZATION_ID = 'riverside-family-medicine';
export const SANDBOX_ORGANIZATION_NAME = 'Riverside Family Medicine';
/** A second clinician, so that "my schedule" is tested against someone else's. */
export const SANDBOX_OTHER_PRACTITIONER_REF = 'Practitioner/samuel-patel';

const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

interface DemoPatient {
  id: string;
  given: string[];
  family: string;
  gender: 'female' | 'male';
  birthDate: string;
  mrn: string;
  problems: { code: string; display: string; onset: string }[];
  medications: { rxcui: string; display: string; dosage: string }[];
  visit: { at: [number, number]; minutes: number; type: keyof typeof VISIT_TYPES; reason: string; status: Encounter['status'] };
}

// ICD-10-CM and RxNorm codes checked against ../shared/terminology (FY2027 codes, RxNorm 2025-10-06).
const PATIENTS: DemoPatient[] = [
  {
    id: 'maria-gonzalez',
    given: ['Maria', 'Elena'],
    family: 'Gonzalez',
    gender: 'female',
    birthDate: '1968-04-12',
    mrn: '100234',
    problems: [
      { code: 'E11.9', display: 'Type 2 diabetes mellitus without complications', onset: '2015-03-02' },
      { code: 'I10', display: 'Essential (primary) hypertension', onset: '2012-09-18' },
    ],
    medications: [
      { rxcui: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet', dosage: '500 mg by mouth twice daily with meals' },
      { rxcui: '314076', display: 'lisinopril 10 MG Oral Tablet', dosage: '10 mg by mouth once daily' },
    ],
    visit: { at: [8, 30], minutes: 20, type: 'follow-up', reason: 'Diabetes and blood pressure follow-up', status: 'arrived' },
  },
  {
    id: 'james-carter',
    given: ['James'],
    family: 'Carter',
    gender: 'male',
    birthDate: '1955-09-30',
    mrn: '100871',
    problems: [
      { code: 'E78.5', display: 'Hyperlipidemia, unspecified', onset: '2010-01-15' },
      { code: 'K21.9', display: 'Gastro-esophageal reflux disease without esophagitis', onset: '2019-06-04' },
    ],
    medications: [
      { rxcui: '198051', display: 'omeprazole 20 MG Delayed Release Oral Capsule', dosage: '20 mg by mouth once daily before breakfast' },
    ],
    visit: { at: [9, 15], minutes: 40, type: 'annual-wellness', reason: 'Annual wellness visit', status: 'planned' },
  },
  {
    id: 'aisha-khan',
    given: ['Aisha'],
    family: 'Khan',
    gender: 'female',
    birthDate: '1991-02-03',
    mrn: '101455',
    problems: [
      { code: 'J45.909', display: 'Unspecified asthma, uncomplicated', onset: '2003-05-20' },
      { code: 'J30.9', display: 'Allergic rhinitis, unspecified', onset: '2008-04-11' },
    ],
    medications: [],
    visit: { at: [10, 0], minutes: 20, type: 'acute', reason: 'Cough and wheezing for five days', status: 'planned' },
  },
  {
    id: 'robert-chen',
    given: ['Robert', 'Wei'],
    family: 'Chen',
    gender: 'male',
    birthDate: '1979-11-21',
    mrn: '102017',
    problems: [{ code: 'M54.50', display: 'Low back pain, unspecified', onset: '2026-08-30' }],
    medications: [{ rxcui: '310431', display: 'gabapentin 300 MG Oral Capsule', dosage: '300 mg by mouth at bedtime' }],
    visit: { at: [10, 45], minutes: 40, type: 'new-patient', reason: 'Establish care; low back pain', status: 'planned' },
  },
  {
    id: 'linda-okafor',
    given: ['Linda'],
    family: 'Okafor',
    gender: 'female',
    birthDate: '1962-07-08',
    mrn: '100562',
    problems: [
      { code: 'E03.9', display: 'Hypothyroidism, unspecified', onset: '2009-02-27' },
      { code: 'F41.1', display: 'Generalized anxiety disorder', onset: '2018-10-09' },
    ],
    medications: [
      { rxcui: '966221', display: 'levothyroxine sodium 0.05 MG Oral Tablet', dosage: '50 mcg by mouth every morning' },
      { rxcui: '312941', display: 'sertraline 50 MG Oral Tablet', dosage: '50 mg by mouth once daily' },
    ],
    visit: { at: [14, 0], minutes: 20, type: 'follow-up', reason: 'Thyroid and anxiety follow-up', status: 'planned' },
  },
];

function atLocalTime(day: Date, hours: number, minutes: number): string {
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes).toISOString();
}

function encounter(
  id: string,
  patient: DemoPatient,
  practitioner: { ref: string; name: string },
  day: Date,
  visit: DemoPatient['visit'],
): Encounter {
  const start = atLocalTime(day, visit.at[0], visit.at[1]);
  const end = new Date(Date.parse(start) + visit.minutes * 60_000).toISOString();
  const type = VISIT_TYPES[visit.type]!;
  return {
    resourceType: 'Encounter',
    id,
    status: visit.status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: VISIT_TYPE_SYSTEM, code: type.code, display: type.label }], text: type.label }],
    subject: { reference: `Patient/${patient.id}`, display: `${patient.given[0]} ${patient.family}` },
    participant: [
      {
        type: [
          {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PPRF', display: 'primary performer' }],
          },
        ],
        individual: { reference: practitioner.ref, display: practitioner.name },
      },
    ],
    period: { start, end },
    reasonCode: [{ text: visit.reason }],
    serviceProvider: { reference: `Organization/${SANDBOX_ORGANIZATION_ID}`, display: SANDBOX_ORGANIZATION_NAME },
  };
}

/** The demo chart, with today's encounters computed for the local day of `now`. */
export function buildSeedBundle(now = new Date()): Bundle {
  const resources: Resource[] = [];
  const organization: Organization = {
    resourceType: 'Organization',
    id: SANDBOX_ORGANIZATION_ID,
    active: true,
    name: SANDBOX_ORGANIZATION_NAME,
    meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-organization'] },
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${SANDBOX_ORGANIZATION_NAME}, the sandbox's demo practice.</p></div>`,
    },
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1407000011' }],
    type: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] },
    ],
    telecom: [{ system: 'phone', value: '555-0100', use: 'work' }],
    address: [{ line: ['100 River Road'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }],
  };
  const practitioner = (id: string, given: string, family: string, npi: string): Practitioner => ({
    resourceType: 'Practitioner',
    id,
    active: true,
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: npi }],
    name: [{ use: 'official', prefix: ['Dr.'], given: [given], family, suffix: ['MD'] }],
    qualification: [
      { code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0360', code: 'MD', display: 'Doctor of Medicine' }] } },
    ],
  });
  resources.push(
    organization,
    practitioner(SANDBOX_PRACTITIONER_ID, 'Dana', 'Reyes', '1003000126'),
    practitioner('samuel-patel', 'Samuel', 'Patel', '1003000134'),
  );

  const reyes = { ref: SANDBOX_PRACTITIONER_REF, name: SANDBOX_PRACTITIONER_NAME };
  for (const [index, p] of PATIENTS.entries()) {
    const patient: Patient = {
      resourceType: 'Patient',
      id: p.id,
      active: true,
      identifier: [
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
          system: 'urn:oid:2.16.840.1.113883.3.9999.1',
          value: p.mrn,
        },
      ],
      name: [{ use: 'official', given: p.given, family: p.family }],
      gender: p.gender,
      birthDate: p.birthDate,
      generalPractitioner: [{ reference: SANDBOX_PRACTITIONER_REF, display: SANDBOX_PRACTITIONER_NAME }],
    };
    resources.push(patient, encounter(`enc-today-${index + 1}`, p, reyes, now, p.visit));
    for (const [i, problem] of p.problems.entries()) {
      const condition: Condition = {
        resourceType: 'Condition',
        id: `${p.id}-problem-${i + 1}`,
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/condition-category',
                code: 'problem-list-item',
                display: 'Problem List Item',
              },
            ],
          },
        ],
        code: { coding: [{ system: ICD10CM, code: problem.code, display: problem.display }], text: problem.display },
        subject: { reference: `Patient/${p.id}` },
        onsetDateTime: problem.onset,
      };
      resources.push(condition);
    }
    for (const [i, med] of p.medications.entries()) {
      const statement: MedicationStatement = {
        resourceType: 'MedicationStatement',
        id: `${p.id}-med-${i + 1}`,
        status: 'active',
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: med.rxcui, display: med.display }], text: med.display },
        subject: { reference: `Patient/${p.id}` },
        dosage: [{ text: med.dosage }],
      };
      resources.push(statement);
    }
  }
  // Someone else's visit today and Dr. Reyes's visit yesterday: neither belongs on today's schedule.
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
  resources.push(
    encounter('enc-other-clinician', PATIENTS[2]!, { ref: SANDBOX_OTHER_PRACTITIONER_REF, name: 'Dr. Samuel Patel' }, now, {
      at: [11, 30],
      minutes: 20,
      type: 'follow-up',
      reason: 'Asthma follow-up',
      status: 'planned',
    }),
    encounter('enc-yesterday', PATIENTS[0]!, reyes, yesterday, {
      at: [15, 0],
      minutes: 20,
      type: 'follow-up',
      reason: 'Blood pressure check',
      status: 'finished',
    }),
  );
  const entry: BundleEntry[] = resources.map((resource) => ({ resource }));
  return { resourceType: 'Bundle', type: 'collection', entry };
}
