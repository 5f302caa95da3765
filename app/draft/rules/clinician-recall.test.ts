import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciTrain, REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf, withRolesSettled } from '../utterances.ts';
import { cleanSpoken } from './note-style.ts';
import { readable } from './readable.ts';
import { noteSentences, spokenClauses } from './sentences.ts';
import { readsAsSpeech } from './voice.ts';

/**
 * Concept recall from what the clinician says (decision 0193), on real ACI-Bench train turns: each rule has cases it
 * must write and cases that must stay out.
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const HE = { subject: 'he', possessive: 'his', object: 'him' };
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

function written(line: string, who = HE): string[] {
  return utterancesOf(parseTranscriptText(line)).flatMap((u) => noteSentences(u, who, find).map((s) => s.text));
}

describe('a visit whose clinician and patient labels are swapped', () => {
  it('swaps back exactly the train visits where the "patient" asks and the "doctor" answers', () => {
    const swapped = aciTrain()
      .filter((e) => {
        const us = utterancesOf(parseTranscriptText(e.dialogue));
        return withRolesSettled(us) !== us;
      })
      .map((e) => e.id);
    expect(swapped).toEqual(['D2N034', 'D2N038', 'D2N056', 'D2N057', 'D2N059']);
  });

  it('then writes the patient history said under the "doctor" label in the third person', () => {
    const e = aciTrain().find((x) => x.id === 'D2N038')!;
    const us = withRolesSettled(utterancesOf(parseTranscriptText(e.dialogue)));
    const said = us.find((u) => /^i have high blood pressure diabetes and depression/.test(u.text))!;
    expect(said.speaker).toBe('patient');
    const out = noteSentences(said, HE, find).map((s) => s.text);
    expect(out.join(' ')).toMatch(/^He has high blood pressure .*diabetes and depression\.$/);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('keeps the labels of a visit where the patient asks a few questions of their own', () => {
    const t = parseTranscriptText(
      [
        '[doctor] how are you feeling today ?',
        '[patient] not great , my knee hurts . is that normal ?',
        '[doctor] it can be . does it swell ?',
        '[patient] yes . should i ice it ?',
        '[doctor] yes , ice it twice a day .',
        '[patient] how long will it take ?',
        '[doctor] a few weeks . any fever ?',
        '[patient] no . can i still run ?',
        '[doctor] not for two weeks . i will order an x-ray of your knee .',
        '[patient] okay . will it hurt ?',
        '[doctor] no . it takes a minute . i will see you back in two weeks .',
        '[patient] thank you . should i call if it gets worse ?',
        '[doctor] yes , call us if the swelling gets worse .',
      ].join('\n'),
    );
    const us = utterancesOf(t);
    expect(us.filter((u) => u.speaker === 'clinician').length).toBeGreaterThanOrEqual(8);
    expect(withRolesSettled(us)).toBe(us);
  });
});

describe('a plan item announced by "what i would like to do is"', () => {
  it('writes the item after the lead', () => {
    expect(written(`[doctor] ${aciLine('D2N022', /what i would recommend what we try is a cortisone injection/)}`)).toContain(
      'Recommend a cortisone injection.',
    );
    const lasix = written(`[doctor] ${aciLine('D2N063', /what i'd like to do is increase your dose of lasix/)}`);
    expect(lasix).toContain('Increase dose of lasix from 20 mg to 60 mg for the next 4 days.');
    expect(written(`[doctor] ${aciLine('D2N033', /what i'm gon na do is i'm gon na put you in a straight leg brace/)}`)).toContain(
      'Place in a straight leg brace.',
    );
    expect(written(`[doctor] ${aciLine('D2N026', /what i would like to do is potentially set you up for an epidural/)}`)).toContain(
      'Arrange an epidural.',
    );
    // "i would like to see you in two weeks" is the next visit, not advice ("Advised to in 2 weeks.").
    expect(written(`[doctor] ${aciLine('D2N064', /what i do is i would like to see you in two weeks/)}`)).toContain(
      'Follow up in 2 weeks.',
    );
  });

  it('leaves out what the lead announces when it is no order ("something called ...", a question)', () => {
    const out = written(`[doctor] ${aciLine('D2N037', /what i'd like to do is something called a whole blood transfusion/)}`);
    expect(out.some((s) => /transfusion/.test(s))).toBe(false);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });
});

describe('dictated findings cut where the next finding or order starts', () => {
  it('keeps a short finding as its own sentence instead of joining it to the next clause', () => {
    const out = written(
      `[doctor] ${aciLine('D2N045', /there is no redness there's no swelling i can appreciate a a small amount of effusion/)}`,
    );
    expect(out).toEqual(expect.arrayContaining(['There is no redness.', 'There is no swelling.', 'There is a small amount of effusion.']));
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('starts a clause at "what i am noticing is" and at "let me"', () => {
    const fracture = written(`[doctor] ${aciLine('D2N067', /i do not appreciate any fracture what i am noticing is/)}`);
    expect(fracture).toContain('X-ray: No fracture appreciated.');
    const grip = written(`[doctor] ${aciLine('D2N034', /you have good hand grip let me see/)}`);
    expect(grip).toContain('He has good hand grip.');
    // After a word that binds it ("and let me know", "you can let me know") it continues the clause.
    const call = spokenClauses(
      'so if it gets any worse just call the office and let me know right away or you can let me know through the portal',
    );
    expect(call.some((c) => /^let me/.test(c))).toBe(false);
  });

  it('does not take a reply ("no okay so ...") for a finding', () => {
    expect(
      spokenClauses("no okay so her abdominal exam is her belly is soft there's no tenderness and no masses that i can feel")[0],
    ).toMatch(/^no okay so her abdominal exam/);
  });
});

describe("the clinician's report of what was done or discussed", () => {
  it('writes it with the note verb, also after "we\'ve", "did do", "changed", "observed"', () => {
    expect(written(`[doctor] ${aciLine('D2N001', /i know we've talked about watching a low sodium diet/)}`)).toEqual([
      'Discussed watching a low sodium diet.',
    ]);
    expect(written(`[doctor] ${aciLine('D2N025', /we changed her furosemide/)}`)).toContain(
      'Changed her furosemide and torsemide 20 mg by mouth daily.',
    );
    expect(written(`[doctor] ${aciLine('D2N064', /now we did do an x-ray of that left ankle/)}`)).toContain(
      'Performed an x-ray of that left ankle when he came in.',
    );
    expect(written(`[doctor] ${aciLine('D2N027', /i observed the pursed lip breathing/)}`)[0]).toMatch(
      /^Observed the pursed lip breathing\b/,
    );
    // A purpose cut off before its verb ("today to further...") is left off the order.
    expect(written(`[doctor] ${aciLine('D2N027', /i've ordered pfts today to further/)}`)).toContain('Ordered pfts today.');
  });

  it('puts when it was done after what was done, and reads "we had you do" as done', () => {
    expect(written('[doctor] so prior to coming in we did do an x-ray of that right knee')).toEqual([
      'Performed an x-ray of that right knee prior to coming in.',
    ]);
    expect(written('[doctor] okay so we had you do an x-ray')).toEqual(['Performed an x-ray.']);
    // "prior to coming in, i want you to ..." is advice, not a report of something done.
    const advice = written('[doctor] prior to coming in, i want you to fast for eight hours');
    expect(advice.some((x) => /prior to coming in\.$/.test(x))).toBe(false);
  });

  it('does not take "i\'ve got" (have) for a report of something done', () => {
    const out = written(`[doctor] ${aciLine('D2N057', /i've got about ten degrees of plantar flexion/)}`);
    expect(out.some((s) => /^Performed/.test(s))).toBe(false);
  });
});

describe('an order said with "i would"', () => {
  it('is a plan item like one said with "i will"', () => {
    expect(written(`[doctor] ${aciLine('D2N046', /for the surgery i would perform a hysterectomy/)}`)).toContain(
      'Perform a hysterectomy remove both ovaries.',
    );
  });

  it('but "i would recommend what you are doing" recommends no order', () => {
    const out = written(`[doctor] ${aciLine('D2N059', /i would recommend just what you're doing/)}`);
    expect(out.some((s) => /^Recommend what/.test(s))).toBe(false);
  });
});

describe('an order after a hedge ("you know", "i see and")', () => {
  it('is written as the order, keeping its condition', () => {
    expect(written(`[doctor] ${aciLine('D2N002', /we'll refer you to physical therapy if we need to/)}`)).toContain(
      'Refer to physical therapy if needed.',
    );
    expect(written(`[doctor] ${aciLine('D2N035', /i also want you to see a nutritionist/)}`)[0]).toMatch(
      /^Advised to see a nutritionist\b/,
    );
  });

  it('but "i may want you to" is no advice given', () => {
    const out = written(`[doctor] ${aciLine('D2N046', /i may want you to receive intraperitoneal/)}`);
    expect(out.some((s) => /^Advised to receive/.test(s))).toBe(false);
  });
});

describe("the clinician's dictated opening", () => {
  it('stays one sentence with its whole history list, without what is then said to the patient', () => {
    expect(written(`[doctor] ${aciLine('D2N066', /gabriel is a 43 -year-old male/)}`)).toContain(
      'Gabriel is a 43 -year-old male today here for back pain evaluation and also has a past medical history of diabetes high blood pressure and high cholesterol.',
    );
    expect(
      written(`[doctor] ${aciLine('D2N063', /gloria is a 46 -year-old female/)}`, { subject: 'she', possessive: 'her', object: 'her' }),
    ).toContain(
      'Gloria is a 46 -year-old female today with past medical history of diabetes and back pain and today here for shortness of breath with chf and copd.',
    );
  });

  it('ends where the dictation goes on to the history ("... she was diagnosed with ...")', () => {
    const clauses = spokenClauses(
      'so beverly is a 53 -year-old female with a recent diagnosis of stage three lung cancer who presents for follow-up during chemotherapy she was diagnosed with a four point four centimeter left upper lobe nodule',
    );
    expect(clauses[0]).toBe(
      'so beverly is a 53 -year-old female with a recent diagnosis of stage three lung cancer who presents for follow-up during chemotherapy',
    );
    expect(clauses.slice(1).join(' ')).toMatch(/^she was diagnosed with/);
  });
});

describe('a diagnosis the clinician names ("we call this x", "a condition we call x")', () => {
  it('is written as the diagnosis', () => {
    expect(written(`[doctor] ${aciLine('D2N057', /we we call this hallux rigidus/)}`)).toContain('This is hallux rigidus.');
    expect(written(`[doctor] ${aciLine('D2N061', /fluid in the knee we call that effusion/)}`)).toContain('This is effusion.');
    const hp = written(`[doctor] ${aciLine('D2N056', /a condition we call hypersensitivity pneumonitis/)}`);
    expect(hp.some((s) => /consistent with hypersensitivity pneumonitis\b/.test(s))).toBe(true);
    for (const s of [...hp]) expect(readsAsSpeech(s)).toBe(false);
  });
});

describe('a concern the clinician states', () => {
  it('is written as the finding it is about', () => {
    const strep = written(`[doctor] ${aciLine('D2N041', /i'm concerned that you might have some strep/)}`);
    // "concerned that you might have x" is the concern for x (decision 0214).
    expect(strep).toContain('Concern for strep in the back of his throat based on the findings.');
    expect(written("[doctor] i'm concerned about the redness that's moving up your leg")).toEqual([
      'Concern for the redness that is moving up his leg.',
    ]);
  });

  it('but not when it only points back ("i\'m concerned about that since ...")', () => {
    const out = written(`[doctor] ${aciLine('D2N033', /so i'm concerned about that since you're having trouble/)}`);
    expect(out.some((s) => /^Concern for/.test(s))).toBe(false);
  });
});

describe('a history the clinician reads out under its heading ("for family history, ...")', () => {
  it('keeps the heading as the label', () => {
    expect(written(`[doctor] ${aciLine('D2N032', /and for family history , it looks like/)}`)).toContain(
      'Family history: High blood pressure, diabetes, thyroid disease, heart disease, kidney disease and gastric ulcers.',
    );
  });

  it('but a problem lead ("for your diabetes, ...") is still only a lead', () => {
    expect(written("[doctor] for your diabetes, we'll continue the metformin 500 mg twice a day.")).toEqual([
      'Continue metformin 500 mg twice a day.',
    ]);
  });
});

describe('a restarted subject ("i\'m also i\'m going to", "we\'ll let\'s go ahead and")', () => {
  it('is read from its second start', () => {
    expect(written(`[doctor] ${aciLine('D2N033', /and then i'm also i'm going to get a refill on the metformin/)}`)).toContain(
      'Order a refill on the metformin that he has been taking 500 mg.',
    );
    expect(written("[doctor] we'll let's go ahead and continue to maintain that with diet and exercise")).toEqual([
      'Continue to maintain that with diet and exercise.',
    ]);
  });

  it('but two subjects that are not a restart are both kept', () => {
    expect(cleanSpoken("i'm hoping we're past the worst of it and we'll see you in two weeks")).toBe(
      "i'm hoping we're past the worst of it and we'll see you in 2 weeks",
    );
  });
});

describe('a dictated run of negative findings ("i do n\'t appreciate any like adenopathy no thyromegaly ...")', () => {
  it('is one list, without the filler, ending where the next part of the exam starts', () => {
    const neck = written(
      "[doctor] your neck i do n't appreciate any like adenopathy no thyromegaly no no carotid bruit looking at your listening to your heart",
    );
    expect(neck[0]).toBe('Neck: No adenopathy, thyromegaly, or carotid bruit appreciated.');
    expect(written("[doctor] i do n't appreciate any rebound no guarding")).toEqual(['No rebound or guarding appreciated.']);
  });

  it('keeps a list that already says "or"', () => {
    expect(written("[doctor] i do n't appreciate any murmurs rubs or gallops")).toEqual(['No murmurs rubs or gallops appreciated.']);
  });
});

describe('findings read after the study the clinician reviews', () => {
  it('are labelled with the study, without "it does show"', () => {
    expect(written(`[doctor] ${aciLine('D2N058', /evolutionary changes which are anticipated/)}`)).toContain(
      'EKG: Normal sinus rhythm good r wave progression and evolutionary changes which are anticipated.',
    );
    expect(
      written(
        "[doctor] so i'm looking at your results of your echocardiogram that you got when you were in the er and it it does show preserved ejection fraction of fifty five percent and normal diastolic filling and mild to moderate mitral regurgitation",
      ),
    ).toEqual(
      expect.arrayContaining([
        'Echocardiogram: Preserved ejection fraction of 55%.',
        // A short verbless piece after "and" stays with the finding before it (decision 0226).
        'Echocardiogram: Normal diastolic filling and mild to moderate mitral regurgitation.',
      ]),
    );
  });

  it('but a sentence that says nothing ("it does show") gets no label', () => {
    const out = written('[doctor] we looked at the ct scan of your abdomen and it does show');
    expect(out.some((s) => /: It does show/.test(s))).toBe(false);
  });
});

describe('a sentence that opens with "where"', () => {
  it('needs the clause before it and is left out', () => {
    expect(readable('Where the patient like catching blue going croppy.')).toBeNull();
    expect(readable('Where to put the medicine.')).toBeNull();
    expect(readable('There is swelling where the catheter went in.')).toBe('There is swelling where the catheter went in.');
  });
});
