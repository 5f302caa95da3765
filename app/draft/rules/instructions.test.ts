import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciTrain, REPO } from '../../../testing/draft/datasets.ts';
import { loadDrugLexicon } from '../drug-names.ts';
import { findEvidenceDefects } from '../evidence-guard.ts';
import { createDrafter, parseTranscriptText } from '../index.ts';
import { utterancesOf } from '../utterances.ts';
import { instructionFor, patientInstructions, visitAdvice } from './instructions.ts';
import type { PlanEntry, ProblemMention } from './plan.ts';

// Plan items are the drafter's own plan sentences for real ACI-Bench turns (encounter ids beside them); what they
// become must be a plain instruction to the patient, never the plan sentence again.

const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const HE = { subject: 'he', possessive: 'his', object: 'him' };
const NEUTRAL = { subject: 'the patient', possessive: 'their', object: 'the patient' };

function instruction(item: string, who = SHE): string | null {
  const out = instructionFor(item, who, lexicon)?.text ?? null;
  // Never the plan sentence itself, nor a piece of it.
  if (out) expect(item.toLowerCase()).not.toContain(out.toLowerCase().replace(/\.$/, ''));
  return out;
}

describe('patient instructions from real plan items', () => {
  it('writes medicine changes with the dose and how often, to the patient', () => {
    // D2N001 "i wan na increase your lisinopril to 40 milligrams a day, because your blood pressure's high"
    expect(instruction("Increase lisinopril to 40 mg a day, because blood pressure's high.")).toBe(
      'Take lisinopril 40 mg a day from now on, a higher dose than before, because your blood pressure is high.',
    );
    expect(instruction('Start lasix, 20 mg a day.')).toBe('Start taking lasix 20 mg a day.');
    // D2N015 "we're gon na put you on a medicine called combivent"
    expect(instruction('Start a medicine called combivent.')).toBe('Start taking combivent.');
    // D2N066
    expect(instruction('Stop the norvasc.', HE)).toBe('Stop taking norvasc.');
    // D2N003, dictated to the voice assistant: "hey dragon, order ultram 50 milligrams every six hours as needed for pain"
    expect(instruction('Order ultram 50 mg every 6 hours as needed for pain.', HE)).toBe(
      'Take ultram 50 mg every 6 hours as needed for pain.',
    );
  });

  it('tells the patient to keep taking what they take, with inhalers used rather than taken', () => {
    // D2N012 "let's continue you on the albuterol, two puffs, every four to six hours as needed"
    expect(instruction('Continue albuterol, 2 puffs, every four to 6 hours as needed.', HE)).toBe(
      'Keep using albuterol 2 puffs every 4 to 6 hours as needed.',
    );
    // D2N001 "i wan na continue you on your current medications"
    expect(instruction('Continue current medications.')).toBe('Keep taking all your current medicines as before.');
    // D2N008 "i want you to continue on your toprol fifty milligrams daily": the plan sentence is broken, the instruction is not.
    expect(instruction('Advised to continue she on her toprol 50 mg daily.')).toBe('Keep taking your toprol 50 mg daily.');
    // D2N083 (valid): shorthand dosing in plain words.
    expect(instruction("Advised to take ibuprofen that's going to be 600 mg q.6 h.", NEUTRAL)).toBe('Take ibuprofen 600 mg every 6 hours.');
  });

  it('names tests in plain words, with when and what for when the plan says it', () => {
    // D2N012 "we'll repeat a hemoglobin a1c in three months"
    expect(instruction('Repeat hemoglobin a1c in 3 months.', HE)).toBe('Get your blood drawn again for an A1c test in 3 months.');
    // D2N006
    expect(instruction('Order a right upper quadrant ultrasound to rule out any gallstones.')).toBe(
      'Get an ultrasound to check for gallstones.',
    );
    // D2N003
    expect(instruction('Order a ct scan without contrast of abdomen and pelvis.', HE)).toBe('Get a CT scan of your abdomen and pelvis.');
    // D2N008
    expect(instruction('Send off some more labs and anemia profile.')).toBe('Get your blood drawn for an anemia test.');
    // D2N080 (valid)
    expect(instruction('Order an echocardiogram to evaluate that heart murmur.', NEUTRAL)).toBe(
      'Get an ultrasound of your heart (echocardiogram) to check the heart murmur.',
    );
  });

  it('writes referrals and follow-up visits as appointments', () => {
    // D2N008 "i'm gon na go ahead and refer you to gastroenterology"
    expect(instruction('Order referral to gastroenterology.')).toBe('We are sending you to a gastroenterologist.');
    // D2N007
    expect(instruction('Refer to physical therapy to help with those symptoms that are lingering.')).toBe(
      'Go to physical therapy to help with the symptoms that are lingering.',
    );
    // D2N073 (valid)
    expect(instruction('Send to the hematologist.')).toBe('We are sending you to a hematologist, a doctor who treats blood problems.');
    // D2N020
    expect(instruction('Follow up in a couple weeks.', HE)).toBe('Schedule a follow-up appointment in a couple weeks.');
  });

  it('writes advice for home as something the patient does', () => {
    // D2N003 "i want you to push fluids and strain your urine"
    expect(instruction('Advised to push fluids and strain his urine.', HE)).toBe('Drink plenty of fluids and strain your urine.');
    // D2N008
    expect(instruction('Advised to watch her salt intake.')).toBe('Watch your salt intake.');
    expect(instruction('Get a scale, weigh herself every day.')).toBe('Get a scale and weigh yourself every day.');
    // D2N001 "i want you to continue to watch your diet"
    expect(instruction('Advised to continue to watch her diet.')).toBe('Keep watching your diet.');
    // D2N020 "try to cut down on your caffeine 'cause that can also irritate your stomach"
    expect(instruction("Advised to try to cut down on his caffeine'cause that can also irritate his stomach.", HE)).toBe(
      'Try to cut back on your caffeine because that can also irritate your stomach.',
    );
  });

  it('writes a device given to wear or use, and a medicine said dose first (D2N077)', () => {
    // "we are going to give you a thumb spica for today", "i'm going to prescribe you fifty milligrams of ultram".
    expect(instruction('Give a thumb spica for today.')).toBe('Wear the thumb spica.');
    expect(instruction('Give a sling for comfort.')).toBe('Wear the sling.');
    expect(instruction('Prescribe crutches.')).toBe('Use the crutches.');
    expect(instruction('Start 50 mg of ultram every 6 hours.')).toBe('Start taking 50 mg of ultram every 6 hours.');
    // Advice about advice, and an object that is no device or medicine, give none.
    expect(instruction('Give some advice on watching diet.')).toBeNull();
    expect(instruction('Give a reminder as well.')).toBeNull();
  });

  it('gives no instruction for findings, explanations, what happens in the room, or words it cannot write plainly', () => {
    for (const [item, who] of [
      ['She is retaining fluid.', SHE], // D2N001: a finding
      ['Do not see any evidence of a fracture or any swelling.', SHE], // D2N017: the clinician reading an x-ray
      ['Advised to rest their arm on the table here palm side up.', NEUTRAL], // D2N083 (valid): the exam
      ['Start by listening to heart and lungs.', SHE], // D2N073 (valid): the exam beginning
      ['Perform a debridement today in the office.', HE], // D2N086 (valid): done in the room
      ['Monitor after surgery to see if vision is improving.', HE], // D2N074 (valid): the surgeon's task
      ['Use shock waves to break up the stone to help it pass.', NEUTRAL], // D2N085 (valid): explaining lithotripsy
      ['Send it for some tests if that happens.', NEUTRAL], // D2N085 (valid): not a referral
      ['Keep on that twenty of lisinopril.', HE], // D2N078 (valid): recognizer-style words that cannot be written plainly
      ['Start diabetes.', HE], // D2N047: no medicine
      ['Continue this.', HE], // D2N003: nothing to act on
    ] as const)
      expect(instructionFor(item, who, lexicon), item).toBeNull();
  });
});

