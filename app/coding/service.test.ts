import { beforeAll, describe, expect, it } from 'vitest';
import type { CodingDecision, User, Visit } from '../contract/index.ts';
import { acceptedDiagnoses, createCodingService, diagnosisSectionText, loadTerminology, type Terminology } from './index.ts';
import { testTerminologyAssets } from '../../testing/coding/terminology.ts';

let term: Terminology;
beforeAll(async () => {
  term = loadTerminology((await testTerminologyAssets()).terminologyDir);
}, 300_000);

const clinician: User = { id: 'dr-1', name: 'Dr One', role: 'clinician' };

function visitWithDraft(status: Visit['status'] = 'draft'): Visit {
  return {
    id: 'v1',
    consent: 'agreed',
    clinicianId: 'dr-1',
    encounterId: 'e1',
    patientId: 'p1',
    patientName: 'Pat',
    visitType: 'follow-up',
    status,
    startedAt: new Date().toISOString(),
    audioSeconds: 60,
    post: null,
    transcript: { engine: 'test', segments: [{ id: 's1', start: 0, end: 2, text: 'my blood pressure is high and my knee hurts' }] },
    draft: {
      template: 'soap',
      engine: 'test',
      engineVersion: '1',
      generatedAt: new Date().toISOString(),
      version: 1,
      sections: [
        {
          id: 'assessment',
          title: 'Assessment and plan',
          edited: false,
          text: 'Hypertension. Right knee pain. Denies chest pain. Continue lisinopril 20 mg.',
          sentences: [],
        },
      ],
    },
  } as Visit;
}

function memoryVisits(visit: Visit) {
  const store = new Map([[visit.id, visit]]);
  return {
    store,
    async get(id: string) {
      const v = store.get(id);
      if (!v) throw new Error('no visit');
      return v;
    },
    async setCodingDecisions(id: string, decisions: CodingDecision[]) {
      const v = { ...store.get(id)!, codingDecisions: decisions };
      store.set(id, v);
      return v;
    },
  };
}

describe('coding service', () => {
  it('suggests hints for a visit and records accept, reject and replace on the visit', async () => {
    const visits = memoryVisits(visitWithDraft());
    const coding = createCodingService({ visits, terminology: () => term });
    const { hints, decisions } = await coding.suggest('v1');
    expect(decisions).toEqual([]);
    const ids = hints.map((h) => h.id);
    expect(ids).toEqual(expect.arrayContaining(['icd10cm:I10', 'icd10cm:M25.561', 'rxnorm:314077']));
    expect(ids.some((id) => id.startsWith('icd10cm:R07'))).toBe(false);

    await coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'accept' });
    await coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:M25.561', action: 'replace', code: 'm25.562' });
    const after = await coding.decide(clinician, { visitId: 'v1', hintId: 'rxnorm:314077', action: 'reject' });
    expect(after.map((d) => [d.hintId, d.action, d.code])).toEqual([
      ['icd10cm:I10', 'accept', 'I10'],
      ['icd10cm:M25.561', 'replace', 'M25.562'],
      ['rxnorm:314077', 'reject', null],
    ]);
    expect(visits.store.get('v1')!.codingDecisions).toHaveLength(3);
    expect(acceptedDiagnoses(after).map((d) => d.code)).toEqual(['I10', 'M25.562']);
    expect(diagnosisSectionText(after)).toBe('I10 Essential (primary) hypertension\nM25.562 Pain in left knee');
    // A diagnosis no hint proposed, added through the type-ahead, then removed and added again.
    const added = await coding.decide(clinician, { visitId: 'v1', hintId: 'manual:E78.5', action: 'add', code: 'e78.5' });
    expect(added.at(-1)).toMatchObject({ hintId: 'manual:E78.5', action: 'add', code: 'E78.5', display: 'Hyperlipidemia, unspecified' });
    expect(acceptedDiagnoses(added).map((d) => d.code)).toEqual(['I10', 'M25.562', 'E78.5']);
    const removed = await coding.decide(clinician, { visitId: 'v1', hintId: 'manual:E78.5', action: 'reject' });
    expect(acceptedDiagnoses(removed).map((d) => d.code)).toEqual(['I10', 'M25.562']);
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'manual:E78.5', action: 'accept' })).rejects.toThrow(/only be removed/);
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'manual:E78', action: 'add', code: 'E78' })).rejects.toThrow(
      /category, not a billable code/,
    );
    await coding.decide(clinician, { visitId: 'v1', hintId: 'manual:E78.5', action: 'add', code: 'E78.5' });
    // A later decision on the same hint replaces the earlier one.
    const changed = await coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'reject' });
    expect(acceptedDiagnoses(changed).map((d) => d.code)).toEqual(['M25.562', 'E78.5']);
  });

  it('refuses invalid replacements, unknown hints and decisions after signing', async () => {
    const coding = createCodingService({ visits: memoryVisits(visitWithDraft()), terminology: () => term });
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'replace', code: 'E11' })).rejects.toThrow(
      /category, not a billable code/,
    );
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'replace', code: 'I42.0' })).rejects.toThrow(
      /not a billable code|not a valid/,
    );
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'replace', code: 'M72.2' })).rejects.toThrow(
      /not a billable|not a valid/,
    );
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'replace', code: 'XYZ' })).rejects.toThrow(
      /not a valid ICD-10-CM code/,
    );
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:Q99.9', action: 'accept' })).rejects.toThrow(/No coding hint/);
    await expect(coding.decide(clinician, { visitId: 'v1', hintId: 'rxnorm:314077', action: 'replace', code: 'I10' })).rejects.toThrow(
      /Only ICD-10-CM/,
    );
    const signed = createCodingService({ visits: memoryVisits(visitWithDraft('signed')), terminology: () => term });
    await expect(signed.decide(clinician, { visitId: 'v1', hintId: 'icd10cm:I10', action: 'accept' })).rejects.toThrow(
      /only before signing/,
    );
    expect(coding.search('htn', 3)[0]!.code).toBe('I10');
  });
});
