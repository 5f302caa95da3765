import type { RuleItem } from './rules.ts';

/**
 * Phrase patterns: the drafted words of a rule, with the numbers both sides share turned into slots
 * ("follow up in {1} months" → "RTC {1} mo"), so one rule covers every visit and carries the visit's own
 * number across instead of inventing one. And the fact guard: a learned change may reword, abbreviate or
 * remove, but never add a number, a side, a drug or flip a negation.
 */

const NUMBER = /\d+(?:\.\d+)?/g;
const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;

export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Replace numbers found in both texts by {1}, {2}… (in the order they occur in `from`). */
export function toSlots(from: string, to: string): { from: string; to: string } {
  const fromNums = from.match(NUMBER) ?? [];
  const toNums = new Set(to.match(NUMBER) ?? []);
  const shared = [...new Set(fromNums.filter((n) => toNums.has(n)))];
  let f = from;
  let t = to;
  shared.forEach((n, i) => {
    const re = new RegExp(`(?<![\\d.])${n.replace('.', '\\.')}(?![\\d]|\\.\\d)`, 'g');
    f = f.replace(re, `{${i + 1}}`);
    t = t.replace(re, `{${i + 1}}`);
  });
  return { from: f, to: t };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compiled = new Map<string, RegExp>();

/** A global, word-bounded regex for a pattern; slots match a number, whitespace matches any run of it. */
export function patternRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const body = pattern
      .split(/(\{\d+\})/)
      .map((piece) => (/^\{\d+\}$/.test(piece) ? '(\\d+(?:\\.\\d+)?)' : escape(piece).replace(/\s+/g, '\\s+')))
      .join('');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'gu');
    compiled.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

export interface PatternMatch {
  start: number;
  end: number;
  text: string;
  /** The rule's output for this match (slots filled with the matched numbers). */
  output: string;
}

export function findMatches(text: string, from: string, to: string): PatternMatch[] {
  const slotOrder = [...from.matchAll(/\{(\d+)\}/g)].map((m) => m[1]!);
  const out: PatternMatch[] = [];
  for (const m of text.matchAll(patternRegex(from))) {
    const values = new Map<string, string>();
    slotOrder.forEach((slot, i) => values.set(slot, m[i + 1]!));
    const output = to.replace(/\{(\d+)\}/g, (_, k: string) => values.get(k) ?? '');
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0], output });
  }
  return out;
}

const NEGATION = /\b(no|not|denies|denied|deny|denying|negative|without|never|none|absent|nor|cannot)\b|n't\b/i;
const SIDES = /\b(left|right|bilateral|bilaterally)\b/gi;

/** Words a style may bring in although the drafted words lacked them (they say how, not what). */
const STYLE_WORDS = new Set(
  (
    'negative positive denies reports states notes endorses complains patient pt presents today currently continue continues ' +
    'start started stop stopped increase increased decrease decreased return clinic follow followup weeks months days years ' +
    'history exam examination assessment plan review systems physical present illness chief complaint impression instructions ' +
    'discussed counseled advised recommended will would should noted unremarkable normal within limits significant'
  ).split(' '),
);

/**
 * Why a learned change would change the facts of a note, or null when it only changes how they are said.
 * A removal of a whole sentence is allowed (the clinician leaves that out); a partial removal must keep
 * the sentence's negation.
 */
export function factChange(from: string, to: string, options: { wholeSentence?: boolean } = {}): string | null {
  const fromNums = new Set(from.match(NUMBER) ?? []);
  for (const n of to.match(NUMBER) ?? []) if (!fromNums.has(n) && !/^\{\d+\}$/.test(n)) return `adds the number ${n}`;
  const toSlots = new Set(to.match(/\{\d+\}/g) ?? []);
  for (const s of toSlots) if (!from.includes(s)) return 'uses a number the drafted words lack';
  const fromSides = new Set((from.match(SIDES) ?? []).map((s) => s.toLowerCase()));
  for (const s of to.match(SIDES) ?? []) if (!fromSides.has(s.toLowerCase())) return `adds the side "${s}"`;
  if (!(to.trim() === '' && options.wholeSentence) && NEGATION.test(from) !== NEGATION.test(to)) return 'changes a negation';
  const fromList = wordsOf(from).map((w) => w.toLowerCase());
  const fromWords = new Set(fromList);
  const initials = fromList.map((w) => w[0]).join('');
  for (const w of wordsOf(to)) {
    const lower = w.toLowerCase();
    if (fromWords.has(lower) || STYLE_WORDS.has(lower) || FUNCTION_WORDS.has(lower) || NOTE_ABBREVIATIONS.has(lower) || /^\{?\d/.test(w))
      continue;
    // An abbreviation of the drafted words themselves (BP for blood pressure, SOB for shortness of breath).
    const letters = lower.replace(/[^a-z]/g, '');
    if (/^[A-Z][A-Za-z&/.]{0,6}$/.test(w) && letters && initials.includes(letters)) continue;
    return `adds the word "${w}"`;
  }
  return null;
}

/** Words that carry grammar, not findings. */
const FUNCTION_WORDS = new Set(
  (
    'a an the and or but so of in on at to from by with for into as than then that this these those it its he she they him her them his hers ' +
    'their we you i me my your our is are was were be been being has have had do does did will may can would could should also ' +
    'not no very some any all each per via about over after before'
  ).split(' '),
);

/** How notes abbreviate (return to clinic, follow-up, dosing, units). */
const NOTE_ABBREVIATIONS = new Set(
  (
    'rtc f/u fu prn qd bid tid qid qhs po iv im sc hs w/ w/o s/p h/o c/o pt pts hx dx tx rx sx fx yo y/o mo mos wk wks yr yrs d h hr hrs min ' +
    'mg mcg g ml l kg lb lbs cm mm nad wnl hpi ros pe a&p a/p cc'
  ).split(' '),
);

/** A phrase made only of grammar words ("it" → "he", "some" → "a"): context, not a clinician's style. */
export function onlyFunctionWords(text: string): boolean {
  return wordsOf(text).every((w) => FUNCTION_WORDS.has(w.toLowerCase()));
}

/** What a wording is about, for the page and for a language model's instructions. */
export function itemOf(from: string, to: string): RuleItem {
  const text = `${from} ${to}`.toLowerCase();
  if (/follow[ -]?up|\brtc\b|return to clinic|\bf\/u\b|see (you|him|her|them) (back|again)/.test(text)) return 'follow-up';
  if (/blood pressure|\bbp\b|heart rate|\bhr\b|temperature|\btemp\b|pulse|oxygen|saturation|weight|vital/.test(text)) return 'vitals';
  if (/\bmg\b|\bdose\b|prescri|\brx\b|increase|decrease|medication|tablet|\bstart\b|\bstop\b|continue/.test(text)) return 'medication';
  if (NEGATION.test(text)) return 'negation';
  return 'wording';
}
