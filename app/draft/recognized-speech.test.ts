import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOW_WORD_CONFIDENCE, type Draft, type Transcript } from '../contract/index.ts';
import {
  compose,
  fixtureDir,
  speakEspeak,
  speakFlite,
  type FixtureDir,
  type FliteVoice,
} from '../../testing/transcribe/speech-fixtures.ts';
import { transcribePcm } from '../transcribe/index.ts';
import { createDrafter } from './index.ts';
import { numbersIn } from './text.ts';

// Notes drafted from real recognition (decision 0200): flite / espeak-ng speak a short visit, Debian pocketsphinx
// recognizes it with word confidences, and the built-in drafter writes the note. Whatever the recognizer gets wrong,
// the note states no dose, number or word it was unsure of, and garbled output never becomes note text.

const VISIT =
  'The patient has had a bad headache for three days. She has no fever. Her blood pressure today is one hundred forty over ninety. For her high blood pressure, we will start lisinopril ten milligrams daily and see her again in two weeks.';
const CONTEXT = {
  problems: ['Essential hypertension'],
  medications: ['lisinopril 10 MG Oral Tablet'],
  sex: 'female' as const,
};

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('scribe-draft-asr-');
});
afterAll(async () => {
  await fx.remove();
});

async function recognize(voice: FliteVoice | 'espeak'): Promise<Transcript> {
  const pcm = voice === 'espeak' ? await speakEspeak(fx, VISIT) : await speakFlite(fx, VISIT, voice);
  return transcribePcm(compose([{ pcm, text: VISIT }], 0, 0.5, 1.5).pcm, { vocabulary: ['lisinopril', 'hypertension'] });
}

async function draft(transcript: Transcript): Promise<Draft> {
  return createDrafter({ engine: 'builtin', now: () => new Date(0) }).draft({ transcript, context: CONTEXT });
}

const sentencesOf = (d: Draft): Array<{ text: string; evidence: string[] }> => d.sections.flatMap((s) => s.sentences);

/** The recognized words of some turns, number words read as numbers, each with the lowest confidence it was heard at. */
function heardWords(transcript: Transcript, ids?: readonly string[]): Array<{ word: string; confidence: number }> {
  const out: Array<{ word: string; confidence: number }> = [];
  for (const s of transcript.segments) {
    if (ids && !ids.includes(s.id)) continue;
    const words = s.words ?? [];
    for (let i = 0; i < words.length; i++) {
      // A spoken number and the words that spell it ("one hundred forty"): as each number it can be read as.
      let j = i;
      while (j < words.length && numbersIn(words[j]!.word).length + Number(/^(hundred|thousand)$/.test(words[j]!.word)) > 0) j++;
      if (j > i) {
        const run = words.slice(i, j);
        const confidence = Math.min(...run.map((w) => w.confidence));
        for (const n of numbersIn(run.map((w) => w.word).join(' '))) out.push({ word: n, confidence });
        i = j - 1;
        continue;
      }
      out.push({ word: words[i]!.word.toLowerCase().replace(/^milligrams?$/, 'mg'), confidence: words[i]!.confidence });
    }
  }
  return out;
}

const sure = (heard: Array<{ word: string; confidence: number }>, word: string): boolean =>
  heard.some((h) => h.word === word && h.confidence >= LOW_WORD_CONFIDENCE);

describe('notes drafted from pocketsphinx recognition of a synthesised visit', () => {
  for (const voice of ['kal16', 'awb'] as const) {
    it(`flite ${voice}: every dose and number in the note was heard with confidence, no unit stands without a number`, {
      timeout: 180_000,
    }, async () => {
      const transcript = await recognize(voice);
      const said = transcript.segments.map((s) => s.text).join(' ');
      const note = await draft(transcript);
      const all = sentencesOf(note);
      const text = all.map((s) => s.text).join('\n');
      expect(all.length, said).toBeGreaterThan(0);
      // What was heard clearly is still in the note: the drug started (its name was recognized with confidence).
      if (sure(heardWords(transcript), 'lisinopril') && /\bstart lisinopril\b/.test(said)) expect(text).toMatch(/\blisinopril\b/i);
      for (const s of all) {
        expect(s.text, `${s.text}\n(heard: ${said})`).not.toMatch(/\b(?!\d)[a-z']+\s+(?:mg|milligrams?)\b/i);
        const heard = heardWords(transcript, s.evidence);
        for (const dose of s.text.matchAll(/\b(\d+(?:\.\d+)?)\s*mg\b/g))
          expect(sure(heard, dose[1]!) || sure(heardWords(transcript), dose[1]!), `${s.text}\n(heard: ${said})`).toBe(true);
        for (const n of numbersIn(s.text.replace(/\([^)]*\)/g, '')))
          expect(
            heard.some((h) => h.word === n) ? sure(heard, n) : true,
            `${n} in "${s.text}" was heard only with low confidence\n(heard: ${said})`,
          ).toBe(true);
      }
    });
  }

  it('espeak-ng: the garbled recognition of a voice the acoustic model barely knows writes no garbled note text', {
    timeout: 180_000,
  }, async () => {
    const transcript = await recognize('espeak');
    const note = await draft(transcript);
    const said = transcript.segments.map((s) => s.text).join(' | ');
    for (const s of sentencesOf(note)) {
      // Each sentence's own words (those the recognizer wrote) were mostly heard with confidence.
      const heard = heardWords(transcript, s.evidence);
      const words = s.text
        .toLowerCase()
        .split(/[^a-z']+/)
        .filter((w) => w.length >= 3 && heard.some((h) => h.word === w));
      const unsure = words.filter((w) => !sure(heard, w));
      expect(unsure.length * 3, `"${s.text}" from: ${said}`).toBeLessThan(Math.max(1, words.length));
    }
  });
});
