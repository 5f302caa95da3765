import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciNextLine, aciTrain, REPO, SHARED } from '../../../testing/draft/datasets.ts';
import { readAciBench } from '../training-data.ts';
import { loadDrugLexicon, loadTermList } from '../drug-names.ts';
import { tidySpacing } from '../text.ts';
import { createDrafter, renderDraftText } from '../index.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf } from '../utterances.ts';
import { commandOrder, isBareWakePhrase, isCommand, isScribeDirection } from './commands.ts';
import { currentMedications, historyOpening } from './history.ts';
import { diagnosisName, problemOrientedPlan, problemsNamed, statedDiagnosis } from './plan.ts';
import { noteSentences, spokenClauses } from './sentences.ts';
import { salvageFacts } from './salvage.ts';
import { planVoice, readsAsSpeech, tidyWritten, written } from './voice.ts';

const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));
const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const HE = { subject: 'he', possessive: 'his', object: 'him' };

/** The note sentences each sentence of a labelled transcript yields (real turns are read from ../shared at run time). */
function drafted(text: string, who = SHE): string[][] {
  return utterancesOf(parseTranscriptText(text)).map((u) => noteSentences(u, who).map((s) => s.text));
}

describe('clinical voice on real ACI-Bench turns', () => {
  it("writes the clinician's first-person plan as note-style items", () => {
    const line = aciLine('D2N001', /for your first problem your congestive/);
    const out = drafted(`[doctor] ${line}`).flat();
    expect(out).toContain('Continue current medications.');
    expect(out).toContain("Increase lisinopril to 40 mg a day, because blood pressure's high.");
    expect(out).toContain('Start lasix 20 mg a day.');
    expect(out).toContain('She is retaining fluid.');
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('writes an order the clinician says in the first person without the person', () => {
    const out = drafted(`[doctor] ${aciLine('D2N003', /for your first problem , your back pain/)}`).flat();
    expect(out).toContain('Order a ct scan without contrast of abdomen and pelvis.');
    expect(out).toContain('She is having a recurrence of her kidney stones.');
  });

  it("writes the patient's first person in the third person", () => {
    const out = drafted(`[patient] ${aciLine('D2N038', /i've been feeling fine/)}`).flat();
    expect(out).toContain('She is anxious about having hep c.');
    expect(out.join(' ')).not.toMatch(/\b(i|i'm|my|me)\b/i);
  });

  it('turns a question and its answer into a pertinent negative', () => {
    const q = aciLine('D2N006', /any fever or chills/);
    const a = aciNextLine('D2N006', /any fever or chills/);
    expect(drafted(`[doctor] ${q}\n[patient] ${a}`).flat()).toEqual(['She denies fever or chills.']);
    const q2 = aciLine('D2N001', /any symptoms like chest pains/);
    const a2 = aciNextLine('D2N001', /any symptoms like chest pains/);
    expect(drafted(`[doctor] ${q2}\n[patient] ${a2}`).flat()[0]).toMatch(
      /^She denies chest pains, shortness of breath, swelling in her legs\.$/,
    );
  });

  it('leaves out what cannot be written as a note: small talk, talk about the software, announcements, questions', () => {
    expect(drafted(`[doctor] ${aciLine('D2N001', /told you about dax/)}`).flat()).toEqual([]);
    expect(
      drafted(
        "[doctor] i'd like to do a quick physical exam .\n[doctor] let's look at your blood pressure .\n[doctor] is it running high , or ...",
      ).flat(),
    ).toEqual([]);
    expect(written('I want to go over my assessment and plan for her.')).toBeNull();
    expect(written('Is it running high.')).toBeNull();
  });

  it('removes fillers, false starts, cut-off words and repeated words', () => {
    expect(tidyWritten('So, um, the the knee is, uh, swollen t- today.')).toBe('The knee is, swollen today.');
    expect(tidyWritten('Okay, her x-ray looks normal with no fractures.')).toBe('Her x-ray looks normal with no fractures.');
    const cut = aciLine('D2N010', /and from all-/);
    for (const s of drafted(`[doctor] ${cut}`).flat()) expect(s).not.toMatch(/\ball-|\bum\b|\.\.\./);
  });

  it('keeps the head of a sentence whose speech is only in a trailing clause', () => {
    expect(written('There is a 2 out of 6 systolic ejection murmur, which we have heard in the past.')).toBe(
      'There is a 2 out of 6 systolic ejection murmur.',
    );
  });

  it('writes what an exam part lacks as one list', () => {
    // D2N080 (valid) and D2N066 (train) dictate findings as "no x no y".
    expect(
      drafted('[doctor] on your knee exam there is no ecchymosis or edema no effusion no pain to palpation of the left medial knee').flat(),
    ).toContain('Knee: No ecchymosis, edema, effusion, or pain to palpation of the left medial knee.');
    expect(drafted('[doctor] on your lung exam no rales no wheezing').flat()).toContain('Lung: No rales or wheezing.');
  });

  it('writes what "do" does to a test, a therapy and a follow-up', () => {
    // D2N063 "we'll probably do a fasting blood sugar", D2N080 "we might do some physical therapy for that".
    expect(planVoice("we'll probably do a fasting blood sugar", SHE)).toBe('Check a fasting blood sugar');
    expect(planVoice('we might do some physical therapy for that to strengthen the muscles around that area', SHE)).toBe(
      'Start physical therapy for that to strengthen the muscles around that area',
    );
    // A follow-up with no when adds nothing to the plan's follow-up line; with one it is that line.
    expect(planVoice("we'll do a follow-up", SHE)).toBeNull();
    expect(planVoice("we'll do a follow-up in 2 weeks", SHE)).toBe('Follow up in 2 weeks');
    // A procedure stays performed.
    expect(planVoice("we'll do a ureteroscopy", SHE)).toBe('Perform a ureteroscopy');
  });

  it('reads plan leads, advice and in-room announcements apart', () => {
    expect(planVoice("i'm going to put you on amoxicillin", SHE)).toBe('Start amoxicillin');
    expect(planVoice('i want you to cut back on salt and walk 30 minutes a day', SHE)).toBe(
      'Advised to cut back on salt and walk 30 minutes a day',
    );
    expect(planVoice("we'll order another echocardiogram", SHE)).toBe('Repeat echocardiogram');
    expect(planVoice('i see that we have you on the norvasc', SHE)).toBeNull();
    expect(planVoice("let's take a look at your x-rays", SHE)).toBeNull();
    // pocketsphinx (flite slt) of a dictated plan: the advice is a plan item, and the follow-up said after an order is
    // an item of its own (decision 0200).
    expect(planVoice('she should rest and drink fluids and take acetaminophen 500 mg every 6 hours as needed', SHE)).toBe(
      'Advised to rest and drink fluids and take acetaminophen 500 mg every 6 hours as needed',
    );
    expect(planVoice('we will start lisinopril 10 mg daily and see her again in 2 weeks', SHE)).toBe(
      'Start lisinopril 10 mg daily. Follow up in 2 weeks',
    );
  });
});

describe('voice-assistant commands', () => {
  it('turns an order into a plan item and never into text', () => {
    const line = aciLine('D2N010', /hey dragon , order amoxicillin/);
    const said = line.split(' . ')[0]!;
    expect(isCommand(said)).toBe(true);
    expect(commandOrder(said, lexicon)).toBe('Order Amoxicillin 500 mg three times daily for 10 days.');
    expect(commandOrder('hey dragon, order a refill of fosamax 1 tab per week with 11 refills', lexicon)).toBe(
      'Refill Fosamax 1 tablet weekly, 11 refills.',
    );
    expect(commandOrder('hey scribe, order a hemoglobin a1c.', lexicon)).toBe('Order hemoglobin a1c.');
  });

  it('drops commands that are not orders or name nothing', () => {
    expect(commandOrder('hey dragon, show me the vital signs.', lexicon)).toBeNull();
    expect(commandOrder('hey dragon, go ahead and order any medications or procedures discussed.', lexicon)).toBeNull();
    expect(isBareWakePhrase('hey dragon?')).toBe(true);
    expect(isCommand('i prescribed it for the dragon fruit allergy')).toBe(false);
  });

  it('keeps every wake phrase out of a drafted note', () => {
    const out = drafted(
      `[doctor] ${aciLine('D2N010', /hey dragon , show me the rapid strep|hey dragon , show me the vital signs/)}`,
    ).flat();
    for (const s of out) expect(s).not.toMatch(/dragon/i);
  });
});

describe('directions to the scribe', () => {
  const sentence = (id: string, pattern: RegExp) =>
    tidySpacing(
      aciLine(id, pattern)
        .split(' . ')
        .find((x) => pattern.test(x))!,
    );

  it('knows the dictated header, the template and where-to-put-it directions (real train turns)', () => {
    for (const [id, pattern] of [
      ['D2N021', /next patient is christine hernandez , uh , date of birth/],
      ['D2N022', /this is philip gutierrez , date of birth/],
      ['D2N027', /eugene walker , n- date of birth/],
      ['D2N026', /dictating on donald clark/],
      ['D2N026', /date of birth , 03\/04\/1937/],
      ['D2N023', /please use my general exam template/],
      ['D2N032', /please use my general physical exam template/],
      ['D2N029', /please add the following pathology/],
      ['D2N032', /can you please include the surgical list/],
      ['D2N031', /only change to make is the breast exam/],
    ] as const) {
      expect(isScribeDirection(sentence(id, pattern)), `${id}: ${sentence(id, pattern)}`).toBe(true);
    }
  });

  it('leaves what is said to the patient, and the content after a direction, as speech to rewrite', () => {
    for (const [id, pattern] of [
      ['D2N040', /please do try to get back into your exercise routine/],
      ['D2N065', /please feel free to contact the office/],
      ['D2N043', /so please keep an eye on that/],
      ['D2N026', /chief complaint is left arm pain/],
      ['D2N022', /he is a 50-year-old male here for a second opinion/],
      ['D2N032', /no focal motor weakness is noted/],
    ] as const) {
      expect(isScribeDirection(sentence(id, pattern)), `${id}: ${sentence(id, pattern)}`).toBe(false);
    }
    for (const said of ['this is gout.', "i'm seeing some improvement.", 'this is pretty normal.', 'patient is stable.'])
      expect(isScribeDirection(said), said).toBe(false);
  });

  it('keeps the header and the directions out of the drafted note, and what follows them in', async () => {
    const transcript = parseTranscriptText(
      [
        `[doctor] ${aciLine('D2N026', /dictating on donald clark/)}`,
        `[doctor] ${aciLine('D2N023', /please use my general exam template/)}`,
        `[doctor] ${aciLine('D2N029', /please add the following pathology/)}`,
      ].join('\n'),
    );
    const draft = await createDrafter({ engine: 'builtin' }).draft({ transcript });
    const note = draft.sections.map((section) => section.text).join('\n');
    expect(note).not.toMatch(/date of birth|donald clark|03\/04\/1937|template|please/i);
    expect(note).toMatch(/melanoma/i);
  });
});

describe('"that" after a preposition or a verb is not a relative "that"', () => {
  it('keeps the order said after "... arthritis in that" (an ACI-Bench valid turn)', async () => {
    const transcript = parseTranscriptText(
      [
        '[doctor] so your left knee pain i think you just have some arthritis in that i want to prescribe some meloxicam fifteen milligrams a day we might do some physical therapy for that just to strengthen the muscles around that area and prevent any further problems',
        '[patient] okay',
      ].join('\n'),
    );
    const draft = await createDrafter({ engine: 'builtin' }).draft({ transcript });
    const plan = draft.sections.find((section) => section.id === 'assessment_plan')!.text;
    expect(plan).toMatch(/Arthritis\. Prescribe meloxicam 15 mg a day\./);
  });
});

describe('problems named as diagnoses', () => {
  it('reads the problem the clinician introduces', () => {
    const first = tidySpacing(
      aciLine('D2N003', /for your first problem , your back pain/)
        .split(' . ')
        .find((x) => /first problem/.test(x))!,
    );
    expect(problemsNamed(first, lexicon, terms)).toContain('back pain');
    expect(
      problemsNamed(
        'so, for your first problem your congestive heart failure, um, i wan na continue you on your current medications.',
        lexicon,
        terms,
      ),
    ).toEqual(['congestive heart failure']);
    expect(problemsNamed('lastly, for your high blood pressure, you are managing it well.', lexicon, terms)).toEqual(['hypertension']);
  });

  it('names the diagnosis the clinician states, however the sentence goes on (0238)', () => {
    const from = (id: string, re: RegExp, start: string): string => {
      const line = aciLine(id, re);
      return line.slice(line.indexOf(start));
    };
    const named = (id: string, re: RegExp, start: string): string[] => problemsNamed(from(id, re, start), lexicon, terms);
    // The name ends where another clause starts ("... or i'm sorry ...", "... in your case", "... i want to ...").
    expect(named('D2N042', /for the first problem of right ankle pain/, 'so for the first problem')).toContain('right ankle sprain');
    expect(named('D2N056', /a condition we call hypersensitivity/, 'for your first problem')).toContain('hypersensitivity pneumonitis');
    expect(named('D2N062', /you have acute esophagitis/, 'so for your primary')).toContain('acute esophagitis');
    expect(named('D2N036', /your diagnosis is beginning to have/, 'so here')).toContain('bilateral carpal tunnel syndrome');
    // The site said after the condition stays with it; "rather" is a manner of speaking.
    expect(named('D2N022', /stenosing tenosynovitis of his right index/, 'so for mr')).toEqual([
      'post-traumatic severe stenosing tenosynovitis of right index finger',
    ]);
    // Stated outright: an impression, the reason for a dictated visit, a pathology result.
    expect(statedDiagnosis(from('D2N020', /my impression of you is that/, 'well'), lexicon, terms)).toBe('anemia');
    expect(named('D2N023', /here for hypogonadism/, 'so he')).toEqual(['hypogonadism']);
    expect(statedDiagnosis(aciLine('D2N029', /pathology came back as melanoma/), lexicon, terms)).toBe('melanoma');
  });

  it('names a problem the clinician talks through, and writes abbreviations in capitals (0238)', async () => {
    const valid = readAciBench(SHARED, 'valid')
      .find((e) => e.id === 'D2N084')!
      .dialogue.split('\n');
    const said = (re: RegExp): string => valid.find((l) => re.test(l))!.replace(/^\[[a-z_]+\]\s*/, '');
    expect(problemsNamed(said(/talking through your hypertension/), lexicon, terms)).toContain('hypertension');
    const chf = said(/what that means for the chf/);
    expect(problemsNamed(chf.slice(chf.indexOf('let me tell you')), lexicon, terms)).toContain('chf');
    const copd = await createDrafter({ engine: 'builtin', now: () => new Date(0) }).draft({
      transcript: parseTranscriptText(aciTrain().find((e) => e.id === 'D2N015')!.dialogue),
    });
    const plan = copd.sections.find((x) => x.id === 'assessment_plan')!.text;
    expect(plan).toMatch(/\bCOPD\./);
    expect(plan).not.toMatch(/\bCopd\b/);
    // The hypertension line shows this visit's reading, not the emergency room's "two hundred over ninety" (D2N084).
    const d84 = await createDrafter({ engine: 'builtin', now: () => new Date(0) }).draft({
      transcript: parseTranscriptText(valid.join('\n')),
    });
    const plan84 = d84.sections.find((x) => x.id === 'assessment_plan')!.text;
    expect(plan84).toContain('Hypertension (BP 128/72 mmHg).');
    expect(plan84).toMatch(/\bCHF\./);
    expect(plan84).not.toContain('200/90');
  });

  it('gives a visit that says no reason the chief complaint its assessment names first, cited to where it was named (0239)', async () => {
    const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });
    for (const [id, cc] of [
      ['D2N023', 'Hypogonadism.'],
      ['D2N059', 'Asthma.'],
    ] as const) {
      const e = aciTrain().find((x) => x.id === id)!;
      const transcript = parseTranscriptText(e.dialogue);
      const draft = await drafter.draft({ transcript });
      const complaint = draft.sections.find((x) => x.id === 'chief_complaint')!.sentences;
      expect(complaint.map((x) => x.text)).toEqual([cc]);
      const cited = transcript.segments.find((x) => x.id === complaint[0]!.evidence[0])!;
      expect(cited.text.toLowerCase()).toContain(cc.slice(0, -1).toLowerCase());
    }
  });

  it('writes what follows a label with a capital and leaves out a label over nothing but the part examined', async () => {
    const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });
    const text = async (id: string): Promise<string> =>
      renderDraftText(await drafter.draft({ transcript: parseTranscriptText(aciTrain().find((e) => e.id === id)!.dialogue) }));
    const d43 = await text('D2N043');
    expect(d43).toContain('Respiratory: The lungs are clear.');
    expect(d43).not.toMatch(/[A-Za-z]: the lungs/);
    // "on your left shoulder exam" with the findings said apart from it (D2N034).
    expect(await text('D2N034')).not.toMatch(/: the left shoulder exam\.?$/im);
  });

  it('does not name examination findings, questions, past history or value read-outs as problems (0238)', () => {
    const sentence = (id: string, re: RegExp): string =>
      aciLine(id, re)
        .split(' . ')
        .find((x) => re.test(x))!;
    // Findings read out: "pain to palpation", "the rest of your physical exam", "your lung exam".
    expect(problemsNamed(sentence('D2N007', /you do have some pain to palpation/), lexicon, terms)).toEqual([]);
    expect(problemsNamed(sentence('D2N028', /the rest of your physical exam is normal/), lexicon, terms)).toEqual([]);
    expect(diagnosisName('lung exam', lexicon, terms)).toBeNull();
    expect(diagnosisName('physical exam', lexicon, terms)).toBeNull();
    expect(diagnosisName('annual exam', lexicon, terms)).toBe('annual exam');
    // A bare "surgery" or "procedure" is a plan, not the problem ("cataract surgery" is a history the visit follows up).
    expect(diagnosisName('surgery', lexicon, terms)).toBeNull();
    expect(diagnosisName('the procedure', lexicon, terms)).toBeNull();
    expect(diagnosisName('cataract surgery', lexicon, terms)).toBe('cataract surgery');
    // A question, a past problem, a reading of today's blood pressure.
    expect(problemsNamed(sentence('D2N031', /did you have radiation after the lumpectomy/), lexicon, terms)).toEqual([]);
    expect(problemsNamed(sentence('D2N025', /because you have had some anemia in the past/), lexicon, terms)).toEqual([]);
    expect(problemsNamed('your blood pressure today is 138 over 86.', lexicon, terms)).toEqual([]);
  });

  const TESTS = [
    'prolactin',
    'cortisol',
    'thyrotropin',
    'gonadotropins',
    'somatomedin',
    'corticotropin',
    'vasopressin',
    'osmolality',
    'sodium',
    'potassium',
    'visual fields',
    'magnetic resonance',
    'glucose',
    'testosterone',
  ];
  it('names a problem by the diagnosis stated, keeps every item and gives a one-problem visit the whole plan (0238)', () => {
    const plan = problemOrientedPlan(
      [
        { text: 'Order an upper endoscopy and a colonoscopy.', evidence: ['s1'], at: 1, said: 'upper endoscopy and colonoscopy' },
        ...TESTS.map((name, k) => ({ text: `Check ${name}.`, evidence: [`t${k}`], at: 10 + k, said: `check the pituitary ${name}` })),
      ],
      [
        { name: 'pituitary lesion', at: 5, segmentId: 's5', stated: true },
        { name: 'pituitary adenoma', at: 8, segmentId: 's8', stated: true },
      ],
    );
    expect(plan[0]!.text).toMatch(/^Pituitary adenoma\. Order an upper endoscopy and a colonoscopy\. Check prolactin\./);
    expect(plan[0]!.evidence[0]).toBe('s1');
    const written = plan.map((x) => x.text).join(' ');
    for (const name of TESTS) expect(written).toContain(`Check ${name}.`);
  });

  it('does not name drugs, body parts or plain words as diagnoses', () => {
    expect(diagnosisName('your lisinopril', lexicon, terms)).toBeNull();
    expect(diagnosisName('your knee', lexicon, terms)).toBeNull();
    expect(diagnosisName('the plan', lexicon, terms)).toBeNull();
    expect(diagnosisName('her blood sugars', lexicon, terms)).toBe('diabetes');
  });

  it('groups plan items under the problem they belong to', () => {
    const plan = problemOrientedPlan(
      [
        { text: 'Increase lisinopril to 20 mg daily.', evidence: ['s2'], at: 2, said: 'increase your lisinopril to 20 mg daily' },
        {
          text: 'Increase metformin to 1000 mg twice daily.',
          evidence: ['s4'],
          at: 4,
          said: 'increase your metformin to 1000 mg twice daily',
        },
        { text: 'Follow up in 3 months.', evidence: ['s9'], at: 30, said: 'follow up in 3 months' },
      ],
      [
        { name: 'hypertension', at: 1, segmentId: 's1' },
        { name: 'diabetes', at: 3, segmentId: 's3' },
      ],
    );
    expect(plan.map((p) => p.text)).toEqual([
      'Hypertension. Increase lisinopril to 20 mg daily.',
      'Diabetes. Increase metformin to 1000 mg twice daily.',
      'Follow up in 3 months.',
    ]);
    expect(plan[0]!.evidence).toEqual(['s1', 's2']);
  });
});

