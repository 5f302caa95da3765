import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciNextLine, REPO, SHARED } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { lateralitiesIn } from '../text.ts';
import { readAciBench } from '../training-data.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf, withAnswersApart, withRolesSettled } from '../utterances.ts';
import { confirmedStatement, deniedStatement, familyHistoryUnknown, reportedWithout } from './answers.ts';
import { pertinentFinding, questionFinding } from './negation.ts';
import { cleanSpoken } from './note-style.ts';
import { historyFact, noteSentences } from './sentences.ts';

/**
 * Concept recall from answers and from sentences written but not chosen (decision 0220), on real ACI-Bench train turns,
 * with the lines that must stay out.
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

const HE = { subject: 'he', possessive: 'his', object: 'him' };

function written(lines: string, who = SHE): string[] {
  return withAnswersApart(withRolesSettled(utterancesOf(parseTranscriptText(lines)))).flatMap((u) =>
    noteSentences(u, who, find).map((s) => s.text),
  );
}

/** The transcript line of an ACI-Bench valid encounter that matches (the train helper reads train only). */
function validLine(id: string, pattern: RegExp): string {
  const line = readAciBench(SHARED, 'valid')
    .find((e) => e.id === id)!
    .dialogue.split('\n')
    .find((l) => pattern.test(l));
  if (!line) throw new Error(`no line matching ${pattern} in ${id}`);
  return line;
}

describe('a tag "right" ending unpunctuated speech', () => {
  it('is dropped from the statement, so a problem line holding it is not read as naming a side', () => {
    const line = aciLine('D2N063', /so i think this is all muscular pain right now for your back pain/);
    expect(written(`[doctor] ${line}`)).toContain('This is all muscular pain.');
    expect(cleanSpoken("it's about one twenty over seventy right")).toBe("it's about one twenty over seventy");
    // A side stays a side, and "does that sound right" is still the question it was.
    expect(cleanSpoken('positive straight leg raise on the right')).toBe('positive straight leg raise on the right');
    expect(cleanSpoken('turn to the right')).toBe('turn to the right');
    expect(cleanSpoken('does that sound right')).toBe('does that sound right');
  });

  it('reads a side within its own sentence when sentences are joined into one problem line', () => {
    expect(lateralitiesIn('This is all muscular pain right. Start naprosyn.')).toEqual([]);
    expect(lateralitiesIn('Back pain. Tenderness of the right knee.')).toEqual(['right']);
  });
});

describe('answers about the family', () => {
  it('writes "i was adopted" to a family question as a family history not known', () => {
    const q = aciLine('D2N046', /any family history of any gynecological cancers/);
    expect(aciNextLine('D2N046', /any family history of any gynecological cancers/)).toBe('i was adopted');
    expect(written(`[doctor] ${q}\n[patient] i was adopted`)).toEqual(['No known family history; she was adopted.']);
    expect(familyHistoryUnknown('anyone in your family have any history of diseases?', 'i was adopted so i really have no idea.', HE)).toBe(
      'No known family history; he was adopted.',
    );
    // Said to any other question, or said of someone else, it is no family history.
    expect(familyHistoryUnknown('where did you grow up?', 'i was adopted, we lived in ohio.', HE)).toBeNull();
    expect(familyHistoryUnknown('anyone in the family with diabetes?', 'my brother was adopted.', HE)).toBeNull();
  });

  it('names the relative a "yes" gives, and reads "anyone in your family that you know have x"', () => {
    // Valid D2N085 and D2N082 (the brief's examples); the question and answer as the turn holds them.
    expect(pertinentFinding('okay is anyone in your in your family had kidney stones', 'yes my father had them', HE)?.text).toBe(
      'Family history of kidney stones (father).',
    );
    expect(
      pertinentFinding(
        'okay what about your family are are anyone in your family that you know have immune deficiencies',
        'no my family is actually pretty healthy',
        HE,
      )?.text,
    ).toBe('No family history of immune deficiencies.');
    // Two relatives: which had what is not said, so none is named.
    expect(pertinentFinding('anyone in your family with diabetes?', 'yes, my mom and my dad.', HE)?.text).toBe(
      'Family history of diabetes.',
    );
  });
});