describe('when to come back and when to call', () => {
  const advice = (id: string, re: RegExp): string[] =>
    visitAdvice(utterancesOf(parseTranscriptText(`[doctor] ${aciLine(id, re)}`))).map((a) => a.text);

  it('keeps the return precautions and follow-up the clinician gave, in plain words', () => {
    expect(advice('D2N008', /call me if your weight/)).toEqual(['Call the clinic if your weight starts to go up.']);
    expect(advice('D2N003', /if your symptoms worsen , just give me a call/)).toEqual(['Call the clinic if your symptoms get worse.']);
    expect(advice('D2N017', /if it's not getting better/)).toContain('Come back sooner if your symptoms are not getting better.');
    expect(advice('D2N005', /finger splint and have you come back/)).toEqual(['Schedule a follow-up appointment in 2 weeks.']);
  });

  it('adds no safety net the clinician did not give: "call us if you need anything" is not one', () => {
    expect(advice('D2N030', /give us a call if you need anything/)).toEqual([]);
    expect(advice('D2N021', /if it's too expensive/)).toEqual([]);
    // A patient saying it is not the clinician's advice.
    expect(visitAdvice(utterancesOf(parseTranscriptText('[patient] i will call you if my weight goes up .')))).toEqual([]);
  });
});

describe('the instructions of a visit', () => {
  const entry = (at: number, text: string, said: string): PlanEntry => ({ text, said, at, evidence: [`s${at}`] });

  it('orders medicines, care, tests, appointments and calls; drops repeats; gives the reason the visit named', () => {
    // D2N070 (valid): the plan items of the diabetes and back-pain problems, in the order said.
    const entries = [
      entry(1, 'Prescribe meloxicam 15 mg once a day.', 'we can prescribe you some meloxicam 15 mg once a day.'),
      entry(2, 'Advised to try to avoid any strenuous activity.', 'i want you to try to avoid any strenuous activity'),
      entry(5, 'Increase metformin to 1000 mg twice a day.', 'so i want to increase the metformin to 1000 mg twice a day.'),
      entry(6, 'Repeat a hemoglobin a1c in about 6 months.', "i'm going to repeat a hemoglobin a1c in about 6 months, okay?"),
      entry(9, 'Order hemoglobin a1c.', 'hey dragon, order a hemoglobin a1c.'),
    ];
    const mentions: ProblemMention[] = [
      { name: 'lumbar strain', at: 0, segmentId: 's0' },
      { name: 'diabetes', at: 4, segmentId: 's4' },
    ];
    const calls = [{ kind: 'call' as const, text: 'Call the clinic if your symptoms get worse.', evidence: ['s10'], at: 10 }];
    const out = patientInstructions(entries, mentions, calls, HE, { lexicon, max: 8 });
    expect(out.map((s) => s.text)).toEqual([
      'Start taking meloxicam 15 mg once a day for your lumbar strain.',
      'Take metformin 1000 mg twice a day from now on, a higher dose than before, to help control your diabetes.',
      'Try to avoid any strenuous activity to help your lumbar strain heal.',
      'Get your blood drawn again for an A1c test in about 6 months so we can see whether the new dose is working.',
      'Call the clinic if your symptoms get worse.',
    ]);
    // Each cites its plan item's turn, and the turn that named the diagnosis its reason names; the repeated A1c cites both.
    expect(out[0]!.evidence).toEqual(['s1', 's0']);
    expect(out[3]!.evidence).toEqual(['s6', 's9', 's4']);
    expect(out[4]!.evidence).toEqual(['s10']);
  });

  it('names an abbreviated diagnosis in plain words for the patient, the abbreviation after it', () => {
    // D2N084 (valid): "get the renal artery ultrasound" under the problem the clinician called "the chf".
    const out = patientInstructions(
      [entry(2, 'Order a renal artery ultrasound.', "i'm going to order a renal artery ultrasound")],
      [{ name: 'chf', at: 1, segmentId: 's1' }],
      [],
      HE,
      { lexicon, max: 8 },
    );
    expect(out.map((s) => s.text).join(' ')).toContain('your heart failure (CHF)');
    expect(out.map((s) => s.text).join(' ')).not.toMatch(/\bchf\b/);
  });

  it('splits a plan item that joins two actions into an instruction for each', () => {
    // The e2e visit's spoken plan: "we will start lisinopril ten milligrams daily and see her again in two weeks".
    const mentions: ProblemMention[] = [{ name: 'hypertension', at: 3, segmentId: 's3' }];
    const out = patientInstructions(
      [entry(3, 'Start lisinopril 10 mg daily and see her again in 2 weeks.', 'for her high blood pressure, we will start lisinopril')],
      mentions,
      [],
      SHE,
      { lexicon, max: 8 },
    );
    expect(out.map((s) => s.text)).toEqual([
      'Start taking lisinopril 10 mg daily to help control your blood pressure (hypertension).',
      'Schedule a follow-up appointment in 2 weeks so we can check on your blood pressure.',
    ]);
  });

  it('adds how long and how often to home care said in the same breath, never to a medicine', () => {
    // D2N078 (valid) "i want you to ice the knee you can do that for twenty minutes at a time for three to four times a day"
    const ice = entry(
      52,
      'Advised to ice the knee.',
      'and then i want you to ice the knee you can do that for twenty minutes at a time for three to four times a day that should also help with the the swelling',
    );
    expect(patientInstructions([ice], [], [], HE, { lexicon, max: 8 })[0]!.text).toBe(
      'Ice your knee for 20 minutes at a time, 3 to 4 times a day.',
    );
    // D2N033 "let's start you on mobic ... i want you to ice your knee once an hour": the ice's timing is not the mobic's.
    const mobic = entry(7, 'Start mobic.', "let's start you on mobic and i want you to ice your knee once an hour for about 15 minutes");
    expect(patientInstructions([mobic], [], [], HE, { lexicon, max: 8 })[0]!.text).toBe('Start taking mobic.');
  });

  it('says what a test is for when the clinician said it, citing that turn, even when the order comes much later', () => {
    // D2N026: the purpose is said at the plan ("mri of the neck, so we can see where ..."), the order before it.
    const said = visitAdvice(utterancesOf(parseTranscriptText(`[doctor] ${aciLine('D2N026', /mri of the neck , so we can see/)}`)));
    const purpose = said.filter((a) => a.kind === 'purpose');
    expect(purpose.map((a) => [a.key, a.text])).toEqual([['mri', 'so we can see where the nerve roots may be compressed']]);
    const moved = purpose.map((a) => ({ ...a, at: 40 }));
    const out = patientInstructions([entry(10, 'Order an mri of neck.', 'i do need to get an mri of your neck.')], [], moved, HE, {
      lexicon,
      max: 8,
    });
    expect(out.map((s) => s.text)).toEqual(['Get an MRI of your neck so we can see where the nerve roots may be compressed.']);
    expect(out[0]!.evidence).toEqual(['s10', purpose[0]!.evidence[0]]);
    // D2N051 "order an arterial ultrasound of your lower extremities to see what the blood supply is like"
    const blood = visitAdvice(
      utterancesOf(parseTranscriptText(`[doctor] ${aciLine('D2N051', /arterial ultrasound of your lower extremities/)}`)),
    ).filter((a) => a.kind === 'purpose');
    expect(blood.map((a) => a.text)).toEqual(['to see what the blood supply is like']);
  });

  it('gives a test no purpose the clinician did not state plainly', () => {
    const purposes = (id: string, re: RegExp): string[] =>
      visitAdvice(utterancesOf(parseTranscriptText(`[doctor] ${aciLine(id, re)}`)))
        .filter((a) => a.kind === 'purpose')
        .map((a) => a.text);
    // D2N029: what the ultrasound can tell, not what it is for; D2N008: nothing definite ("that it's not something else").
    expect(purposes('D2N029', /the ultrasound can tell us if we need to look into this further/)).toEqual([]);
    expect(purposes('D2N008', /just to make sure that it's not something else/)).toEqual([]);
    // D2N035 "some more labs to make sure you tolerate this the new medications": broken words are left out.
    expect(instruction('Order some more labs to make sure you tolerate this the new medications.', HE)).toBeNull();
    // D2N025: a past A1c result is no order; D2N043's A1c ordered in the turn about diabetes is for the diabetes.
    expect(purposes('D2N025', /your last a1c was 5.5/)).toEqual([]);
    expect(purposes('D2N043', /monitor your type two diabetes i am gon na go ahead and order a hemoglobin a1c/)).toEqual([
      'to check on your diabetes',
    ]);
  });

  it('adds what a medicine is for and how to take it when the clinician said so in the same breath', () => {
    // D2N033 "i'll prescribe some mobic you can start taking that as a a pain reliever and to try to get some of the swelling down"
    const mobic = aciLine('D2N033', /i'll prescribe some mobic/);
    expect(patientInstructions([entry(3, 'Prescribe some mobic.', mobic)], [], [], HE, { lexicon, max: 8 })[0]!.text).toBe(
      'Start taking mobic for pain and swelling.',
    );
    // D2N062: "prescribe protonix 40 mg ... take it the first thing in the morning", two plan items, one instruction citing both.
    const protonix = [
      entry(33, 'Prescribe protonix it is 40 mg.', "i'm going to prescribe protonix it is 40 mg"),
      entry(34, 'Advised to take it the first thing in the morning.', 'i want you to take it the first thing in the morning'),
    ];
    const out = patientInstructions(protonix, [], [], HE, { lexicon, max: 8 });
    expect(out.map((s) => s.text)).toEqual(['Start taking protonix 40 mg the first thing in the morning.']);
    expect(out[0]!.evidence).toEqual(['s33', 's34']);
    // D2N061 "i'm gon na give you meloxicam fifteen milligrams and i want you to take that daily for the pain and swelling"
    const meloxicam = aciLine('D2N061', /give you meloxicam fifteen milligrams/);
    const daily = [
      entry(40, 'Prescribe meloxicam 15 mg.', meloxicam),
      entry(40, 'Advised to take that daily for the pain and swelling.', meloxicam),
    ];
    expect(patientInstructions(daily, [], [], HE, { lexicon, max: 8 }).map((s) => s.text)).toEqual([
      'Start taking meloxicam 15 mg daily for pain and swelling.',
    ]);
    // D2N045: two medicines just said ("two tylenol ... two ibuprofen"): "take that 3 times a day" is not given to either.
    const two = [
      entry(34, 'Advised to take tylenol 500 mg.', 'two tylenol 500 mg'),
      entry(34, 'Advised to take ibuprofen 200 mg.', 'two ibuprofen 200 mg tablets'),
      entry(34, 'Advised to take that 3 times a day.', 'take that 3 times a day'),
    ];
    expect(patientInstructions(two, [], [], HE, { lexicon, max: 8 }).map((s) => s.text)).toEqual([
      'Take tylenol 500 mg.',
      'Take ibuprofen 200 mg.',
    ]);
  });

  it('keeps the medicine changes, tests, appointments and calls when there are more items than room', () => {
    const entries = [
      entry(1, 'Advised to watch her salt intake.', 'watch your salt intake'),
      entry(2, 'Advised to continue to watch her diet.', 'continue to watch your diet'),
      entry(3, 'Start lasix, 20 mg a day.', 'start lasix 20 mg a day'),
      entry(4, 'Order echocardiogram.', 'order an echocardiogram'),
    ];
    const calls = [{ kind: 'call' as const, text: 'Call the clinic if your weight starts to go up.', evidence: ['s9'], at: 9 }];
    const out = patientInstructions(entries, [], calls, SHE, { lexicon, max: 3 }).map((s) => s.text);
    expect(out).toEqual([
      'Start taking lasix 20 mg a day.',
      'Get an ultrasound of your heart (echocardiogram).',
      'Call the clinic if your weight starts to go up.',
    ]);
  });

  it('on a real visit: written to the patient, supported by the turns they cite, and not the plan again', async () => {
    const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });
    for (const id of ['D2N001', 'D2N003', 'D2N008', 'D2N012']) {
      const transcript = parseTranscriptText(aciTrain().find((x) => x.id === id)!.dialogue);
      const draft = await drafter.draft({ transcript });
      const instructions = draft.sections.find((s) => s.id === 'instructions')!;
      const plan = draft.sections.find((s) => s.id === 'assessment_plan')!;
      expect(instructions.sentences.length, id).toBeGreaterThan(0);
      expect(findEvidenceDefects(draft, transcript, lexicon), id).toEqual([]);
      const planText = plan.sentences.map((s) => s.text.toLowerCase()).join(' ');
      for (const s of instructions.sentences) {
        expect(planText, s.text).not.toContain(s.text.toLowerCase().replace(/\.$/, ''));
        expect(s.text, id).not.toMatch(/\b(?:she|he|her|his|him|the patient)\b/i);
        expect(s.evidence.length).toBeGreaterThan(0);
      }
    }
  });
});
