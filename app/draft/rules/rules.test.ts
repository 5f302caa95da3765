import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, aciNextLine, REPO } from '../../../testing/draft/datasets.ts';
import { loadDrugLexicon } from '../drug-names.ts';
import { numbersIn, splitSentences, tidySpacing } from '../text.ts';
import { medicationsIn, dosesIn } from './medication.ts';
import { answerPolarity, pertinentFinding, questionFinding, statedNegative } from './negation.ts';
import {
  clinicianToNoteStyle,
  patientToThirdPerson,
  inferPatientReference,
  otherToNoteStyle,
  unlabelledToNoteStyle,
} from './note-style.ts';
import { vitalSignsIn, vitalSignsInTurn, formatVitalSign } from './vitals.ts';

const lexicon = loadDrugLexicon(join(REPO, 'models', 'drafter', 'drug-names.txt'));
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const HE = { subject: 'he', possessive: 'his', object: 'him' };

describe('negation (real ACI-Bench turns)', () => {
  it('turns a symptom question answered "no" into a denial', () => {
    const q = aciLine('D2N001', /any symptoms like chest pains/);
    const a = aciNextLine('D2N001', /any symptoms like chest pains/);
    expect(answerPolarity(a)).toBe('denies');
    const f = pertinentFinding(tidySpacing(q), a, SHE);
    expect(f?.polarity).toBe('denies');
    expect(f?.text).toMatch(/^She denies .*chest pains, shortness of breath, .*swelling in her legs\.$/);
  });

  it('reads a positive answer as reported', () => {
    expect(answerPolarity('yeah , a little bit .')).toBe('reports');
    expect(pertinentFinding('have you had any nausea?', 'yes, some', HE)?.text).toBe('He reports nausea.');
  });

  it('never turns a qualified answer into a blanket denial', () => {
    const f = pertinentFinding(
      'any chest pain or shortness of breath?',
      'no chest pain, but i get some shortness of breath on the stairs.',
      SHE,
    );
    expect(f?.text).not.toMatch(/denies/);
    expect(f?.text).toBe(
      'Regarding chest pain or shortness of breath: no chest pain, but she gets some shortness of breath on the stairs.',
    );
    expect(pertinentFinding('any fever or chills?', 'no.', SHE)?.text).toBe('She denies fever or chills.');
  });

  it('finds no finding in questions that ask for none', () => {
    expect(questionFinding('do you have any questions?')).toBeNull();
    expect(questionFinding('how are you doing today?')).toBeNull();
  });

  it('reads a denial the patient states', () => {
    expect(statedNegative("i haven't had any fevers or anything like that", SHE)).toBe('She denies fevers.');
    expect(statedNegative("i don't have any pain but my knee is swollen", SHE)).toBeNull();
    expect(patientToThirdPerson("i don't have any pain but my knee is swollen", SHE)).toBe(
      'She does not have any pain but her knee is swollen.',
    );
  });
});

describe('medication with dose and frequency (real ACI-Bench turns)', () => {
  it('reads meloxicam 15 milligrams once a day and ultram 50 milligrams every four hours as needed', () => {
    const line = aciLine('D2N009', /meloxicam 15 milligrams once a day along with some ultram/);
    const meds = medicationsIn(line, lexicon);
    expect(meds).toContainEqual({ drug: 'meloxicam', dose: '15 mg', frequency: 'once a day' });
    expect(meds.find((m) => m.drug === 'ultram')).toMatchObject({ dose: '50 mg', frequency: 'every four hours' });
  });

  it('reads metformin 1,000 milligrams twice daily', () => {
    const line = aciLine('D2N004', /increase your metformin/);
    expect(medicationsIn(line, lexicon)).toContainEqual({ drug: 'metformin', dose: '1000 mg', frequency: 'twice daily' });
    expect(dosesIn(line)).toEqual(expect.arrayContaining(['15 mg', '1000 mg']));
  });

  it('keeps the dose in the note sentence with units', () => {
    const line = aciLine('D2N008', /start you on some lasix 40 milligrams/);
    const sentence = clinicianToNoteStyle(line.split(' . ').find((s) => /lasix/.test(s))!, HE);
    expect(sentence).toMatch(/lasix 40 mg once a day/);
  });
});

describe('vital signs (real ACI-Bench turns)', () => {
  it('reads blood pressure, weight from a dictated exam', () => {
    const line = aciLine('D2N032', /blood pressure is 115 over 75/);
    const vitals = vitalSignsIn(line);
    expect(vitals).toContainEqual({ name: 'Blood pressure', value: '115/75', unit: 'mmHg' });
    expect(vitals.map(formatVitalSign)).toContain('Blood pressure 115/75 mmHg');
    expect(vitals).toContainEqual({ name: 'Weight', value: '169', unit: 'lb' });
  });

  it('reads spoken numbers and percent', () => {
    expect(vitalSignsIn('your blood pressure is one twenty over eighty and your oxygen saturation is ninety eight percent')).toEqual([
      { name: 'Blood pressure', value: '120/80', unit: 'mmHg' },
      { name: 'Oxygen saturation', value: '98', unit: '%' },
    ]);
    expect(vitalSignsIn('heart rate of 72, temperature 98.6')).toEqual([
      { name: 'Heart rate', value: '72', unit: 'bpm' },
      { name: 'Temperature', value: '98.6', unit: '°F' },
    ]);
  });
});

