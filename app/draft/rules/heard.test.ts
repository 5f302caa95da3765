import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Transcript } from '../../contract/index.ts';
import { REPO } from '../../../testing/draft/datasets.ts';
import { loadDrugLexicon, loadTermList } from '../drug-names.ts';
import { Heard } from './heard.ts';
import { spokenClauses } from './sentences.ts';

// Turns as Debian pocketsphinx recognized flite/espeak-ng speech of a short visit (word:confidence, as the recognizer
// gave them; app/draft/recognized-speech.test.ts runs the recognizer itself), and sentences the drafter wrote from them.
const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));
const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

function recognized(...turns: string[]): Transcript {
  return {
    engine: 'sphinx',
    segments: turns.map((turn, i) => {
      const words = turn.split(/\s+/).map((w) => {
        const [word = '', confidence = '1'] = w.split(':');
        return { word, confidence: Number(confidence), start: i, end: i + 0.5 };
      });
      return { id: `s${i}`, start: i, end: i + 1, text: words.map((w) => w.word).join(' '), words };
    }),
  };
}

// flite kal16: "we will start lisinopril ten milligrams daily and see her again in two weeks"
const KAL16_PLAN =
  "we:1.00 will:0.67 start:0.95 lisinopril:1.00 don't:0.27 milligrams:0.84 daily:1.00 and:0.90 see:0.86 her:0.17 again:0.20 in:0.63 two:0.99 weeks:1.00";
// flite awb: the same visit, "ten" heard with low confidence and the blood pressure's "hundred" too.
const AWB =
  'the:0.96 patient:0.98 has:0.98 had:0.97 a:0.75 bad:1.00 headache:0.85 for:0.50 three:0.99 days:1.00 she:1.00 has:0.47 no:0.95 fever:0.21 and:0.35 your:0.15 blood:1.00 pressure:1.00 today:0.11 is:0.69 one:0.66 hundred:0.43 forty:1.00 over:0.74 ninety:1.00 sort:0.01 of:0.15 high:0.36 blood:0.99 pressure:1.00 we:1.00 will:0.58 start:0.70 lisinopril:0.85 ten:0.23 milligrams:1.00 daily:1.00 and:0.84 see:0.98 her:0.09 again:0.70 in:0.45 two:0.84 weeks:1.00';

