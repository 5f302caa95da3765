import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciNextLine, REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf } from '../utterances.ts';
import { alsoDenied, answeredFinding, confirmedStatement, deniedStatement, recalledNone, statementAsked } from './answers.ts';
import { questionFinding } from './negation.ts';
import { patientToThirdPerson } from './note-style.ts';
import { historyFact, noteSentences } from './sentences.ts';
import { readsAsSpeech } from './voice.ts';

/**
 * Answers written with what was asked (decision 0197), on real ACI-Bench train turns: a "yes" to a question that
 * states a fact about the patient is that fact in note voice.
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const find = (t: string): string[] => terms.find(t).map((x) => x.name);
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const HE = { subject: 'he', possessive: 'his', object: 'him' };

/** The note sentences the answer to the train turn matching `question` yields. */
function answered(id: string, question: RegExp, who = HE): string[] {
  const q = aciLine(id, question);
  const a = aciNextLine(id, question);
  const us = utterancesOf(parseTranscriptText(`[doctor] ${q}\n[patient] ${a}`));
  return us.filter((u) => u.speaker === 'patient').flatMap((u) => noteSentences(u, who, find).map((s) => s.text));
}

describe('a "yes" confirms what the question states', () => {
  it('writes medicines the patient confirms taking', () => {
    expect(answered('D2N004', /and you are still on your metformin \?/)).toContain('He is still on his metformin.');
    // "that i prescribed" points at the conversation, not at the fact.
    expect(answered('D2N006', /are you taking the allopurinol that i prescribed/, SHE)).toContain('She is taking the allopurinol.');
    expect(answered('D2N014', /have you been taking all of your meds for your heart failure/)).toContain(
      'He has been taking all of his meds for his heart failure.',
    );
    // "for that" has nothing to point at in the note.
    expect(answered('D2N017', /and you take uh- uh , fluocinonide for that/, SHE)).toContain('She takes fluocinonide.');
  });

  it('writes a confirmed finding or history in the third person', () => {
    expect(answered('D2N021', /is your s- skin pretty sensitive/, SHE)).toContain('Her skin is sensitive.');
    expect(answered('D2N017', /it looks like you had a history of atopic eczema/, SHE)).toContain('She has a history of atopic eczema.');
    // "... a colectomy? what happened there?" "yes, ...": the yes answers the question before the wh-question.
    expect(answered('D2N017', /previous surgical history of a colectomy/, SHE)).toContain(
      'She has a previous surgical history of a colectomy.',
    );
    const weight = answered('D2N032', /it looks like you've had intentional weight loss/, SHE);
    expect(weight).toContain('She has had intentional weight loss.');
    expect(weight).toContain('She has lost 110 pounds.');
    for (const s of weight) expect(readsAsSpeech(s)).toBe(false);
  });

  it('confirms nothing for alternatives, lists, "any" questions, chat or a qualified yes', () => {
    // "your hip today, or your leg today?" "yes." does not say which.
    expect(answered('D2N017', /you're here for your hip today , or your- your leg today/, SHE).some((s) => /here for/.test(s))).toBe(false);
    // A list the patient may do some of.
    expect(statementAsked('do you exercise, go to the store, that type of thing?')).toBeNull();
    // "any" questions are the pertinent-positive rule's ("She reports ...").
    expect(statementAsked('are you having any chest pain?')).toBeNull();
    expect(statementAsked('how are you doing with your blood sugars?')).toBeNull();
    expect(confirmedStatement('are you okay?', 'yes.', HE)).toBeNull();
    expect(confirmedStatement('you have been taking your medicine?', 'yes, but i miss a dose every week.', HE)).toBeNull();
    expect(confirmedStatement('and you are still on your metformin?', 'no.', HE)).toBeNull();
  });
});

describe('findings the answer itself names', () => {
  it('reports the finding a short answer names from the list asked', () => {
    expect(answered('D2N010', /body aches , joint pain \?/)).toEqual(['He reports joint pain.']);
    expect(answeredFinding('slight cramps .', HE, find)).toBe('He reports slight cramps.');
    expect(answered('D2N012', /any chest pain , shortness of breath , or belly pain/)).toContain('He reports shortness of breath.');
    // A body part named in answer is not a finding of its own.
    expect(answeredFinding('the right knee .', HE, find, 'any knee pain ?')).toBeNull();
    expect(answeredFinding('uh , my knee .', HE, find, 'multiple joints , or just one joint ?')).toBeNull();
  });

  it('denies what a "no" names beyond the question', () => {
    const out = answered('D2N008', /have you passed out at all , or anything like that \? any weight loss/, SHE);
    expect(out).toContain('She denies weight loss.');
    expect(out).toContain('She denies passing out.');
  });

  it('denies findings the patient cannot recall having', () => {
    expect(recalledNone("ca n't recall a fever or any kind of rash .", HE)).toBe('He denies fever or rash.');
    expect(recalledNone(aciNextLine('D2N034', /do you remember what you were doing when the pain first started/), HE)).toBeNull();
    expect(recalledNone("and i do n't think i've had like any tingling or anything like that", HE)).toBe('He denies tingling.');
    expect(recalledNone("i don't think i have had it checked", HE)).toBeNull();
  });

  it('leaves out hedged, negated or verb-bearing answers', () => {
    expect(answeredFinding('maybe nausea .', HE, find)).toBeNull();
    expect(answeredFinding('no weight loss .', HE, find)).toBeNull();
    expect(answeredFinding('it hurts when i walk .', HE, find)).toBeNull();
    // A "no" that names only what was asked adds nothing.
    expect(alsoDenied('no , no weight loss .', 'He denies weight loss.', HE)).toBeNull();
    expect(alsoDenied('no .', 'He denies weight loss.', HE)).toBeNull();
  });
});

describe('a plain "no" denies what the question states', () => {
  it("keeps the question's own verb", () => {
    expect(answered('D2N008', /do your stools look dark or tarry or black/, SHE)).toContain(
      'Her stools do not look dark or tarry or black.',
    );
    expect(answered('D2N026', /is moving your shoulder uncomfortable at all/)).toContain('Moving his shoulder is not uncomfortable.');
    expect(deniedStatement('are you still taking the ibuprofen?', 'no.', HE)).toBe('He is no longer taking the ibuprofen.');
  });

  it('denies nothing for two questions in one, "any" questions or a "no" that goes on', () => {
    const q = aciLine('D2N028', /do you not have a bowel movement or is the stool hard/);
    expect(deniedStatement(q, 'no.', HE)).toBeNull();
    expect(deniedStatement('do you take any aspirin?', 'no.', HE)).toBeNull();
    expect(deniedStatement('is your pain worse at night?', 'no, but it is worse in the morning.', HE)).toBeNull();
    expect(deniedStatement('is your pain worse at night?', 'yes.', HE)).toBeNull();
  });
});

describe('where it hurts and when it began', () => {
  it('writes a short answer to "where is it tender?" as the location and "when did these ... occur?" as the onset', () => {
    expect(historyFact('where is it mostly tender right now?', 'right on the inside of my knee.', SHE)).toBe(
      'Location: On the inside of her knee.',
    );
    expect(historyFact('when did these four days of chest pain occur?', 'um, early october.', HE)).toBe('Onset: Early october.');
    expect(written2('[doctor] how long has this been going on ?\n[patient] two weeks .')).toEqual(['Onset: 2 weeks.']);
  });

  it('writes no location for an answer that names no place, nor for other "where" questions', () => {
    expect(historyFact('where is it mostly tender right now?', 'everywhere, really.', SHE)).toBeNull();
    expect(historyFact('where do you work?', 'at the bank downtown.', SHE)).toBeNull();
  });
});

function written2(lines: string): string[] {
  return utterancesOf(parseTranscriptText(lines))
    .filter((u) => u.speaker === 'patient')
    .flatMap((u) => noteSentences(u, SHE, find).map((s) => s.text));
}

describe('when the last one was', () => {
  it('writes when a test or event was last, from a short answer that says when', () => {
    expect(answered('D2N006', /and when was your last bowel movement/, SHE)).toEqual(['Last bowel movement: 2 days ago.']);
    // No time in the answer, no fact.
    expect(historyFact('and when was your last menstrual period?', 'gosh.', SHE)).toBeNull();
    expect(historyFact('when was your last visit with your cardiologist?', 'last spring.', SHE)).toBeNull();
  });
});

describe('what a "yes" goes on to say', () => {
  it('is said clause by clause when it does not read as one written sentence', () => {
    const out = answered('D2N012', /so , joseph , how have you been doing/);
    expect(out.some((s) => /\bhe is at least keeping his diabetes under control\b/i.test(s))).toBe(true);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });
});

describe('one finding asked on its own', () => {
  it('reads "like x?" and "what about x?" as a question about x', () => {
    expect(answered('D2N002', /i mean , like muscle aches/)).toEqual(['He denies muscle aches.']);
    expect(questionFinding('okay what about chest pain')).toBe('chest pain');
  });

  it('is no finding when it points, grades or names a part of life', () => {
    for (const q of [
      'what about down here?',
      'so like really severe?',
      'okay how about the outside',
      'how about exercise?',
      'like 12 hours ago now?',
    ])
      expect(questionFinding(q), q).toBeNull();
  });
});

describe('what the patient did with others ("we")', () => {
  it("is written as the patient's own doing", () => {
    const yard = aciLine('D2N011', /we were doing a bunch of yard work/);
    expect(written2(`[doctor] so , what happened ?\n[patient] ${yard}`).map((s) => s.replace(/^She/, 'He'))).toContain(
      'He was doing a bunch of yard work.',
    );
    expect(patientToThirdPerson('so i was a passenger in a car that was rear-ended , and we were hit multiple times .', HE)).toMatch(
      /he was hit multiple times\.$/,
    );
  });

  it('leaves plans and names said with "we" as they were said (so they stay out of the note)', () => {
    expect(readsAsSpeech(patientToThirdPerson("we're going to order some additional blood work .", SHE))).toBe(true);
    expect(readsAsSpeech(patientToThirdPerson('we call this hallux rigidus .', SHE))).toBe(true);
  });
});

describe('the question a "no" answers about a part of the body', () => {
  it('reads "any numbness in your foot" and drops a joint the question trails off with', () => {
    expect(questionFinding('have you experienced any numbness in your foot at all')).toBe('numbness in your foot');
    expect(questionFinding('did you have some trauma to your foot or')).toBe('trauma to your foot');
  });
});

describe('only the first sentence of a turn answers yes or no', () => {
  it('does not read "so i do n\'t know if ..." later in the answer as a yes', () => {
    const q = 'did you have some trauma to your foot or';
    const out = written2(
      `[doctor] ${q}\n[patient] i was out in the backyard doing some work . so i do n't know if that kind of led to anything .`,
    );
    expect(out.some((s) => /reports trauma/.test(s))).toBe(false);
  });
});
