import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciTrain, REPO } from '../../../testing/draft/datasets.ts';
import { loadDrugLexicon, loadTermList } from '../drug-names.ts';
import { sentenceDefects } from '../evidence-guard.ts';
import { numbersIn } from '../text.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf, withCutsAtWords } from '../utterances.ts';
import { dosesIn } from './medication.ts';
import { cleanSpoken } from './note-style.ts';
import { noteSentences } from './sentences.ts';

/**
 * An unpunctuated clinician turn that holds the exam and then the plan (train D2N066): the plan's orders reach the
 * note. The stuttered dose ("five hundred five hundred milligrams") is read once by the evidence guard as by the
 * writer, and a restarted preposition ("refer you to for for physical therapy") does not lose the referral (decision 0244).
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));
const find = (t: string): string[] => terms.find(t).map((x) => x.name);
const HE = { subject: 'he', possessive: 'his', object: 'him' };

describe('a number said twice over (decision 0244)', () => {
  it('is one number, not the two read as one', () => {
    expect(numbersIn('naprosyn five hundred five hundred milligrams twice a day')).toEqual(['500']);
    expect(dosesIn('naprosyn five hundred five hundred milligrams twice a day')).toEqual(['500 mg']);
    // Numbers that differ are both read; a single number is unchanged.
    expect(numbersIn('five hundred milligrams or two hundred fifty milligrams')).toEqual(['500', '250']);
    expect(numbersIn('one twenty over seventy')).toContain('120');
  });
});

describe('a restarted preposition ("to for") (decision 0244)', () => {
  it('keeps the one meant', () => {
    expect(cleanSpoken("i'm gon na refer you to for for physical therapy")).toMatch(/refer you for physical therapy/);
    // "to" before anything else is left alone.
    expect(cleanSpoken('i want you to go to physical therapy')).toMatch(/go to physical therapy/);
  });
});

describe('a discourse lead before an order ("so that said") (decision 0245)', () => {
  it('is left out, so the order is written', () => {
    const line = aciLine('D2N058', /that said i want you to go ahead and continue continue your lisinopril/);
    const sentences = withCutsAtWords(utterancesOf(parseTranscriptText(`[doctor] ${line}`))).flatMap((u) =>
      noteSentences(u, HE, find).map((s) => s.text),
    );
    expect(sentences).toContain('Advised to continue his lisinopril 20 mg a day.');
    expect(cleanSpoken('that said the plan is fine')).toBe('the plan is fine');
  });
});

describe('an exam dictated part by part without "on" ("... that i can hear your lung exam no rales") (decision 0246)', () => {
  it('starts a labelled finding of its own, and a leading "exactly" is left out', () => {
    const line = aciLine('D2N066', /your lung exam no rales no wheezing/);
    const sentences = withCutsAtWords(utterancesOf(parseTranscriptText(`[doctor] ${line}`))).flatMap((u) =>
      noteSentences(u, HE, find).map((s) => s.text),
    );
    expect(sentences.some((s) => /^Lung: No rales\b/.test(s))).toBe(true);
    // "your neck exam has no jvd" is read like "on your neck exam" and labelled (decision 0241).
    expect(sentences).toContain('Neck: No jvd.');
    expect(sentences.some((s) => /^Exactly\b/i.test(s))).toBe(false);
  });
});

describe('the plan of a turn that also holds the exam (decision 0244)', () => {
  it('writes the medication order with its dose and the referral, and the guard accepts them', () => {
    const line = aciLine('D2N066', /naprosyn five hundred five hundred milligrams/);
    const transcript = parseTranscriptText(`[doctor] ${line}`);
    const segment = transcript.segments[0]!;
    const sentences = withCutsAtWords(utterancesOf(transcript)).flatMap((u) => noteSentences(u, HE, find));
    const texts = sentences.map((s) => s.text);
    expect(texts).toContain('Start anti-inflammatory naprosyn 500 mg twice a day.');
    expect(texts.some((t) => /^Refer for physical therapy\b/.test(t))).toBe(true);
    const segments = new Map([[segment.id, segment.text]]);
    for (const s of sentences.filter((x) => /naprosyn|physical therapy/i.test(x.text)))
      expect(sentenceDefects(s, segments, lexicon)).toEqual([]);
  });

  it('exists in the training split as quoted', () => {
    expect(aciTrain().some((e) => e.dialogue.includes('five hundred five hundred milligrams'))).toBe(true);
  });
});
