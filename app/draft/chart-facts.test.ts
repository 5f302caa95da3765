import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Draft, type ChartCitation, type DraftSentence, type Transcript } from '../contract/index.ts';
import { loadDrugLexicon } from './drug-names.ts';
import { findEvidenceDefects, sentenceDefects } from './evidence-guard.ts';
import { createDrafter, parseTranscriptText, type DraftContext } from './index.ts';
import { ageOn, historyOpening, usableChartName } from './rules/history.ts';
import type { PatientReference } from './rules/note-style.ts';
import { utterancesOf } from './utterances.ts';
import { aciTrain, REPO } from '../../testing/draft/datasets.ts';

/** Chart facts in the history opening, cited to the chart, and what the evidence guard accepts from them (decision 0204). */

const SHE: PatientReference = { subject: 'she', possessive: 'her', object: 'her' };
const drafter = createDrafter({ engine: 'builtin', now: () => new Date('2026-11-25T12:00:00.000Z') });
const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));

const FOLLOW_UP = `[doctor] good morning . we're here today to follow up on your diabetes and your blood pressure .
[patient] yes . my sugars have been okay , mostly around one thirty in the morning .
[doctor] are you still taking the metformin five hundred milligrams twice a day ?
[patient] yes , every day .
[doctor] any chest pain or shortness of breath ?
[patient] no .
[doctor] your blood pressure today is one thirty eight over eighty six . your a1c is seven point two .
[doctor] for your diabetes , i'm going to increase the metformin to one thousand milligrams twice a day .
[doctor] for your high blood pressure , continue the lisinopril ten milligrams daily .
[doctor] we'll repeat the a1c in three months .`;

const KNEE = `[doctor] hi , what brings you in today ?
[patient] i've had this left knee pain for about three weeks .
[doctor] does it hurt when you climb stairs ?
[patient] yes , going up stairs is the worst .
[doctor] your blood pressure is one thirty eight over eighty six today , so your hypertension is well controlled . continue the lisinopril ten milligrams daily .
[doctor] on exam there is tenderness along the medial joint line of the left knee .
[doctor] for your left knee pain , i'm going to order an x-ray of the left knee and you can take ibuprofen four hundred milligrams as needed .`;

const CONDITIONS = [
  { reference: 'Condition/c1', display: 'Type 2 diabetes mellitus without complications' },
  { reference: 'Condition/c2', display: 'Essential hypertension' },
  { reference: 'Condition/c3', display: 'Osteoarthritis of left knee' },
  { reference: 'Condition/c4', display: 'Hypothyroidism' },
];

function chartContext(over: Partial<NonNullable<DraftContext['patient']>> = {}, visitDate = '2026-02-10'): DraftContext {
  const patient = { reference: 'Patient/p-123', name: 'Maria Lopez', birthDate: '1967-03-02', gender: 'female', ...over };
  return {
    problems: CONDITIONS.map((c) => c.display),
    conditions: CONDITIONS,
    medications: ['Metformin 500 MG Oral Tablet', 'Lisinopril 10 MG Oral Tablet'],
    // As app/encounter passes it: the chart's sex for pronouns only when it is female or male.
    ...(patient.gender === 'female' || patient.gender === 'male' ? { sex: patient.gender } : {}),
    patient,
    visitDate,
  };
}

async function opening(transcript: Transcript, context?: DraftContext): Promise<{ draft: Draft; first: DraftSentence }> {
  const draft = Draft.parse(await drafter.draft({ transcript, ...(context ? { context } : {}) }));
  const first = draft.sections.find((s) => s.id === 'hpi')!.sentences[0]!;
  return { draft, first };
}