describe('medicines and history opening', () => {
  it('takes dose and frequency only from the statement that names the drug, and keeps changes out of the current list', () => {
    const us = utterancesOf(
      parseTranscriptText(
        "[patient] i take melatonin .\n[patient] and i walk every morning .\n[patient] i'm on lisinopril 10 mg every day .\n[doctor] i'm going to increase your metformin to 1000 mg twice a day .",
      ),
    );
    expect(currentMedications(us, lexicon)?.text).toBe('Current medications: Melatonin, lisinopril 10 mg every day.');
    // Advice to take a medicine is a plan, not a medicine the patient takes now.
    const advised = utterancesOf(
      parseTranscriptText('she should rest and drink fluids and take acetaminophen five hundred milligrams every six hours as needed'),
    );
    expect(currentMedications(advised, lexicon)).toBeNull();
  });

  it('opens the history with age, sex and the reason for the visit', () => {
    const us = utterancesOf(parseTranscriptText(`[doctor] ${aciLine('D2N001', /50-year-old female/)}`));
    expect(historyOpening(us, SHE, { text: 'Annual exam.', evidence: ['s1'] })?.text).toBe(
      'The patient is a 50-year-old female who presents for annual exam.',
    );
    expect(
      historyOpening(utterancesOf(parseTranscriptText('[doctor] what brings you in')), HE, { text: 'Left knee pain.', evidence: ['s1'] })
        ?.text,
    ).toBe('The patient is a male who presents for left knee pain.');
  });
});