describe('vital signs said in passing (real ACI-Bench train turns, decision 0213)', () => {
  it('reads a temperature said with its decimal, which the transcript writes as a sentence end', () => {
    const line = aciLine('D2N035', /your temperature is ninety eight \. seven/);
    // Read from the whole turn: its sentences are split at the decimal ("... ninety eight." "seven and your heart rate ...").
    const turn = splitSentences(tidySpacing(line)).join(' ');
    expect(vitalSignsIn(turn)).not.toContainEqual(expect.objectContaining({ name: 'Temperature', value: '98.7' }));
    expect(vitalSignsInTurn(turn)).toContainEqual({ name: 'Temperature', value: '98.7', unit: '°F' });
    // The evidence guard reads the same number from the raw turn, and no longer reads "ninety eight . seven" as 105.
    expect(numbersIn(line)).toContain('98.7');
    expect(numbersIn(line)).not.toContain('105');
    const running = vitalSignsInTurn(splitSentences(tidySpacing(aciLine('D2N048', /you're running normal ninety seven/))).join(' '));
    expect(running).toContainEqual({ name: 'Temperature', value: '97.1', unit: '°F' });
    expect(running).toContainEqual({ name: 'Oxygen saturation', value: '100', unit: '%' });
    expect(running).toContainEqual({ name: 'Blood pressure', value: '125/70', unit: 'mmHg' });
  });

  it('reads a blood pressure with words between it and the reading', () => {
    expect(vitalSignsIn(aciLine('D2N016', /156 over 94/))).toEqual([{ name: 'Blood pressure', value: '156/94', unit: 'mmHg' }]);
    expect(vitalSignsIn(aciLine('D2N035', /blood pressure looks pretty good today/))).toContainEqual({
      name: 'Blood pressure',
      value: '128/72',
      unit: 'mmHg',
    });
    expect(vitalSignsIn(aciLine('D2N066', /blood pressure in the clinic/))).toEqual([
      { name: 'Blood pressure', value: '120/70', unit: 'mmHg' },
    ]);
    expect(vitalSignsIn(aciLine('D2N039', /it's one sixty nine over seventy four/))).toEqual(
      expect.arrayContaining([
        { name: 'Blood pressure', value: '169/74', unit: 'mmHg' },
        { name: 'Heart rate', value: '88', unit: 'bpm' },
      ]),
    );
  });

  it('never reads a home reading, a top number alone or a pedal pulse as a vital sign', () => {
    expect(vitalSignsIn(aciLine('D2N041', /my blood pressure is like all over the place/))).toEqual([]);
    expect(vitalSignsIn('my blood pressure at home is usually 150 over 90')).toEqual([]);
    expect(vitalSignsIn(aciLine('D2N042', /strong dorsalis pedis pulse/)).map((v) => v.name)).not.toContain('Heart rate');
  });

  it('reads oxygen and heart rate said with a few words before the number', () => {
    expect(vitalSignsIn(aciLine('D2N062', /your o2 sat is at a hundred percent/))).toContainEqual({
      name: 'Oxygen saturation',
      value: '100',
      unit: '%',
    });
    expect(vitalSignsIn(aciLine('D2N035', /oxygen saturation looks pretty good/))).toContainEqual({
      name: 'Oxygen saturation',
      value: '96',
      unit: '%',
    });
    expect(vitalSignsIn(aciLine('D2N048', /about sixty beats a minute/))).toContainEqual({ name: 'Heart rate', value: '60', unit: 'bpm' });
    expect(numbersIn('satting at a hundred percent')).toEqual(['100']);
  });
});

describe('note style', () => {
  it('writes patient speech in the third person with durations and laterality', () => {
    expect(patientToThirdPerson("i've been having pain in my right knee for about two weeks .", SHE)).toBe(
      'She has been having pain in her right knee for about 2 weeks.',
    );
    expect(patientToThirdPerson("um , i don't take my blood pressure medicine every day", HE)).toBe(
      'He does not take his blood pressure medicine every day.',
    );
  });

  it('turns "you" into the patient in clinician speech', () => {
    expect(clinicianToNoteStyle("so , you're retaining a little bit of fluid , okay ?", HE)).toBe('He is retaining fluid.');
  });

  it('reports a family member in the third person, and leaves unlabelled speech as said', () => {
    expect(otherToNoteStyle("i've been giving her water with juice")).toBe('Per family, they have been giving her water with juice.');
    expect(unlabelledToNoteStyle("um , i've had a cough")).toBe("I've had a cough.");
  });

  it('infers the pronoun from how the clinician speaks', () => {
    expect(inferPatientReference(aciLine('D2N001', /martha is a 50-year-old female/)).subject).toBe('she');
    expect(inferPatientReference('how are you today?').subject).toBe('the patient');
  });
});