describe('the history opening takes from the chart what the visit does not say', () => {
  it('states the chart age (on the visit day), sex and name, and cites each to the chart', async () => {
    const transcript = parseTranscriptText(FOLLOW_UP);
    const { draft, first } = await opening(transcript, chartContext());
    // The visit follows up both; the diabetes plan carries the A1c said as "seven point two" (decision 0213).
    expect(first.text).toBe(
      'Maria Lopez is a 58-year-old female who presents for follow-up of diabetes mellitus and essential hypertension.',
    );
    expect(first.evidence).toEqual(['s1']);
    expect(first.chart).toEqual([
      { source: 'Patient/p-123#birthDate', value: '1967-03-02', asOf: '2026-02-10' },
      { source: 'Patient/p-123#gender', value: 'female' },
      { source: 'Condition/c1#code', value: 'Type 2 diabetes mellitus without complications' },
      { source: 'Condition/c2#code', value: 'Essential hypertension' },
      { source: 'Patient/p-123#name', value: 'Maria Lopez' },
    ]);
    // The whole draft passes the guard it was drafted under (what app/style and the core check again).
    expect(await drafter.check(draft, transcript)).toEqual([]);
    // The age is the age on the visit day: on her birthday she is a year older; the day of drafting does not matter.
    expect((await opening(transcript, chartContext({}, '2026-03-02'))).first.text).toMatch(/^Maria Lopez is a 59-year-old female/);
    expect((await opening(transcript, chartContext({}, '2026-03-01'))).first.text).toMatch(/^Maria Lopez is a 58-year-old female/);
  });

  it('names chart problems the visit addresses as history, and none it does not', async () => {
    const transcript = parseTranscriptText(KNEE);
    const { draft, first } = await opening(transcript, chartContext());
    expect(first.text).toBe(
      'Maria Lopez is a 58-year-old female with a history of essential hypertension and osteoarthritis of left knee who presents for left knee pain.',
    );
    // Diabetes and hypothyroidism are on the chart, but this visit does not address them.
    expect(first.text).not.toMatch(/diabetes|hypothyroidism/i);
    expect(first.chart?.map((c) => c.source)).toEqual([
      'Patient/p-123#birthDate',
      'Patient/p-123#gender',
      'Condition/c2#code',
      'Condition/c3#code',
      'Patient/p-123#name',
    ]);
    // The turns that address each problem are cited with the chart.
    const turns = new Map(transcript.segments.map((s) => [s.id, s.text]));
    expect(first.evidence.map((id) => turns.get(id)).join(' ')).toMatch(/hypertension/);
    expect(first.evidence.map((id) => turns.get(id)).join(' ')).toMatch(/left knee/);
    expect(await drafter.check(draft, transcript)).toEqual([]);
  });

  it('keeps the age said in the visit over the chart', () => {
    const said = utterancesOf(parseTranscriptText("[doctor] she's a 61-year-old female here for her knee ."));
    const composed = historyOpening(
      said,
      SHE,
      { text: 'Left knee pain.', evidence: ['s1'] },
      {
        chart: { patient: 'Patient/p-123', name: 'Maria Lopez', sex: 'female', birthDate: '1967-03-02', asOf: '2026-02-10' },
      },
    );
    expect(composed?.text).toBe('Maria Lopez is a 61-year-old female who presents for left knee pain.');
    expect(composed?.chart.map((c) => c.source)).toEqual(['Patient/p-123#name']);
    expect(composed?.evidence).toEqual(['s1']);
  });

  it('keeps a dictated opening in the visit as it is, without the chart', async () => {
    const transcript = parseTranscriptText(
      `[doctor] mrs. lopez is a 61-year-old female who presents today for follow-up of her diabetes .\n${FOLLOW_UP}`,
    );
    const { draft, first } = await opening(transcript, chartContext());
    expect(first.text).toMatch(/61-year-old female/);
    expect(draft.sections.flatMap((s) => s.sentences).some((s) => s.chart?.length)).toBe(false);
  });

  it('leaves the draft as it was without a chart', async () => {
    const transcript = parseTranscriptText(FOLLOW_UP);
    const { draft, first } = await opening(transcript);
    expect(first).toEqual({ text: 'The patient presents for follow-up of diabetes and hypertension.', evidence: ['s1'] });
    // Only the chart's problems and medicines (no patient): same draft as none at all, nothing cited to the chart.
    const problemsOnly = await drafter.draft({ transcript, context: { problems: ['Essential hypertension'], medications: [] } });
    expect(problemsOnly.sections.flatMap((s) => s.sentences).some((s) => s.chart)).toBe(false);
    expect(JSON.stringify(draft).includes('"chart"')).toBe(false);
    for (const e of aciTrain().slice(0, 5)) {
      const aci = await drafter.draft({ transcript: parseTranscriptText(e.dialogue) });
      expect(aci.sections.flatMap((s) => s.sentences).some((s) => s.chart)).toBe(false);
    }
  });

  it('uses no chart fact it cannot stand behind', async () => {
    const transcript = parseTranscriptText(FOLLOW_UP);
    // A birth year alone gives no age; a placeholder or odd name is not written; "other" says no sex.
    const partial = await opening(transcript, chartContext({ birthDate: '1967', name: 'Unknown patient', gender: 'other' }));
    expect(partial.first.text).toBe('The patient presents for follow-up of diabetes mellitus and essential hypertension.');
    expect(partial.first.chart).toEqual([
      { source: 'Condition/c1#code', value: 'Type 2 diabetes mellitus without complications' },
      { source: 'Condition/c2#code', value: 'Essential hypertension' },
    ]);
    // A reference no citation can carry (not a FHIR id) is not cited, and nothing from it is written.
    const odd = await opening(transcript, {
      ...chartContext({ reference: 'Patient/a b#c' }),
      conditions: [{ reference: 'Condition/x y', display: 'Essential hypertension' }],
    });
    // (The chart's sex still sets the words "a female", uncited, as it did before chart citations.)
    expect(odd.first).toEqual({
      text: 'The patient is a female who presents for follow-up of diabetes mellitus and essential hypertension.',
      evidence: ['s1'],
    });
    const hostile = await opening(transcript, chartContext({ name: '<img src=x onerror=alert(1)>' }));
    expect(hostile.first.text).toMatch(/^The patient is a 58-year-old female/);
    expect(usableChartName("Anne-Marie O'Neil Jr.")).toBe("Anne-Marie O'Neil Jr.");
    // A child under 2 is not aged in years from the chart.
    expect((await opening(transcript, chartContext({ birthDate: '2025-06-01' }))).first.text).toMatch(/^Maria Lopez is a female/);
    expect(ageOn('1967-03-02', '2026-03-01')).toBe(58);
    expect(ageOn('1967-03-02', '2026-03-02')).toBe(59);
    expect(ageOn('2030-01-01', '2026-03-02')).toBeNull();
    expect(ageOn('1967-13-40', '2026-03-02')).toBeNull();
  });
});