describe('fact salvage from clauses that cannot be rewritten whole', () => {
  const find = (t: string): string[] => terms.find(t).map((x) => x.name);
  const salvaged = (line: string, byPatient = false): string[] =>
    spokenClauses(line).flatMap((c) => salvageFacts(c, find, undefined, byPatient));

  it("keeps exam findings and results as short statements of the clinician's own words", () => {
    expect(salvaged(aciLine('D2N035', /there is no jugular venous distention on your heart exam i appreciate a two over six/))).toContain(
      'Two over six systolic ejection murmur.',
    );
    expect(salvaged(aciLine('D2N038', /splenomegaly and on your muscle exam/))).toContain('No gait disturbance or edema.');
    // Through the drafter's sentence rewriting, the lost finding is added beside what the rewrite kept.
    const line = aciLine('D2N035', /there is no jugular venous distention on your heart exam i appreciate a two over six/);
    const out = utterancesOf(parseTranscriptText(`[doctor] ${line}`)).flatMap((u) => noteSentences(u, HE, find).map((s) => s.text));
    // The exam part dictated before a finding labels it ("on your heart exam i appreciate ..." -> "Heart: ...").
    expect(out).toContain('Heart: 2 over six systolic ejection murmur.');
    expect(out).toContain('Neck: No jugular venous distention.');
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('leaves out questions, commands, small talk and findings whose negation it cannot carry', () => {
    expect(salvaged(aciLine('D2N020', /it's not usual for people to have bleeding/))).toEqual([]);
    expect(salvaged(aciLine('D2N001', /dragon , show me the blood pressure/))).toEqual([]);
    expect(salvaged(aciLine('D2N001', /talked about watching a low sodium diet/))).toEqual([]);
    expect(salvaged(aciLine('D2N047', /emptying your bladder fully/), true)).toEqual([]);
    // The patient's own words are salvaged only when they describe a symptom, never small talk.
    expect(salvaged(aciLine('D2N001', /with the responsibility comes the stress/), true)).toEqual([]);
    // "i don't see any redness or ecchymosis": never "Redness." or "Ecchymosis."
    for (const s of salvaged(aciLine('D2N044', /i do n't see any redness or ecchymosis/)))
      expect(s).not.toMatch(/^(?:Redness|Ecchymosis|Warmth|Bruising)\b/);
  });
});

describe('hostile and odd text', () => {
  it('never throws and never keeps markup-like speech as a sentence it cannot read', () => {
    const nasty = [
      '<script>alert(1)</script> i am going to increase your lisinopril',
      '\u202e\u0000??',
      'a'.repeat(5000),
      'hey dragon hey dragon hey dragon',
      '- - - t- t- t-',
    ];
    for (const t of nasty) {
      expect(() => drafted(`[doctor] ${t}\n[patient] ${t}`)).not.toThrow();
      for (const s of drafted(`[doctor] ${t}\n[patient] ${t}`).flat()) expect(readsAsSpeech(s)).toBe(false);
    }
  });
});
