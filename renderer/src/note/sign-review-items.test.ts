import { describe, expect, it } from 'vitest';
import type { CodingHint, Draft } from '../../../app/contract/index.ts';
import { medicineDifferences, signReviewItems, wrongPatientWarning } from './sign-review-items.ts';

const ev = (source: 'draft' | 'transcript') => ({ source, sectionId: 'plan', sentence: 's', start: 0, end: 1 });
const rx = (ingredient: string, display: string, source: 'draft' | 'transcript' = 'draft'): CodingHint => ({
  id: `rxnorm:${ingredient}`,
  system: 'rxnorm',
  code: '1',
  display,
  confidence: 0.9,
  why: '',
  evidence: ev(source),
  ingredient,
});
const dx = (code: string, display: string): CodingHint => ({
  id: `icd10cm:${code}`,
  system: 'icd10cm',
  code,
  display,
  confidence: 0.9,
  why: '',
  evidence: ev('draft'),
  billable: true,
});

const draft: Draft = {
  template: 'soap',
  engine: 'builtin',
  engineVersion: '1',
  generatedAt: '2026-01-01T00:00:00Z',
  version: 3,
  sections: [
    {
      id: 'hpi',
      title: 'History',
      text: 'Headache for three days.',
      edited: false,
      sentences: [{ text: 'Headache for three days.', evidence: ['s1'] }],
    },
    {
      id: 'plan',
      title: 'Plan',
      text: 'Start lisinopril 10 mg.',
      edited: false,
      sentences: [{ text: 'Start lisinopril 10 mg.', evidence: ['s2'], flags: [{ kind: 'dose', value: '10 mg' }] }],
    },
    { id: 'exam', title: 'Exam', text: 'Written by me.', edited: true, sentences: [] },
    { id: 'ros', title: 'Review', text: '', edited: false, sentences: [] },
  ],
};

describe('the Sign review', () => {
  it('lists the AI text still unedited, undecided hints, flagged sentences and over-limit sections', () => {
    const hints = [dx('I10', 'Essential (primary) hypertension'), dx('R51.9', 'Headache, unspecified')];
    const items = signReviewItems({
      draft,
      hints,
      decisions: [{ hintId: 'icd10cm:I10', action: 'accept', system: 'icd10cm', code: 'I10', display: 'x', decidedAt: 'now' }],
      chart: null,
      overLimit: ['Plan'],
    });
    expect(items.unedited.map((s) => s.sectionId)).toEqual(['hpi', 'plan']);
    expect(items.undecided.map((h) => h.id)).toEqual(['icd10cm:R51.9']);
    expect(items.flagged).toEqual([
      { sectionId: 'plan', title: 'Plan', text: 'Start lisinopril 10 mg.', reasons: ['not in the turns it cites: dose “10 mg”'] },
    ]);
    expect(items.overLimit).toEqual(['Plan']);
  });
  it("an edited section is the clinician's own: its flags are no longer listed", () => {
    const edited: Draft = { ...draft, sections: draft.sections.map((s) => (s.id === 'plan' ? { ...s, edited: true } : s)) };
    expect(signReviewItems({ draft: edited, hints: [], decisions: [], chart: null }).flagged).toEqual([]);
  });
  it('medicines in the note that are not on the chart, or at another strength', () => {
    const chart = {
      problems: [],
      medications: [{ display: 'Lisinopril 20 MG Oral Tablet' }, { display: 'metformin hydrochloride 500 MG Oral Tablet' }],
    };
    const diffs = medicineDifferences(
      [
        rx('lisinopril', 'lisinopril 10 MG Oral Tablet'),
        rx('metformin', 'metformin 500 MG Oral Tablet'),
        rx('atorvastatin', 'atorvastatin 40 MG Oral Tablet'),
        rx('aspirin', 'aspirin', 'transcript'),
      ],
      chart,
    );
    expect(diffs.map((d) => d.name)).toEqual(['lisinopril', 'atorvastatin']);
    expect(diffs[0]!.words).toContain('10 mg');
  });
});

describe('the wrong-patient warning', () => {
  const thyroidChart = {
    problems: [{ display: 'Hypothyroidism' }, { display: 'Depression' }],
    medications: [{ display: 'Levothyroxine Sodium 0.075 MG Oral Tablet' }, { display: 'sertraline 50 MG Oral Tablet' }],
  };
  it('warns when a hypertension/diabetes note meets a levothyroxine/sertraline chart', () => {
    const hints = [
      dx('I10', 'Essential (primary) hypertension'),
      dx('E11.9', 'Type 2 diabetes mellitus without complications'),
      rx('lisinopril', 'lisinopril 10 MG Oral Tablet'),
      rx('metformin', 'metformin 500 MG Oral Tablet'),
    ];
    expect(wrongPatientWarning(hints, thyroidChart)).toMatch(/right patient/);
  });
  it('stays quiet when one medicine or problem matches, or there is too little to judge', () => {
    expect(
      wrongPatientWarning([dx('I10', 'Essential (primary) hypertension'), rx('sertraline', 'sertraline 50 MG Oral Tablet')], thyroidChart),
    ).toBeNull();
    expect(
      wrongPatientWarning([dx('E03.9', 'Hypothyroidism, unspecified'), rx('lisinopril', 'lisinopril 10 MG')], thyroidChart),
    ).toBeNull();
    expect(wrongPatientWarning([rx('lisinopril', 'lisinopril 10 MG')], thyroidChart)).toBeNull();
    expect(wrongPatientWarning([dx('I10', 'x'), dx('E11.9', 'y')], { problems: [], medications: [] })).toBeNull();
  });
});