describe('the evidence guard and chart citations', () => {
  const transcript: Transcript = {
    engine: 'test',
    segments: [
      { id: 'a', start: 0, end: 4, speaker: 'clinician', text: "we're here to follow up on your blood pressure" },
      { id: 'b', start: 4, end: 8, speaker: 'clinician', text: 'your knee looks better' },
    ],
  };
  const born: ChartCitation = { source: 'Patient/p-123#birthDate', value: '1967-03-02', asOf: '2026-02-10' };
  const female: ChartCitation = { source: 'Patient/p-123#gender', value: 'female' };
  const name: ChartCitation = { source: 'Patient/p-123#name', value: 'Maria Lopez' };
  const segments = new Map(transcript.segments.map((s) => [s.id, s.text]));
  const defects = (text: string, evidence: string[], chart: ChartCitation[]) =>
    sentenceDefects({ text, evidence, chart }, segments, lexicon).map((d) => `${d.kind}:${d.value}`);

  it('accepts the age, sex and name the chart gives, with or without a cited turn', () => {
    expect(defects('Maria Lopez is a 58-year-old female.', [], [born, female, name])).toEqual([]);
    expect(defects('Maria Lopez is a 58-year-old female who presents for follow-up of hypertension.', ['a'], [born, female, name])).toEqual(
      [],
    );
    // A problem's name, its number and its side come from the chart's problem.
    const dm: ChartCitation = { source: 'Condition/c1#code', value: 'Type 2 diabetes mellitus' };
    const oa: ChartCitation = { source: 'Condition/c3#code', value: 'Osteoarthritis of left knee' };
    expect(defects('She has a history of type 2 diabetes mellitus and osteoarthritis of left knee.', ['b'], [dm, oa])).toEqual([]);
  });

  it('still flags what neither the chart nor the turns say', () => {
    // A number in no turn and no chart fact; a drug; a side.
    expect(defects('Maria Lopez is a 58-year-old female with 3 weeks of pain.', ['a'], [born, female, name])).toEqual(['number:3']);
    expect(defects('Maria Lopez is a 58-year-old female on lisinopril.', ['a'], [born, name, female])).toEqual(['drug:lisinopril']);
    expect(defects('Maria Lopez is a female with right knee pain.', ['b'], [female, name])).toEqual(['laterality:right']);
    // The birth date supports the age on the visit day only, not its own digits or another age.
    expect(defects('Maria Lopez is a 59-year-old female.', [], [born, female, name])).toEqual([
      'chart:Patient/p-123#birthDate',
      'number:59',
    ]);
    expect(defects('Maria Lopez, born 1967.', [], [born, name])).toEqual(['chart:Patient/p-123#birthDate', 'number:1967']);
    // A citation the sentence does not bear out: the chart says female; a citation of no known kind; no asOf.
    expect(defects('Maria Lopez is a male.', [], [female, name])).toEqual(['chart:Patient/p-123#gender']);
    expect(defects('The patient is a female.', [], [{ source: 'Observation/o1#value', value: 'female' }])).toEqual([
      'chart:Observation/o1#value',
    ]);
    expect(defects('The patient is a 58-year-old.', [], [{ source: 'Patient/p-123#birthDate', value: '1967-03-02' }])).toEqual([
      'chart:Patient/p-123#birthDate',
      'number:58',
    ]);
    // No turn and no chart fact: nothing to stand on.
    expect(defects('The patient is well.', [], [])).toEqual(['no_evidence:']);
  });

  it('checks chart citations in whole drafts, and edited sections stay the clinician own words', () => {
    const sentence: DraftSentence = { text: 'Maria Lopez is a 60-year-old female.', evidence: [], chart: [born, female, name] };
    const draft: Draft = {
      template: 'general-visit',
      engine: 'builtin',
      engineVersion: 'test',
      generatedAt: '2026-02-10T12:00:00.000Z',
      version: 1,
      sections: [{ id: 'hpi', title: 'History', text: sentence.text, sentences: [sentence], edited: false }],
    };
    expect(findEvidenceDefects(draft, transcript, lexicon).map((d) => d.kind)).toEqual(['chart', 'number']);
    expect(findEvidenceDefects({ ...draft, sections: [{ ...draft.sections[0]!, edited: true }] }, transcript, lexicon)).toEqual([]);
    // A draft stored before chart citations existed still reads.
    const stored = { ...draft, sections: [{ ...draft.sections[0]!, sentences: [{ text: 'x', evidence: ['a'] }] }] };
    expect(Draft.parse(stored).sections[0]!.sentences[0]!.chart).toBeUndefined();
  });
});
