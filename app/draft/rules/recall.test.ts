import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciNextLine, REPO } from '../../../testing/draft/datasets.ts';
import { loadDrugLexicon, loadTermList } from '../drug-names.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf } from '../utterances.ts';
import { answerPolarity, deniedFindings, questionFinding, restDenied } from './negation.ts';
import { problemOrientedPlan, problemStatus, statedDiagnosis } from './plan.ts';
import { historyFact, noteSentences, spokenClauses } from './sentences.ts';
import { readsAsSpeech } from './voice.ts';

/**
 * Concept recall without speech (issue 13): run-on speech cut into clauses a note can keep, exam parts as labels, a
 * "no" to a run of questions as one denial, and diagnoses stated with their status, all on real ACI-Bench turns.
 */

const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));
const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const HE = { subject: 'he', possessive: 'his', object: 'him' };
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

function written(line: string, who = HE): string[] {
  return utterancesOf(parseTranscriptText(line)).flatMap((u) => noteSentences(u, who, find).map((s) => s.text));
}

describe('run-on speech cut where a clause starts', () => {
  it('keeps every order of a run-on plan turn, not the problem lead alone', () => {
    const line = aciLine('D2N047', /second problem of your coronary artery disease i wan na go ahead and order an echocardiogram/);
    const out = written(`[doctor] ${line}`);
    expect(out).toContain('Order an echocardiogram to follow up on that heart murmur that he had.');
    expect(out.some((s) => /^Continue lipitor 40 mg a day\b/.test(s))).toBe(true);
    // "For his second problem of his coronary artery disease." only introduces the problem: the assessment names it.
    expect(out.some((s) => /^For (?:his|their) second problem/i.test(s))).toBe(false);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('does not cut "continue you on your allopurinol" or "i want you to" apart', () => {
    const clauses = spokenClauses(
      "now for your third problem of your history of gout let's go ahead and continue you on your allopurinol and just you know continue to watch those foods that will exacerbate your uric acid levels",
    );
    expect(clauses.some((c) => /continue you on your allopurinol/.test(c))).toBe(true);
    expect(
      spokenClauses('so i want you to go ahead and take the ibuprofen six hundred milligrams every six hours with food and ice the knee'),
    ).toEqual(['so i want you to go ahead and take the ibuprofen six hundred milligrams every six hours with food and ice the knee']);
  });

  it('labels dictated exam findings with the part examined', () => {
    const line = aciLine('D2N047', /on your abdominal exam your abdomen is nontender/);
    const out = written(`[doctor] ${line}`);
    expect(out).toContain('Abdominal: Abdomen is nontender and nondistended.');
    expect(out.some((s) => /^Lung: Lungs are clear to auscultation bilaterally/.test(s))).toBe(true);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('writes "i do not appreciate any x" as a negative finding under the part examined, keeping the whole list', () => {
    expect(written("[doctor] your neck i do n't appreciate any jugular venous distention or carotid bruits .")).toEqual([
      'Neck: No jugular venous distention or carotid bruits appreciated.',
    ]);
    // What follows the finding ("or your blood pressure ...") is another clause, never part of the denial.
    expect(written("[doctor] i do n't see any fever or your blood pressure and heart rate are fine .").join(' ')).not.toMatch(
      /No fever or .*blood pressure/,
    );
    // Nothing is left to deny: nothing is written.
    expect(written("[doctor] i do n't see any evidence of it .")).toEqual([]);
  });

  it('drops small talk said in passing instead of joining it to the next clause', () => {
    const line = aciLine('D2N038', /i've been feeling fine/);
    expect(written(`[patient] ${line}`, SHE)).toContain('She is anxious about having hep c.');
  });
});

describe("the clinician's words in a patient's turn", () => {
  it('writes them in the clinician\'s voice when they address "you" and never say "I"', () => {
    const line = aciLine('D2N034', /your capillary refill is less than three seconds/);
    const out = written(`[patient] ${line}`);
    expect(out).toContain('Left arm: Capillary refill is less than three seconds.');
    expect(out).toContain('His sensation is intact to light touch.');
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
    // The patient speaking of "you" and "I" is still the patient.
    const patient = written('[patient] i told you my knee has been swelling after i run .', SHE);
    expect(patient.join(' ')).not.toMatch(/\bI\b/);
    for (const s of patient) expect(readsAsSpeech(s)).toBe(false);
  });
});

describe('plans said with the modal inside the subject, and questions said as statements', () => {
  it('writes "we\'ll add symbicort" as an order', () => {
    const out = written(`[doctor] ${aciLine('D2N012', /we'll add symbicort/)}`);
    expect(out).toContain('Add symbicort, 2 puffs twice a day during the summer, to help prevent those exacerbations.');
  });

  it('leaves out a question turned into the third person inside a longer sentence', () => {
    expect(
      written(
        "[doctor] no ecchymosis or edema no effusion no pain to palpation of the left medial knee is there any decreased range of motion do you feel like you're able to fully move that",
      ).join(' '),
    ).not.toMatch(/is there any|do (?:the patient|he) feels?/i);
    expect(written('[doctor] have you taken anything for the pain so far')).toEqual([]);
  });

  it('leaves out a question the transcript did not punctuate', () => {
    expect(
      written(
        '[doctor] and with your shoulder have you experienced any numbness in your arm or in your fingers and then we will do the exam',
      ),
    ).toEqual([]);
  });
});

describe('results labelled with the study reviewed', () => {
  it('labels the findings said after "i reviewed the x-ray of your foot" with the study', () => {
    const line = aciLine('D2N048', /subtle dorsal displacement of the base/);
    const out = written(`[doctor] ${line}`);
    expect(out.some((s) => /^X-ray of the right foot: Subtle dorsal displacement of the base of the second metatarsal\b/.test(s))).toBe(
      true,
    );
    // An order said after the review is not a finding of the study.
    expect(
      written(
        "[doctor] so let's review the x-ray of your knee and i don't see any evidence of fracture and i'm going to order an mri for you today",
      ),
    ).toEqual(['X-ray of the knee: No evidence of fracture.', 'Order an mri for him today.']);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });
});

describe("the patient's history in the third person", () => {
  it('keeps a sentence with the patient as subject whatever its verb, and leaves out one cut off at its end', () => {
    expect(written('[patient] i own an auto repair shop .')).toEqual(['He owns an auto repair shop.']);
    expect(written('[patient] yep i work as a computer programmer .')).toEqual(['He works as a computer programmer.']);
    expect(written('[patient] i iced them for .')).toEqual([]);
    // "i feel", "i noticed" are what the patient reports, not hedges to drop.
    expect(written('[patient] i feel bloated every once in a while .')).toEqual(['He feels bloated every once in a while.']);
  });
});

describe('facts from short answers to open history questions', () => {
  it('writes onset and severity the patient gives, citing the question and the answer', () => {
    expect(historyFact('so when did this all start?', 'probably since labor day .', HE)).toBe('Onset: Since labor day.');
    expect(historyFact('how long has this been going on?', 'about five weeks .', HE)).toBe('Onset: About 5 weeks.');
    expect(historyFact('on a scale of one to ten, how bad is the pain?', 'maybe a six .', HE)).toBe('Severity rated 6 out of 10.');
    expect(historyFact('what makes it worse?', 'going up the stairs .', HE)).toBe('Worse with going up the stairs.');
    const out = written('[doctor] how long has this been going on ?\n[patient] about five weeks .');
    expect(out).toEqual(['Onset: About 5 weeks.']);
  });

  it('leaves out answers that state no time, no number, or say they do not know', () => {
    expect(historyFact('when did this start?', 'when i was lifting the box .', HE)).toBeNull();
    expect(historyFact('on a scale of one to ten, how bad is the pain?', 'pretty bad .', HE)).toBeNull();
    expect(historyFact('what makes it worse?', "i do n't know .", HE)).toBeNull();
    expect(historyFact('how are you doing?', 'about five weeks .', HE)).toBeNull();
  });
});

describe('speech around a fact, dropped without adding words', () => {
  it('drops "what we call", "my impression is that" and the pronoun of "call me"', () => {
    const line = aciLine('D2N055', /these are what we call transient tics/);
    expect(written(`[doctor] ${line}`, SHE)).toContain('These are transient tics and the best thing to do is ignore the tics.');
    expect(written('[doctor] i want you to call me if you have any other symptoms of shortness of breath .')).toEqual([
      'Advised to call if he has any other symptoms of shortness of breath.',
    ]);
    // Greetings, apologies and goodbyes are no note sentences, whatever else they say.
    expect(written('[doctor] hey diana it is good to see you in here .')).toEqual([]);
    expect(written("[doctor] sorry no problem sorry yeah it's not a thumb spica .")).toEqual([]);
    // "let me know" has no note form without inventing words: left out.
    expect(written('[doctor] i want you to let me know if the swelling gets worse .')).toEqual([]);
  });
});

describe('a "no" to a run of questions', () => {
  it('denies each finding asked', () => {
    const q = aciLine('D2N002', /and any fatigue \? weight gain/);
    const a = aciNextLine('D2N002', /and any fatigue \? weight gain/);
    const questions = utterancesOf(parseTranscriptText(`[doctor] ${q}\n[patient] ${a}`)).at(-1)!.previousQuestions!;
    expect(deniedFindings(questions, a, HE)).toBe('He denies fatigue or weight gain.');
  });

  it('reads "and no x?", "blood in your stools?" and "problems with your bladder?" answered "no"', () => {
    expect(written('[doctor] and no burning when you urinate or anything like that ?\n[patient] not at all .', SHE)).toEqual([
      'She denies burning with urination.',
    ]);
    expect(written("[doctor] have you noticed any blood in your stools ?\n[patient] uh , no , i have n't .", SHE)).toEqual([
      'She denies blood in her stools.',
    ]);
    expect(written('[doctor] okay , and any problems with your bladder or your bowels ?\n[patient] no , no .', HE)).toEqual([
      'He denies problems with his bladder or his bowels.',
    ]);
    // "no, the migraine ..." and "no more pain?" are no denials of a finding.
    expect(written('[doctor] any more pain ?\n[patient] no .', HE)).toEqual([]);
  });

  it('denies the rest of what was asked when the answer names one finding and says the rest is fine', () => {
    const q = ['any fever, chills, nasal congestion, sore throat, cough?'];
    expect(restDenied(q, "i've had a little nasal congestion with the seasons changing but everything else has been okay", HE)).toBe(
      'He denies fever, chills, sore throat, or cough.',
    );
    // Without naming what it reports, "nothing out of the ordinary" does not say which were denied.
    expect(restDenied(['any joint pain or muscle aches?'], 'my knees hurt a little bit but nothing out of the ordinary', HE)).toBeNull();
    expect(restDenied(q, "i've had a little nasal congestion", HE)).toBeNull();
  });

  it('pairs a "no" with the question a long unpunctuated turn ends with', () => {
    const q = aciLine('D2N060', /with the left foot have you experienced anything like numbness/);
    const a = aciNextLine('D2N060', /with the left foot have you experienced anything like numbness/);
    const out = written(`[doctor] ${q}\n[patient] ${a}`, SHE);
    expect(out.some((s) => /^She denies .*numbness/.test(s))).toBe(true);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('never reports a whole list on a "yes" (it does not say which)', () => {
    expect(written('[doctor] any weight gain or swelling in your legs ?\n[patient] yes .', SHE).join(' ')).not.toMatch(
      /reports weight gain or/,
    );
  });

  it('leaves out what is no finding ("any other symptoms?") and answers that qualify the "no"', () => {
    const q = aciLine('D2N009', /any other symptoms \? chest pain \? shortness of breath \? abdominal pain/);
    const questions = utterancesOf(parseTranscriptText(`[doctor] ${q}\n[patient] no .`)).at(-1)!.previousQuestions!;
    expect(deniedFindings(questions, 'no .', HE)).toBe('He denies chest pain, shortness of breath, or abdominal pain.');
    expect(deniedFindings(questions, 'no , but i do get some shortness of breath on the stairs .', HE)).toBeNull();
    expect(deniedFindings(questions, 'yeah , a little .', HE)).toBeNull();
    // One question is the ordinary question/answer rule's job.
    expect(deniedFindings(['any fever?'], 'no .', HE)).toBeNull();
  });
});

describe('diagnoses stated, with their status', () => {
  it('reads the diagnosis the clinician states', () => {
    expect(statedDiagnosis(aciLine('D2N019', /my diagnosis here would be lateral/), lexicon, terms)).toBe('lateral epicondylitis');
    expect(statedDiagnosis(aciLine('D2N026', /i suspect that this is a flare/), lexicon, terms)).toBe('flare of cervical radicularopathy');
    expect(statedDiagnosis('i think you should rest that knee for a week .', lexicon, terms)).toBeNull();
    expect(statedDiagnosis("i think it's the metformin .", lexicon, terms)).toBeNull();
  });

  it('reads how a problem is doing only when it is said of that problem', () => {
    expect(problemStatus(aciLine('D2N015', /depression's stable/), 'depression')).toBe('stable');
    expect(problemStatus('your blood pressure is well controlled on the lisinopril .', 'hypertension')).toBe('well controlled');
    expect(problemStatus("i'm not sure if your diabetes is controlled .", 'diabetes')).toBeNull();
    expect(problemStatus('your knee is stable on exam .', 'hypertension')).toBeNull();
  });

  it('writes a stated diagnosis and its status in the assessment even with no plan item', () => {
    const plan = problemOrientedPlan(
      [],
      [
        { name: 'lateral epicondylitis', at: 3, segmentId: 's3', stated: true },
        { name: 'depression', at: 5, segmentId: 's5', status: 'stable' },
        { name: 'knee pain', at: 6, segmentId: 's6' },
      ],
    );
    expect(plan.map((p) => p.text)).toEqual(['Lateral epicondylitis.', 'Depression, stable.']);
  });
});

describe('questions asked after a lead-in, a widening question, and what a long answer goes on to say', () => {
  const pair = (id: string, q: RegExp, who = HE): string[] => written(`[doctor] ${aciLine(id, q)}\n[patient] ${aciNextLine(id, q)}`, who);

  it('pairs a "no" with the finding asked before "anything like that?"', () => {
    // "and any weight loss? anything like that?" "no, not that i've noticed." -> the weight loss is denied, and the
    // answer's second lead ("not that i've noticed") is not written as a sentence of its own.
    expect(pair('D2N006', /and any weight loss \? anything like that \?/, SHE)).toEqual(['She denies weight loss.']);
  });

  it('reads an unpunctuated question asked after a lead-in ("okay now tell me have you noticed ...")', () => {
    expect(pair('D2N055', /tell me have you noticed any other symptoms how about like fever or chills/, SHE)).toEqual([
      'She denies fever or chills.',
    ]);
    // "any numb numbness": the false start is not part of the finding.
    expect(pair('D2N048', /have you experienced any numb numbness or tingling/)).toEqual(['He denies numbness or tingling.']);
    expect(pair('D2N035', /alright have you had any chest pain$/)).toEqual(['He denies chest pain.']);
  });

  it('leaves statements and questions about anything but a finding as they were', () => {
    // "i don't see any swelling" states a finding; a "yes" after it reports nothing.
    expect(written("[doctor] i do n't see any swelling\n[patient] yeah", HE).join(' ')).not.toMatch(/reports/);
    // "have you been taking that metformin everyday" "i do": adherence, not a finding to report.
    expect(pair('D2N049', /have you been taking that metformin everyday/).join(' ')).not.toMatch(/reports/);
    // "yes" to an unpunctuated list ("swelling stiffness tenderness") does not say which.
    expect(pair('D2N067', /have you noticed any swelling stiffness tenderness/).join(' ')).not.toMatch(/reports swelling/);
  });

  it('cuts what a long unpunctuated answer goes on to say into clauses a note can keep', () => {
    const out = pair('D2N067', /have you noticed any swelling stiffness tenderness/);
    expect(out.some((s) => /gets a lot of swelling\.$/.test(s))).toBe(true);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
    // A punctuated answer is written as said (its own commas already cut it), after the history its "yes" confirms
    // (decision 0197).
    expect(pair('D2N017', /previous surgical history of a colectomy/, SHE)).toEqual([
      'She has a previous surgical history of a colectomy.',
      'She had some diverticulosis and then she went into diverticulitis and they ended up going in and having to remove her colon.',
    ]);
  });
});

describe('a positive exam finding said around a filler', () => {
  it('labels "on your lower extremity exam, i do appreciate, you know, 1 to 2+ pitting edema" with the part', () => {
    const line = aciLine('D2N016', /on your lower extremity exam , i do appreciate/);
    const out = written(`[doctor] ${line}`);
    expect(out).toContain('Lower extremity: 1 to 2+ pitting edema in his legs.');
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });
});

describe('family history asked, and questions asked in the middle of dictation', () => {
  it('writes a "no" to a family question as the family history, never as the patient denying it', () => {
    expect(written('[doctor] anybody in the family with kidney failure, dialysis or transplant?\n[patient] no.', SHE)).toEqual([
      'No family history of kidney failure, dialysis, or transplant.',
    ]);
    expect(written('[doctor] okay how about any family history of any heart disease\n[patient] no', HE)).toEqual([
      'No family history of heart disease.',
    ]);
    // A "yes" to a list does not say which; an answer that is not a yes or no ("i was adopted") denies nothing: the
    // family history is not known (decision 0220).
    expect(written('[doctor] any family history of diabetes or heart disease?\n[patient] yes.', HE).join(' ')).not.toMatch(/history of/);
    const q = aciLine('D2N046', /any family history of any gynecological cancers/);
    const adopted = written(`[doctor] ${q}\n[patient] ${aciNextLine('D2N046', /any family history of any gynecological cancers/)}`, SHE);
    expect(adopted.join(' ')).not.toMatch(/family history of/i);
    expect(adopted).toEqual(['No known family history; she was adopted.']);
  });

  it('cuts a question asked during the exam off the findings dictated before it', () => {
    const line = aciLine('D2N061', /you have a full range of motion does it hurt a lot/);
    const out = written(`[doctor] ${line}`);
    expect(out.some((s) => /range of motion/.test(s))).toBe(true);
    expect(out.join(' ')).not.toMatch(/does it hurt/i);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('cuts "what i\'d like to do is" off the diagnosis said before it', () => {
    const line = aciLine('D2N063', /i think you have an exacerbation of your congestive heart failure what i'd like to do/);
    const clauses = spokenClauses(line);
    expect(clauses.some((c) => /congestive heart failure$/.test(c))).toBe(true);
    expect(clauses.some((c) => /^what i'd like to do is increase your dose of lasix/.test(c))).toBe(true);
    expect(written(`[doctor] ${line}`, SHE).join(' ')).toMatch(/she has an exacerbation of her congestive heart failure\./i);
  });
});

describe('unpunctuated questions after more lead-in words, and findings an unpunctuated question does not name (decision 0210)', () => {
  const pair = (id: string, q: RegExp, who = HE): string[] => written(`[doctor] ${aciLine(id, q)}\n[patient] ${aciNextLine(id, q)}`, who);
  // The patient's "no" after the line answers it (the line is among the questions it answers).
  const asks = (line: string): boolean =>
    (utterancesOf(parseTranscriptText(`[doctor] ${line}\n[patient] no`)).at(-1)!.previousQuestions ?? []).length > 0;

  it('pairs the answer with a question opened after "and then", "now", "sure"', () => {
    expect(asks(aciLine('D2N051', /okay alright and then are you are you a smoker or did you smoke/))).toBe(true);
    expect(asks(aciLine('D2N054', /okay and then have you experienced any numbness or tingling of that foot/))).toBe(true);
    expect(asks(aciLine('D2N041', /now are you are you watching your blood sugars/))).toBe(true);
    expect(asks('sure any problems sleeping')).toBe(true);
  });

  it('leaves statements after the same words as statements', () => {
    expect(asks("now i do n't see any swelling")).toBe(false);
    expect(asks('okay and then i want you to follow up with me in two weeks')).toBe(false);
    expect(asks("well you do n't have any fever")).toBe(false);
    expect(asks(aciLine('D2N055', /okay alright well you you made dad happy at least right/))).toBe(false);
    expect(asks(aciLine('D2N058', /okay well you take care and you have a good evening/))).toBe(false);
  });

  it('denies the finding asked, without a false start or the next question said in the same breath', () => {
    // "have you done any or had any injuries ..." "nothing substantial ...": the false start is not the finding.
    expect(pair('D2N064', /okay and then have you done any or had any injuries to that ankle before/)).toContain(
      'He denies injuries to that ankle before.',
    );
    expect(questionFinding('okay and then do you remember any trauma did you hit your arm or elbow or any on anything')).toBe('trauma');
    // "any type of x" asks about x.
    expect(questionFinding('and any type of weight loss or decreased appetite or night sweats?')).toBe(
      'weight loss or decreased appetite or night sweats',
    );
  });

  it('writes no finding from a pronoun ("are you taking them at home")', () => {
    const out = pair('D2N041', /now are you are you watching your blood sugars are you taking them at home/);
    expect(out.join(' ')).not.toMatch(/Regarding them/);
    expect(questionFinding('are you taking them at home')).toBeNull();
  });

  it('pairs a "no" with a question asked after a topic, with subject and verb turned round', () => {
    // "and so with your shoulder have you experienced any numbness in your arm or in your fingers" "no numbness or tingling"
    expect(pair('D2N034', /and so with your shoulder have you experienced any numbness in your arm/)).toEqual([
      'He denies numbness in his arm or in his fingers.',
      'He denies tingling.',
    ]);
    // "what do you call it": after a wh-word the turned-round verb does not open a yes/no question.
    expect(asks("it's a tear of the what do you call it the meniscus")).toBe(false);
  });

  it('writes no second sentence for what only restates the "no"', () => {
    // "no i do n't think so not today" to "do you have any questions"; "no never never had any problems with my stomach".
    expect(pair('D2N035', /and then i'll see you again in three months do you have any questions/).join(' ')).not.toMatch(/think/);
    const stomach = pair('D2N057', /have you ever had any trouble with your stomach/);
    expect(stomach[0]).toBe('He denies trouble with his stomach.');
    expect(stomach.join(' ')).not.toMatch(/never had|denies problems/i);
  });

  it('reads the "no" after thinking aloud ("i\'m trying to think no i don\'t think so no")', () => {
    expect(pair('D2N045', /do you have any family history of arthritis or any of those type of immune diseases/)).toEqual([
      'No family history of arthritis or of immune diseases.',
    ]);
    expect(answerPolarity("i'm trying to think of the name")).toBeNull();
  });
});
