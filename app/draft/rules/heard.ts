import { LOW_WORD_CONFIDENCE, type Transcript } from '../../contract/index.ts';
import { capitalize, numbersIn, terminate, wordTokens } from '../text.ts';
import { dosesIn, type DrugLexicon } from './medication.ts';

/**
 * What the recognizer was sure it heard (decision 0200). A sentence drafted from speech recognition states only what
 * was heard with confidence: each note sentence is aligned with the recognized words of the turns it cites, and
 *   - a dose whose number or unit was uncertain, or whose "number" is not a number ("start lisinopril can milligrams
 *     daily"), is left out of the sentence ("Start lisinopril."), unless the visit says that same dose of that drug
 *     confidently elsewhere; an uncertain frequency is left out the same way ("Increase lisinopril to 20 mg.");
 *   - an uncertain number in a parenthesis is left out with it ("Essential hypertension (BP 140/90 mmHg)." ->
 *     "Essential hypertension."); any other uncertain number, or an uncertain clinical term, leaves the sentence out;
 *   - garbled output leaves the sentence out: two uncertain content words in a row ("reading czars stellar around",
 *     "repeat the one in seattle basic metabolic panel"), or a third or more of its content words uncertain.
 * Turns without word confidences (typed or imported transcripts, engines that give none) are taken as said.
 */

interface HeardToken {
  /** Lowercase word, a unit as the note writes it ("mg"), or the digits of a spoken number ("140"). */
  token: string;
  /** Other readings of a spoken number ("one fifty" is 150, or 1 and 50). */
  readings?: string[];
  confidence: number;
}

const FUNCTION_WORDS = new Set(
  (
    'a an the and or but nor so of in on at to from by with for into over under about as than then that this these those ' +
    'it its he she they him her his their them we us our you your i me my is are was were be been being am has have had ' +
    'do does did not no will would can could should may might must shall there here what which who how when where if ' +
    'also just very some any all each every s re ve ll d t'
  ).split(' '),
);
const NUMBER_WORD =
  /^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|point)$/;
const UNIT_TOKEN: Record<string, string> = {
  milligram: 'mg',
  milligrams: 'mg',
  microgram: 'mcg',
  micrograms: 'mcg',
  milliliter: 'ml',
  milliliters: 'ml',
  gram: 'g',
  grams: 'g',
  percent: '%',
  unit: 'units',
};
const FREQUENCY_WORD = /^(?:daily|nightly|weekly|monthly|once|twice|times|every|bedtime|needed|prn|bid|tid|qid)$/;
const FREQUENCY =
  /\s*,?\s*\b(?:(?:once|twice|three times|four times) (?:daily|a day|per day|a week|per week)|(?:one|two|three|four|1|2|3|4) times? (?:a|per) (?:day|week)|every (?:\w+ )?(?:hours?|days?|day|weeks?|months?|morning|night|evening)|daily|nightly|weekly|monthly|a day|at (?:bedtime|night)|in the (?:morning|evening)|as needed|prn|bid|tid|qid)\b/i;

/** Where recognizer output joins two plan items: before an order verb ("... twice a day cut back on salt"). */
const PLAN_JOINT =
  /(?:,?\s+and\s+|\s+|[,;]\s*)(?=(?:increase|decrease|start|stop|continue|repeat|order|check|recheck|schedule|refer|take|cut|walk|avoid|follow up|return)\b)/i;