describe('what the recognizer heard (decision 0200)', () => {
  it('leaves out a dose whose number is not a number ("lisinopril don\'t milligrams daily") and keeps what was heard', () => {
    const heard = new Heard(recognized(KAL16_PLAN), lexicon);
    expect(heard.check("Start lisinopril don't milligrams daily.", ['s0'], find)).toBe('Start lisinopril.');
    expect(heard.check('Start lisinopril do not milligrams daily.', ['s0'], find)).toBe('Start lisinopril.');
    expect(heard.check('Follow up in 2 weeks.', ['s0'], find)).toBe('Follow up in 2 weeks.');
  });

  it('leaves out a dose the recognizer was unsure of, and a parenthesis holding an unsure reading', () => {
    const heard = new Heard(recognized(AWB), lexicon);
    expect(heard.check('Start lisinopril 10 mg daily.', ['s0'], find)).toBe('Start lisinopril.');
    expect(heard.check('Start lisinopril 10 mg daily and see her again in 2 weeks.', ['s0'], find)).toBe(
      'Start lisinopril and see her again in 2 weeks.',
    );
    // "one hundred forty" with "hundred" at 0.43: the reading goes, the problem stays.
    expect(heard.check('Essential hypertension (BP 140/90 mmHg).', ['s0'], find)).toBe('Essential hypertension.');
    expect(heard.check('Blood pressure 140/90 mmHg.', ['s0'], find)).toBeNull();
    // "fever" at 0.21: a finding the recognizer was unsure of is not stated.
    expect(heard.check('She has no fever.', ['s0'], find)).toBeNull();
    expect(heard.check('The patient has had a bad headache for 3 days.', ['s0'], find)).toBe(
      'The patient has had a bad headache for 3 days.',
    );
  });

  it('keeps an unsure dose the visit confirms with confidence, and repairs a garbled one only from the visit’s one dose', () => {
    const confirmed = new Heard(
      recognized(AWB, 'so:1.00 lisinopril:0.95 ten:0.97 milligrams:0.99 daily:1.00 starting:0.90 today:0.80'),
      lexicon,
    );
    expect(confirmed.check('Start lisinopril 10 mg daily.', ['s0'], find)).toBe('Start lisinopril 10 mg daily.');
    const repaired = new Heard(recognized(KAL16_PLAN, 'lisinopril:0.95 ten:0.97 milligrams:0.99 daily:1.00'), lexicon);
    expect(repaired.check("Start lisinopril don't milligrams daily.", ['s0'], find)).toBe('Start lisinopril 10 mg daily.');
    // Two doses of the drug in the visit (the old and the new): a garbled one is not guessed.
    const twoDoses = new Heard(
      recognized(KAL16_PLAN, 'lisinopril:0.95 ten:0.97 milligrams:0.99', 'lisinopril:0.95 twenty:0.97 milligrams:0.99'),
      lexicon,
    );
    expect(twoDoses.check("Start lisinopril don't milligrams daily.", ['s0'], find)).toBe('Start lisinopril.');
    // An unsure 10 is not confirmed by a confident 20.
    const other = new Heard(recognized(AWB, 'increase:1.00 lisinopril:0.95 to:0.90 twenty:0.97 milligrams:0.99'), lexicon);
    expect(other.check('Start lisinopril 10 mg daily.', ['s0'], find)).toBe('Start lisinopril.');
  });

  it('leaves an unsure frequency out of a dose heard with confidence', () => {
    // flite kal16: "... increase the lisinopril to twenty milligrams once a day and grease metformin ..."
    const heard = new Heard(
      recognized('i:0.70 will:1.00 increase:1.00 the:0.72 lisinopril:1.00 to:0.59 twenty:0.99 milligrams:0.82 once:0.05 a:0.04 day:0.04'),
      lexicon,
    );
    expect(heard.check('Increase lisinopril to 20 mg once a day.', ['s0'], find)).toBe('Increase lisinopril to 20 mg.');
  });

  it('leaves garbled recognizer output out of the note', () => {
    // espeak-ng speech of "the patient has had a bad headache ..." as pocketsphinx heard it.
    const espeak = new Heard(
      recognized(
        "but:0.12 utah's:0.01 the:0.87 bond:0.01 every:0.02 color:0.20 free:0.35 to:0.76 use:0.27 it:0.06",
        'the:0.61 blonde:0.00 pressure:0.01 to:0.94 do:0.91 is:0.07 walk:0.00 on:0.74 party:0.66 or:0.36 like:0.10 the:0.13',
        'really:1.00 and:0.21 the:0.88 gun:0.01 in:0.05 two:0.28 weeks:0.97',
      ),
      lexicon,
    );
    expect(espeak.check("Utah's the bond every color free to use it.", ['s0'], find)).toBeNull();
    expect(espeak.check('The blonde pressure to do is walk on party.', ['s1'], find)).toBeNull();
    expect(espeak.check('The gun in 2 weeks.', ['s2'], find)).toBeNull();
    // flite slt: "... i feel fine most days piling crease the lisinopril to twenty milligrams once a day ..."
    const slt = new Heard(
      recognized(
        'i:0.86 feel:1.00 fine:0.75 most:0.57 days:0.93 piling:0.31 crease:0.04 the:0.36 lisinopril:1.00 to:0.89 twenty:0.99 milligrams:1.00 once:0.83 a:0.10 day:0.10',
        'go:0.26 back:0.27 on:0.27 salt:0.23 and:0.79 walk:0.51 thirty:1.00 minutes:0.99 a:0.21 day:0.36',
        "good:0.64 morning:1.00 don't:0.30 don't:0.09",
      ),
      lexicon,
    );
    expect(slt.check('Fine most days piling crease the lisinopril to 20 mg once a day.', ['s0'], find)).toBeNull();
    // "cut back on salt" heard as "go back on salt": the garbled item goes, the one heard stays.
    expect(slt.check('Go back on salt and walk 30 minutes a day.', ['s1'], find)).toBe('Walk 30 minutes a day.');
    expect(slt.check('Morning do not.', ['s2'], find)).toBeNull();
  });

  it('keeps each plan item of a run-on turn that was heard, and reads "and 3 months" at the end as "in 3 months"', () => {
    // flite awb: "... i will increase the lisinopril to twenty milligrams once a day and increase metformin to one
    // thousand milligrams twice a day cut back on salt ..." heard as "... twice a day cut back on so".
    const heard = new Heard(
      recognized(
        'i:1.00 will:0.73 increase:1.00 the:0.95 lisinopril:0.91 to:0.43 twenty:1.00 milligrams:1.00 once:0.57 a:0.13 day:0.16 and:0.89 increase:0.77 metformin:1.00 to:0.47 one:0.93 thousand:1.00 milligrams:0.84 twice:1.00 a:0.88 day:0.91 cut:0.02 back:1.00 on:0.66 so:1.00',
        'go:0.26 back:0.27 on:0.27 salt:0.23 and:0.79 walk:0.51 thirty:1.00 minutes:0.99 a:0.21 day:0.36 we:1.00 will:0.52 repeat:0.90 the:0.98 basic:0.97 metabolic:1.00 panel:1.00 and:0.55 three:1.00 months:1.00',
      ),
      lexicon,
    );
    expect(
      heard.checkParts(
        'Increase lisinopril to 20 mg once a day and increase metformin to 1000 mg twice a day cut back on so.',
        ['s0'],
        find,
      ),
    ).toEqual(['Increase lisinopril to 20 mg once a day.', 'Increase metformin to 1000 mg twice a day.']);
    expect(heard.check('Repeat the basic metabolic panel and 3 months.', ['s1'], find)).toBe(
      'Repeat the basic metabolic panel in 3 months.',
    );
  });

  it('leaves out a frequency that is no interval and a closing phrase whose last word was unsure', () => {
    // flite awb: "... take acetaminophen five hundred milligrams every six hours as needed" heard as "every success".
    const awb = new Heard(
      recognized(
        'she:1.00 should:1.00 rest:0.89 and:0.41 drink:1.00 fluids:0.56 and:0.72 take:1.00 acetaminophen:1.00 five:1.00 hundred:0.97 milligrams:0.78 every:0.57 success:0.78 as:0.67 needed:0.61',
      ),
      lexicon,
    );
    expect(awb.check('Take acetaminophen 500 mg every success as needed.', ['s0'], find)).toBe('Take acetaminophen 500 mg as needed.');
    // flite slt: "... three times a day with food ..." heard as "with it" (0.09).
    const slt = new Heard(
      recognized(
        'we:1.00 will:1.00 start:1.00 ibuprofen:1.00 four:0.98 hundred:0.77 milligrams:1.00 three:0.98 times:0.99 a:0.51 day:1.00 with:0.87 it:0.09 and:0.68 get:0.95',
      ),
      lexicon,
    );
    expect(slt.check('Start ibuprofen 400 mg 3 times a day with it.', ['s0'], find)).toBe('Start ibuprofen 400 mg 3 times a day.');
  });

  it('takes turns without word confidences (typed, imported, or ACI-Bench transcripts) as said', () => {
    const typed: Transcript = {
      engine: 'text',
      segments: [{ id: 's0', start: 0, end: 1, text: "start lisinopril don't milligrams daily" }],
    };
    const heard = new Heard(typed, lexicon);
    expect(heard.empty).toBe(true);
    expect(heard.check("Start lisinopril don't milligrams daily.", ['s0'], find)).toBe("Start lisinopril don't milligrams daily.");
  });
});

describe('unpunctuated recognizer turns cut into clauses (decision 0200)', () => {
  it('cuts at a possessive reading and keeps a problem lead with the plan it opens', () => {
    // pocketsphinx, flite slt, of the e2e visit's speech (one turn, no punctuation, no speaker).
    const heard =
      "the patient has had a bad headache for three days and she has no fever their blood pressure today's one hundred forty over ninety for your high blood pressure we will start lisinopril ten milligrams daily and see her again in two weeks";
    expect(spokenClauses(heard)).toEqual([
      'the patient has had a bad headache for three days',
      'and she has no fever',
      "their blood pressure today's one hundred forty over ninety",
      'for your high blood pressure we will start lisinopril ten milligrams daily and see her again in two weeks',
    ]);
  });
});
