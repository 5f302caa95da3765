import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Draft, Transcript } from '../contract/index.ts';
import { ScribeError } from '../contract/index.ts';
import { loadDrugLexicon } from './drug-names.ts';
import { assertDraftSupported, findEvidenceDefects, reviewModelSentence } from './evidence-guard.ts';
import { DrugLexicon } from './rules/medication.ts';
import { createDrafter, parseTranscriptText } from './index.ts';
import { aciTrain, REPO } from '../../testing/draft/datasets.ts';

const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));

const transcript: Transcript = {
  engine: 'test',
  segments: [
    { id: 'a', start: 0, end: 4, speaker: 'patient', text: 'my left knee has been hurting for two weeks' },
    { id: 'b', start: 4, end: 9, speaker: 'clinician', text: "i'm going to prescribe meloxicam fifteen milligrams once a day" },
    { id: 'c', start: 9, end: 12, speaker: 'clinician', text: 'your blood pressure is one twenty over eighty' },
  ],
};

function draftWith(text: string, evidence: string[], edited = false): Draft {
  return {
    template: 'general-visit',
    engine: 'builtin',
    engineVersion: 'test',
    generatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    sections: [{ id: 'assessment_plan', title: 'Assessment and plan', text, sentences: [{ text, evidence }], edited }],
  };
}