const TIME_AFTER_EVERY =
  /(?:other|\d+|one|two|three|four|five|six|seven|eight|twelve|few|couple|morning|night|evening|day|days|week|weeks|month|months|hour|hours|year|years|bedtime|meal|meals|time|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b/
    .source;
/** "500 mg every success": "every" and a word that is no interval, after a dose. */
const GARBLED_EVERY = new RegExp(String.raw`(\b\d+(?:\.\d+)?\s*(?:mg|mcg|ml|g|units?))\s+every\s+(?!${TIME_AFTER_EVERY})[a-z]+\b`, 'gi');
/** "repeat the panel and three months": the recognizer heard "in" as "and" before a closing interval. */
const AND_PERIOD = /\s+and\s+(\d+ (?:days?|weeks?|months?|years?)\.?)$/i;

/** "don't" -> do not; "today's" -> today 's: the pieces a rewritten sentence may hold. */
function pieces(word: string): string[] {
  const w = word.toLowerCase().replace(/[^a-z0-9']/g, '');
  if (!w) return [];
  const neg = /^(\w+)n't$/.exec(w);
  if (neg) return [neg[1] === 'wo' ? 'will' : neg[1] === 'ca' ? 'can' : neg[1]!, 'not'];
  const contraction = /^(\w+)'(s|re|ve|ll|d|m)$/.exec(w);
  if (contraction)
    return [contraction[1]!, ({ s: 'is', re: 'are', ve: 'have', ll: 'will', d: 'would', m: 'am' } as const)[contraction[2] as 's']];
  return [w.replace(/'/g, '')];
}

/** A turn's recognized words as tokens, runs of number words read as one number ("one hundred forty" -> 140). */
function heardTokens(words: ReadonlyArray<{ word: string; confidence: number }>): HeardToken[] {
  const out: HeardToken[] = [];
  let run: Array<{ word: string; confidence: number }> = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const readings = [...new Set(numbersIn(run.map((w) => w.word).join(' ')))];
    const confidence = Math.min(...run.map((w) => w.confidence));
    if (readings.length > 0) {
      // The reading of the whole run first (the largest number it spells), then its parts.
      const whole = readings.reduce((a, b) => (Number(b) > Number(a) ? b : a));
      out.push({ token: whole, readings, confidence });
    } else for (const w of run) out.push({ token: w.word.toLowerCase(), confidence: w.confidence });
    run = [];
  };
  for (const w of words) {
    const lower = w.word.toLowerCase();
    if (NUMBER_WORD.test(lower) || /^\d+(?:\.\d+)?$/.test(lower)) {
      run.push(w);
      continue;
    }
    flush();
    for (const p of pieces(lower)) out.push({ token: UNIT_TOKEN[p] ?? p, confidence: w.confidence });
  }
  flush();
  return out;
}

/** Note-sentence tokens in the same form ("140/90 mmHg" -> 140 90 mmhg; "10 mg" -> 10 mg). */
function sentenceTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/(\d)\.(\d)/g, '$1p$2')
    .split(/[^a-z0-9%']+/)
    .flatMap((w) => (/^\d+p\d+$/.test(w) ? [w.replace('p', '.')] : pieces(w)))
    .map((t) => UNIT_TOKEN[t] ?? t);
}

const matches = (s: string, h: HeardToken): boolean => s === h.token || (h.readings?.includes(s) ?? false);

/** Longest common subsequence of the sentence's tokens and the heard tokens: for each sentence token, its heard token. */
function align(sentence: string[], heard: HeardToken[]): Array<number | null> {
  const n = sentence.length;
  const m = heard.length;
  const t: Uint16Array[] = [];
  for (let i = 0; i <= n; i++) t.push(new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      t[i]![j] = matches(sentence[i]!, heard[j]!) ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  const out: Array<number | null> = new Array<number | null>(n).fill(null);
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (matches(sentence[i]!, heard[j]!)) out[i++] = j++;
    else if (t[i + 1]![j]! >= t[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/** A word that carries the sentence's meaning: a number, a negation, or any word but a function word. */
const isContent = (token: string): boolean =>
  /\d/.test(token) || token === 'no' || token === 'not' || (token.length >= 2 && !FUNCTION_WORDS.has(token));
const uncertain = (h: HeardToken): boolean => h.confidence < LOW_WORD_CONFIDENCE;
/** Longest turn aligned word by word; longer ones (hours of one speaker) are checked only by the evidence guard. */
const MAX_ALIGNED = 4000;

export class Heard {
  private readonly tokens = new Map<string, HeardToken[]>();
  /** Doses said with confidence, per drug ("lisinopril" -> {"10 mg"}), and every dose said of each drug. */
  private readonly sureDoses = new Map<string, Set<string>>();
  private readonly allDoses = new Map<string, Set<string>>();

  constructor(
    transcript: Transcript,
    private readonly lexicon: DrugLexicon,
  ) {
    for (const s of transcript.segments) {
      if (!s.words || s.words.length === 0 || s.words.length > MAX_ALIGNED) continue;
      this.tokens.set(s.id, heardTokens(s.words));
      const plain = s.words.map((w) => w.word).join(' ');
      const sure = s.words.map((w) => (w.confidence < LOW_WORD_CONFIDENCE ? '…' : w.word)).join(' ');
      this.collectDoses(plain, this.allDoses);
      this.collectDoses(sure, this.sureDoses);
    }
  }

  /** No turn has word confidences: every sentence is taken as said. */
  get empty(): boolean {
    return this.tokens.size === 0;
  }

  private collectDoses(text: string, into: Map<string, Set<string>>): void {
    const hits = this.lexicon.find(text);
    hits.forEach((hit, k) => {
      const window = text.slice(hit.end, Math.min(hits[k + 1]?.index ?? text.length, hit.end + 60));
      const dose = dosesIn(window)[0];
      if (!dose) return;
      const set = into.get(hit.name) ?? new Set<string>();
      set.add(dose);
      into.set(hit.name, set);
    });
  }

  /**
   * The sentence as far as it was heard with confidence: unchanged, with an unsure dose, frequency or parenthetical
   * left out, or null when what it states was not heard with confidence. `terms` names the clinical terms of a text.
   */
  check(text: string, evidence: readonly string[], terms?: (text: string) => string[]): string | null {
    const parts = this.checkParts(text, evidence, terms);
    return parts.length > 0 ? parts.join(' ') : null;
  }

  /** As check, the sentences kept of a run-on one by one (none when nothing was heard with confidence). */
  checkParts(text: string, evidence: readonly string[], terms?: (text: string) => string[]): string[] {
    const heard = evidence.flatMap((id) => this.tokens.get(id) ?? []);
    if (heard.length === 0) return [text];
    const whole = this.checkOne(text.replace(AND_PERIOD, ' in $1'), heard, terms);
    if (whole !== null) return [whole];
    // Recognizer output runs plan items together ("increase the lisinopril to 20 mg once a day and increase metformin to
    // 1000 mg twice a day cut back on so"): each item heard with confidence is kept, the garbled ones are not.
    const parts = text.split(PLAN_JOINT).filter((p) => wordTokens(p).length >= 2);
    if (parts.length < 2) return [];
    return parts
      .map((p) => this.checkOne(terminate(capitalize(p.trim().replace(/[,;]$/, ''))), heard, terms))
      .filter((p): p is string => p !== null);
  }

  private checkOne(text: string, heard: HeardToken[], terms?: (text: string) => string[]): string | null {
    // A frequency that is no frequency ("500 mg every success as needed") is not written.
    let s = text.replace(GARBLED_EVERY, '$1');
    // A closing phrase whose last word was unsure ("3 times a day with it" for "with food") says nothing heard.
    const tokens0 = sentenceTokens(s);
    const at0 = align(tokens0, heard);
    const last = tokens0.length - 1;
    if (last > 2 && at0[last] != null && uncertain(heard[at0[last]!]!) && /^(?:it|them|me|him|her|this|that)$/.test(tokens0[last]!))
      s = s.replace(/\s+(?:with|to|of|for|in|on|at)\s+(?:the\s+)?\S+?([.!?]?)$/i, '$1');
    // Doses first: a dose that was not heard is left out (or confirmed by the same dose said elsewhere).
    const confirmed = new Set<string>();
    for (let pass = 0; pass < 4; pass++) {
      const next = this.withoutUnheardDose(s, heard, confirmed);
      if (next === s) break;
      s = next;
    }
    const tokens = sentenceTokens(s);
    const at = align(tokens, heard);
    // A word the alignment placed is judged by that place; one it could not place (the note reorders what was said:
    // "Hypertension (BP 140/90)." before the plan said earlier) is unsure only if it was unsure wherever it was said.
    const unsureAt = (i: number): boolean => {
      const j = at[i];
      if (j != null) return uncertain(heard[j]!);
      const said = heard.filter((h) => matches(tokens[i]!, h));
      return said.length > 0 && said.every(uncertain);
    };
    // An uncertain number inside a parenthesis goes with the parenthesis.
    const unsureNumbers = tokens.filter((t, i) => /\d/.test(t) && !confirmed.has(t) && unsureAt(i));
    if (unsureNumbers.length > 0) {
      const stripped = s.replace(/\s*\(([^()]*)\)/g, (m, inner: string) =>
        sentenceTokens(inner).some((t) => unsureNumbers.includes(t)) ? '' : m,
      );
      if (stripped !== s) return this.checkOne(stripped, heard, terms);
      return null;
    }
    // Uncertain frequency words (a dose's frequency was handled above): the sentence is left out.
    if (tokens.some((t, i) => FREQUENCY_WORD.test(t) && unsureAt(i))) {
      const stripped = s.replace(FREQUENCY, '').replace(/\s+([.,;])/g, '$1');
      if (stripped !== s) return this.checkOne(stripped, heard, terms);
      return null;
    }
    // Garbled output: two uncertain content words in a row, or a third or more of the content words uncertain.
    let content = 0;
    let unsure = 0;
    let run = 0;
    for (let i = 0; i < tokens.length; i++) {
      const j = at[i];
      if (j == null) continue;
      const h = heard[j]!;
      if (!uncertain(h)) {
        if (isContent(tokens[i]!)) run = 0;
        if (isContent(tokens[i]!)) content++;
        continue;
      }
      if (!isContent(tokens[i]!)) continue;
      content++;
      unsure++;
      if (++run >= 2) return null;
    }
    if (content > 0 && unsure * 3 >= content) return null;
    // A clinical term the sentence states must have been heard.
    if (terms) {
      for (const term of terms(s)) {
        const words = wordTokens(term).filter(isContent);
        if (words.some((w) => heard.some((h) => h.token === w) && heard.filter((h) => h.token === w).every(uncertain))) return null;
      }
    }
    return s;
  }

  /** The sentence with its first dose that was not heard with confidence left out (or confirmed), else unchanged. */
  private withoutUnheardDose(s: string, heard: HeardToken[], confirmed: Set<string>): string {
    const re =
      /(\s*\b(?:to\s+)?)(\d[\d.,]*\d|\d|[A-Za-z']+)(?:\s+|-|(?<=\d))(mg|mcg|ml|g|units?|milligrams?|micrograms?|milliliters?|grams?)\b/gi;
    for (const m of s.matchAll(re)) {
      const [whole, , amount = '', unit = ''] = m;
      const number = /^\d+(?:\.\d+)?$/.test(amount.replace(/,/g, '')) ? amount.replace(/,/g, '') : null;
      const tokens = sentenceTokens(s);
      const at = align(tokens, heard);
      const find = (t: string): HeardToken | null => {
        const i = tokens.indexOf(t);
        return i >= 0 && at[i] != null ? heard[at[i]!]! : null;
      };
      const numberHeard = number ? find(number) : null;
      const unitHeard = find(sentenceTokens(unit)[0] ?? '');
      const sure = number !== null && (!numberHeard || !uncertain(numberHeard)) && (!unitHeard || !uncertain(unitHeard));
      if (sure || confirmed.has(number ?? '')) continue;
      const drug = this.drugBefore(s, m.index);
      const dose = number ? `${number} ${sentenceTokens(unit)[0]}` : null;
      // Confirmed: the visit says this dose of this drug with confidence elsewhere.
      if (drug && dose && this.sureDoses.get(drug.name)?.has(dose)) {
        confirmed.add(number!);
        continue;
      }
      // Repaired: a non-number ("can milligrams") where the visit gives this drug one dose only, said with confidence.
      const all = drug ? this.allDoses.get(drug.name) : undefined;
      const only = all && all.size === 1 ? [...all][0]! : null;
      if (!number && drug && only && this.sureDoses.get(drug.name)?.has(only) && only.endsWith(` ${sentenceTokens(unit)[0]}`)) {
        confirmed.add(only.split(' ')[0]!);
        return `${s.slice(0, drug.end)} ${only}${s.slice(m.index + whole.length)}`;
      }
      // Otherwise the dose and its frequency are left out; a garbled amount from the drug name on ("lisinopril do not
      // milligrams"), as the words between were not heard as a dose.
      const after = s.slice(m.index + whole.length);
      const frequency = FREQUENCY.exec(after);
      const rest = frequency && frequency.index === 0 ? after.slice(frequency[0].length) : after;
      const from = !number && drug && wordTokens(s.slice(drug.end, m.index)).length <= 4 ? drug.end : m.index;
      return `${s.slice(0, from)}${rest}`.replace(/\s+([.,;])/g, '$1').replace(/\s{2,}/g, ' ');
    }
    return s;
  }

  private drugBefore(s: string, index: number): { name: string; end: number } | null {
    const hits = this.lexicon.find(s.slice(0, index));
    return hits.length > 0 ? hits[hits.length - 1]! : null;
  }
}