describe("a clinician's unpunctuated turn that holds the patient's answers", () => {
  it('pairs each question with the answer glued after it (valid D2N085)', () => {
    const turn = validLine('D2N085', /do you have any nausea vomiting any fever chills i feel nauseated/);
    const out = written(turn);
    expect(out).toContain('She reports nausea without vomiting.');
    expect(out).toContain('Family history of kidney stones (father).');
  });

  it("leaves the clinician's own first person with the clinician", () => {
    for (const line of [
      aciLine('D2N047', /are you as excited as i am that georgia beat alabama/),
      aciLine('D2N041', /are you taking the lisinopril i think we/),
      aciLine('D2N039', /how many drinks a week is really what i'm looking for/),
      validLine('D2N080', /adjustments to your metformin and i'm also gon na order a lipid panel/),
    ]) {
      const us = withAnswersApart(utterancesOf(parseTranscriptText(line)));
      expect(us.some((u) => u.speaker === 'patient')).toBe(false);
    }
    // An answer that says "you" is the clinician still talking.
    const urologist = aciLine('D2N047', /have you ever seen a urologist i do n't think so/);
    expect(withAnswersApart(utterancesOf(parseTranscriptText(urologist))).some((u) => u.speaker === 'patient')).toBe(false);
  });
});

describe('one finding had and one not', () => {
  it("writes them in the question's words, only when both were asked", () => {
    const q = 'okay and do you have any nausea vomiting any fever chills';
    expect(reportedWithout(q, "i feel nauseated but i'm not vomiting", HE)).toBe('He reports nausea without vomiting.');
    expect(reportedWithout(q, "i feel tired but i'm not sleeping", HE)).toBeNull();
    expect(reportedWithout('any cough?', "i feel nauseated but i'm not vomiting", HE)).toBeNull();
  });

  it('reads no finding in a wh-question ("what have you taken for the pain")', () => {
    expect(questionFinding('okay and what have you taken for the pain')).toBeNull();
    expect(questionFinding('how long have you had the rash?')).toBeNull();
    expect(questionFinding('have you taken anything for the pain?')).not.toBeNull();
  });
});

describe('what the clinician states they know before asking', () => {
  it('is written as a fact of the history, the question left out', () => {
    const line = aciLine('D2N007', /coronary artery bypass grafting at the young age of 27/);
    expect(written(`[doctor] ${line}`)).toEqual(['She has had a coronary artery bypass grafting at the young age of 27.']);
    // Valid D2N071: only the part about the patient, not what the nurse did.
    const ros = validLine('D2N071', /you endorsed some nasal congestion from the pollen/);
    expect(written(ros, HE)).toEqual(['He endorsed some nasal congestion from the pollen.']);
  });

  it('writes nothing from a question without such a lead', () => {
    expect(written("[doctor] and you've had a coronary artery bypass, so how's that going?")).toEqual([]);
    expect(written('[doctor] i was wondering about your knee, and how is the pain now?')).toEqual([]);
  });
});

describe('a choice of what makes it worse, answered with one', () => {
  it('writes the one named (valid D2N075), never when both or neither are', () => {
    const q = validLine('D2N075', /was the pain worse with eating or exercise/).replace(/^\[[a-z_]+\]\s*/, '');
    expect(written(`[doctor] ${q}\n[patient] yes . with eating .`, HE)).toContain('Worse with eating.');
    expect(historyFact(q, 'with eating and exercise', HE)).toBeNull();
    expect(historyFact(q, "i'm not sure", HE)).toBeNull();
    expect(historyFact('does it get better with rest or ice?', 'rest mostly', HE)).toBe('Better with rest.');
  });
});

describe('an answer that needs its question to say what "it" is', () => {
  it('is the fact the question asks (D2N031), while a sentence that stands alone stays as said', () => {
    const q = aciLine('D2N031', /when was your last menstrual period/);
    const a = aciNextLine('D2N031', /when was your last menstrual period/);
    expect(a).toMatch(/^gosh/);
    expect(written(`[doctor] ${q}\n[patient] ${a}`)).toContain('Last menstrual period: Probably around 30 years ago.');
    expect(written(`[doctor] ${q}\n[patient] gosh . i stopped having them when i turned fifty .`).join(' ')).not.toMatch(/^Last/);
  });
});

describe('"have you ever ..." answered yes or no', () => {
  it('writes what the patient has or has never done (D2N029, D2N028)', () => {
    const smoker = aciLine('D2N029', /have you ever been a smoker/);
    const said = written(`[doctor] ${smoker}\n[patient] ${aciNextLine('D2N029', /have you ever been a smoker/)}`);
    expect(said.slice(0, 2)).toEqual(['She has been a smoker.', 'She still smokes from time to time.']);
    const colonoscopy = aciLine('D2N028', /have you ever had a colonoscopy/);
    expect(deniedStatement(colonoscopy, 'no.', HE)).toBe('He has never had a colonoscopy.');
    // "any" asks about findings (the pertinent-negative rule's), and a qualified yes confirms nothing.
    expect(confirmedStatement('have you ever had any surgeries?', 'yes.', HE)).toBeNull();
    expect(confirmedStatement(colonoscopy, 'yes, but a long time ago.', HE)).toBeNull();
  });
});

describe('a "no" that repeats the finding denied and goes on', () => {
  it('denies what the rest of the answer names (D2N065), without saying the first denial twice', () => {
    const q = aciLine('D2N065', /have you experienced any numbness in your foot at all/);
    const a = aciNextLine('D2N065', /have you experienced any numbness in your foot at all/);
    expect(a).toMatch(/^no no numbness and i do n't think/);
    const out = written(`[doctor] ${q}\n[patient] ${a}`);
    expect(out).toContain('She denies tingling.');
    expect(out.filter((s) => /numbness/.test(s))).toHaveLength(1);
    // A "no" about something else is not the denial repeated: the answer is left as it was.
    expect(written(`[doctor] ${q}\n[patient] no no fever and i do n't think i've had like any tingling`).join(' ')).not.toMatch(
      /denies tingling/,
    );
  });
});

describe('the rest of what was asked denied in a later sentence of the answer', () => {
  it('reads the turn so far for what was had (D2N008)', () => {
    const q = aciLine('D2N008', /anything else that i might have missed/);
    const a = aciNextLine('D2N008', /anything else that i might have missed/);
    expect(a).toMatch(/nasal congestion .*\. but everything else has been okay/);
    expect(written(`[doctor] ${q}\n[patient] ${a}`)).toContain('She denies sore throat or cough.');
    // A turn that names nothing asked still denies nothing ("the rest" is not known).
    expect(written(`[doctor] ${q}\n[patient] i've been tired . but everything else has been okay .`).join(' ')).not.toMatch(/denies/);
  });
});

describe('a finding asked with a time clause about the patient', () => {
  it('is written without "you" (D2N004), never from an auxiliary', () => {
    const q = aciLine('D2N004', /any problems laying flat while you go to bed/);
    expect(written(`[doctor] ${q}\n[patient] no .`, HE)).toEqual(['He denies problems laying flat while going to bed.']);
    expect(questionFinding('any pain when you sit?')).toBe('pain when sitting');
    expect(questionFinding("any pain when you're walking?")).toBe('pain when walking');
    // "while you were ..." names no doing: the question is left as it was (no finding with "you" in it).
    expect(questionFinding('any chest pain while you were there?')).toBeNull();
  });
});