describe('evidence guard', () => {
  it('accepts sentences whose numbers, drug, dose and side are in their evidence (spoken or written numbers)', () => {
    expect(findEvidenceDefects(draftWith('Prescribed meloxicam 15 mg once a day.', ['b']), transcript, lexicon)).toEqual([]);
    expect(findEvidenceDefects(draftWith('Left knee pain for 2 weeks.', ['a']), transcript, lexicon)).toEqual([]);
    expect(findEvidenceDefects(draftWith('Blood pressure 120/80 mmHg.', ['c']), transcript, lexicon)).toEqual([]);
  });

  it('rejects a dose the transcript never states', () => {
    const defects = findEvidenceDefects(draftWith('Prescribed meloxicam 7.5 mg once a day.', ['b']), transcript, lexicon);
    expect(defects.map((d) => [d.kind, d.value])).toEqual(
      expect.arrayContaining([
        ['number', '7.5'],
        ['dose', '7.5 mg'],
      ]),
    );
    expect(() => assertDraftSupported(draftWith('Prescribed meloxicam 7.5 mg once a day.', ['b']), transcript, lexicon)).toThrow(
      ScribeError,
    );
  });

  it('rejects a drug, a side or a number found only in another segment, or no evidence at all', () => {
    expect(findEvidenceDefects(draftWith('Started lisinopril.', ['b']), transcript, lexicon)).toMatchObject([
      { kind: 'drug', value: 'lisinopril' },
    ]);
    expect(findEvidenceDefects(draftWith('Right knee pain.', ['a']), transcript, lexicon)).toMatchObject([
      { kind: 'laterality', value: 'right' },
    ]);
    expect(findEvidenceDefects(draftWith('Meloxicam for 2 weeks.', ['b']), transcript, lexicon)).toMatchObject([
      { kind: 'number', value: '2' },
    ]);
    expect(findEvidenceDefects(draftWith('Knee pain.', []), transcript, lexicon)).toMatchObject([{ kind: 'no_evidence' }]);
    expect(findEvidenceDefects(draftWith('Knee pain.', ['zz']), transcript, lexicon)).toMatchObject([
      { kind: 'unknown_segment', value: 'zz' },
    ]);
  });

  it('leaves sections a person edited to the person', () => {
    expect(findEvidenceDefects(draftWith('Meloxicam 7.5 mg daily.', [], true), transcript, lexicon)).toEqual([]);
  });

  it('passes every draft the drafter makes of real visits', async () => {
    const drafter = createDrafter({ engine: 'builtin' });
    for (const e of aciTrain().slice(0, 8)) {
      const t = parseTranscriptText(e.dialogue);
      const draft = await drafter.draft({ transcript: t });
      expect(await drafter.check(draft, t)).toEqual([]);
      const sentences = draft.sections.flatMap((s) => s.sentences);
      expect(sentences.length).toBeGreaterThan(10);
      for (const s of sentences) expect(s.evidence.length).toBeGreaterThan(0);
    }
  });

  it('the drafter assertion rejects a tampered draft', async () => {
    const drafter = createDrafter({ engine: 'builtin' });
    const t = parseTranscriptText(aciTrain()[0]!.dialogue);
    const draft = await drafter.draft({ transcript: t });
    const plan = draft.sections.find((s) => s.id === 'assessment_plan')!;
    plan.sentences.push({ text: 'Increase lisinopril to 80 mg daily.', evidence: [plan.sentences[0]!.evidence[0]!] });
    await expect(drafter.assertSupported(draft, t)).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('guard around a language model', () => {
  const segments = new Map([
    ['s1', 'I have had a headache on the left side for 3 days.'],
    ['s2', 'I take ibuprofen 400 mg twice a day.'],
  ]);
  const lexicon = new DrugLexicon(['ibuprofen', 'lisinopril']);
  const terms = new DrugLexicon(['headache', 'migraine', 'ibuprofen']);

  it('drops a sentence citing no turn or a turn that does not exist', () => {
    expect(reviewModelSentence({ text: 'Headache.', evidence: [] }, segments, lexicon, terms)).toEqual({
      keep: false,
      reason: 'cites no transcript turn',
    });
    expect(reviewModelSentence({ text: 'Headache.', evidence: ['turn 9'] }, segments, lexicon, terms)).toEqual({
      keep: false,
      reason: 'cites turn turn 9, which does not exist',
    });
  });

  it('flags numbers, doses, drugs, sides and clinical concepts the cited turns lack', () => {
    expect(reviewModelSentence({ text: 'Left-sided headache for 3 days.', evidence: ['s1'] }, segments, lexicon, terms)).toEqual({
      keep: true,
      flags: [],
    });
    const review = reviewModelSentence(
      { text: 'Right-sided migraine for 5 days; started lisinopril 20 mg.', evidence: ['s1'] },
      segments,
      lexicon,
      terms,
    );
    expect(review.keep && review.flags).toEqual(
      expect.arrayContaining([
        { kind: 'number', value: '5' },
        { kind: 'drug', value: 'lisinopril' },
        { kind: 'laterality', value: 'right' },
        { kind: 'concept', value: 'migraine' },
      ]),
    );
    // A run of digits no one said is named as written, not as 1.1e+29.
    const digits = '1'.repeat(30);
    expect(reviewModelSentence({ text: digits, evidence: ['s1'] }, segments, lexicon, terms)).toEqual({
      keep: true,
      flags: [{ kind: 'number', value: digits }],
    });
    // Ibuprofen is said, but in turn s2, which this sentence does not cite.
    const uncited = reviewModelSentence({ text: 'Takes ibuprofen.', evidence: ['s1'] }, segments, lexicon, terms);
    expect(uncited.keep && uncited.flags).toEqual([{ kind: 'drug', value: 'ibuprofen' }]);
  });
});

describe('recognizer word confidence', () => {
  const w = (word: string, start: number, confidence: number) => ({ word, start, end: start + 0.3, confidence });
  const spoken: Transcript = {
    engine: 'sphinx',
    segments: [
      {
        id: 'u',
        start: 0,
        end: 3,
        speaker: 'clinician',
        text: 'start lisinopril ten milligrams',
        words: [w('start', 0, 0.9), w('lisinopril', 0.4, 0.2), w('ten', 1.2, 0.9), w('milligrams', 1.5, 0.8)],
      },
      {
        id: 'v',
        start: 3,
        end: 6,
        speaker: 'clinician',
        text: 'continue metformin five hundred milligrams twice a day',
        words: ['continue', 'metformin', 'five', 'hundred', 'milligrams', 'twice', 'a', 'day'].map((x, i) => w(x, 3 + i * 0.3, 0.85)),
      },
    ],
  };

  it('refuses a drug name that only an uncertain recognizer word supports', () => {
    const defects = findEvidenceDefects(draftWith('Start lisinopril 10 mg.', ['u']), spoken, lexicon);
    expect(defects.map((d) => [d.kind, d.value])).toEqual([['uncertain_drug', 'lisinopril']]);
    expect(findEvidenceDefects(draftWith('Continue metformin 500 mg twice a day.', ['v']), spoken, lexicon)).toEqual([]);
  });

  it('never drafts a drug from an uncertain word, and keeps the rest of the visit', async () => {
    const draft = await createDrafter({ engine: 'builtin' }).draft({ transcript: spoken });
    const text = draft.sections.flatMap((s) => s.sentences.map((x) => x.text)).join('\n');
    expect(text).not.toMatch(/lisinopril/i);
    expect(text).toMatch(/Continue metformin 500 mg twice a day\./);
  });
});
