import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf, withCutsAtWords } from '../utterances.ts';
import { noteSentences, spokenClauses } from './sentences.ts';

/**
 * Clinician clauses the run-on splitter used to cut out of the note (the "clinician cut" misses), on real ACI-Bench train
 * turns (decisions 0240-0241), with the lines that must still be cut or left out.
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const find = (t: string): string[] => terms.find(t).map((x) => x.name);
const SHE = { subject: 'she', possessive: 'her', object: 'her' };

function written(line: string): string[] {
  return withCutsAtWords(utterancesOf(parseTranscriptText(line))).flatMap((u) => noteSentences(u, SHE, find).map((s) => s.text));
}

describe('a filler said inside a phrase (decision 0240)', () => {
  it('starts no clause, so the finding before it keeps its part', () => {
    const line = aciLine('D2N017', /you do n't seem to have any pain or tenderness with flexion or extension of your um your lower leg/);
    const out = written(`[doctor] ${line}`);
    expect(out.some((s) => /pain or tenderness with flexion or extension of her lower leg\.$/.test(s))).toBe(true);
    expect(out).not.toContain('Musculoskeletal: Her lower leg.');
  });

  it('still cuts where a filler opens a new clause after a whole one', () => {
    const clauses = spokenClauses(
      'your lungs are clear and your heart sounds good there is no swelling in your legs um we are going to keep the lisinopril at ten milligrams',
    );
    expect(clauses.some((c) => /^um we are going to keep the lisinopril/.test(c))).toBe(true);
  });
});

describe('an exam named as the subject of what it found (decision 0241)', () => {
  const line = aciLine('D2N066', /your neck exam has no jvd there is no bruits that i can hear your lung exam no rales/);

  it('starts a finding of its own, even after a verb, and heads it as a label', () => {
    const clauses = spokenClauses(line);
    expect(clauses).toContain('your lung exam no rales no wheezing');
    const out = written(`[doctor] ${line}`);
    expect(out).toContain('Lung: No rales or wheezing.');
    // "exactly so your neck exam has no jvd": the agreement word before it is no part of the note.
    expect(out).toContain('Neck: No jvd.');
    expect(out.some((s) => /^Exactly\b/.test(s))).toBe(false);
    // What was said after it in the same turn is kept as before.
    expect(out.some((s) => /^Heart: 2 over six systolic ejection murmur\.$/.test(s))).toBe(true);
  });

  it('does not cut where the exam is only named ("i will do your knee exam", "your exam is the same")', () => {
    const named = spokenClauses(
      'so i am going to go ahead and take a look at it now and i will do your knee exam now and see how it moves for you today',
    );
    expect(named.some((c) => /^your knee exam/.test(c))).toBe(false);
    const same = spokenClauses(
      'that they were compared bilaterally and they are yeah your your exam is the same bilaterally so that that is an important thing to note',
    );
    expect(same.some((c) => /^your exam is the same/.test(c) && /no\s/.test(c))).toBe(false);
  });
});

describe("an order said with the clinician's own reassurance after it (decision 0242)", () => {
  it('is written as the order', () => {
    const endoscopy = written(`[doctor] ${aciLine('D2N062', /schedule you for an upper endoscopy just to be sure/)}`);
    expect(endoscopy).toContain('Schedule for an upper endoscopy.');
    expect(endoscopy.some((s) => /missing anything/.test(s))).toBe(false);
    const ultrasound = written(
      `[doctor] ${aciLine('D2N035', /order a renal artery ultrasound just to be sure we're not missing anything/)}`,
    );
    expect(ultrasound).toContain('Order a renal artery ultrasound.');
  });

  it('keeps a purpose that is about the patient ("to make sure that you do not have any disc herniation")', () => {
    const out = written("[doctor] i want to order an mri of your lumbar spine just to make sure that you do n't have any disc herniation");
    expect(out.some((s) => /^Order an mri of lumbar spine to make sure .*disc herniation\.$/.test(s))).toBe(true);
  });
});

describe('a lead that only says the clinician is looking or moving on (decision 0243)', () => {
  it('is dropped, so the finding or order after it is written', () => {
    const knee = written(`[doctor] ${aciLine('D2N061', /the first thing i'm looking at is i do see some ecchymosis/)}`);
    expect(knee).toContain('There is some ecchymosis.');
    expect(knee).toContain('There is fluid in the knee.');
    const plan = written(`[doctor] ${aciLine('D2N058', /so that said i want you to go ahead and continue continue your lisinopril/)}`);
    expect(plan).toContain('Advised to continue her lisinopril 20 mg a day.');
  });

  it('leaves what the patient says they see as their report', () => {
    const out = written(
      '[doctor] any changes in your vision\n[patient] i can see that my right eye is blurry when i read the paper at night',
    );
    expect(out.some((s) => /^There is\b/.test(s))).toBe(false);
  });
});
