/**
 * Text primitives shared by the drafter, its rules, the evidence guard and the trainer:
 * cleaning spoken text, splitting it into sentences, and normalising numbers so that
 * "forty" in a transcript and "40" in a draft count as the same fact.
 */

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Removes control and bidi-override characters and collapses whitespace. Markup is kept as text. */
export function sanitizeText(text: string): string {
  return text.replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
}

/** ACI-Bench style transcripts put spaces before punctuation ("okay , so ."): close them up. */
export function tidySpacing(text: string): string {
  return text
    .replace(/\s+([,.;:?!%])/g, '$1')
    .replace(/([,.;:?!])(?=[A-Za-z])/g, '$1 ')
    .replace(/\s+'\s*/g, "'")
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Splits a turn into sentences at . ? ! (keeping decimals such as 7.5 and abbreviations such as "dr."). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let current = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    current += ch;
    if (ch === '.' || ch === '?' || ch === '!') {
      const prev = chars[i - 1] ?? '';
      const next = chars[i + 1] ?? '';
      if (ch === '.' && /\d/.test(prev) && /\d/.test(next)) continue;
      if (ch === '.' && /\b(dr|mr|mrs|ms|st|vs|etc|e\.g|i\.e|no)$/i.test(current.slice(0, -1).trim()) && next !== '') continue;
      if (next !== '' && !/\s/.test(next)) continue;
      const s = current.trim();
      if (s) out.push(s);
      current = '';
    }
  }
  const rest = current.trim();
  if (rest) out.push(rest);
  return out;
}

/** Lowercase alphanumeric tokens (the tokenisation ROUGE and concept matching use). */
export function wordTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/**
 * Every number a text states, as canonical strings ("40", "7.5", "120", "80"). Number words are read
 * ("one hundred twenty" -> "120", "a half" is not a number). Ordinals and "once/twice" are not numbers here.
 */
export function numbersIn(text: string): string[] {
  const out: string[] = [];
  // "naprosyn five hundred five hundred milligrams": a number said twice over is one number (the writer reads the
  // stutter once too), not 50500 (decision 0244).
  const lower = text.toLowerCase().replace(REPEATED_NUMBER_WORDS, '$1');
  for (const m of lower.matchAll(/\d+(?:[.,]\d+)*/g)) {
    const raw = m[0].replace(/,(?=\d{3}\b)/g, '');
    for (const part of raw.split(',')) {
      if (!part) continue;
      const n = Number(part);
      // A number too long for exponent-free writing (a model's run of digits) is named as written.
      if (Number.isFinite(n)) out.push(/e/.test(String(n)) ? part.replace(/^0+(?=\d)/, '') : String(n));
    }
  }
  const words = lower
    .replace(/[^a-z\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter(Boolean);
  let value: number | null = null;
  let group = 0;
  const flush = (): void => {
    if (value !== null) out.push(String(value + group));
    value = null;
    group = 0;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w in UNITS) {
      // A digit after a group that already ends in one starts a new number ("ninety eight . two" is 98 and 2, not 100).
      if (value !== null && group % 100 !== 0 && (group % 10 !== 0 || group % 100 < 20)) flush();
      if (value === null) value = 0;
      group += UNITS[w]!;
    } else if (w in TENS) {
      if (value === null) value = 0;
      if (group % 100 !== 0 && group % 100 < 20 && group > 0 && group < 20) {
        flush();
        value = 0;
      }
      group += TENS[w]!;
    } else if (w === 'hundred' && value === null && words[i - 1] === 'a') {
      // "a hundred percent"
      value = 0;
      group = 100;
    } else if (w === 'hundred' && value !== null) {
      group = (group || 1) * 100;
    } else if (w === 'thousand' && value !== null) {
      value += (group || 1) * 1000;
      group = 0;
    } else if (
      w === 'and' &&
      value !== null &&
      /^(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)$/.test(
        words[i + 1] ?? '',
      ) &&
      group >= 100
    ) {
      continue;
    } else {
      flush();
    }
  }
  flush();
  // "one twenty" is how 120 is said (blood pressure, weight): also read a digit word followed by a tens word as hundreds.
  for (let i = 0; i + 1 < words.length; i++) {
    const head = UNITS[words[i]!];
    const tail =
      TENS[words[i + 1]!] ?? (UNITS[words[i + 1]!] !== undefined && UNITS[words[i + 1]!]! >= 10 ? UNITS[words[i + 1]!] : undefined);
    if (head !== undefined && head >= 1 && head <= 9 && tail !== undefined) {
      const unit = TENS[words[i + 1]!] !== undefined ? UNITS[words[i + 2] ?? ''] : undefined;
      out.push(String(head * 100 + tail + (unit !== undefined && unit < 10 ? unit : 0)));
    }
  }
  for (const m of lower.matchAll(RESTATED_TENS)) {
    const n = restatedTens(m[1]!, m[2]!, m[3]!);
    if (n) out.push(n);
  }
  // A decimal said in words ("ninety eight point two", "ninety eight . two" as a transcript writes it) is also that number.
  for (const m of lower.matchAll(SPOKEN_DECIMAL)) {
    const whole = numbersIn(m[1]!);
    if (whole.length === 1 && UNITS[m[2]!] !== undefined && UNITS[m[2]!]! < 10) out.push(String(Number(`${whole[0]}.${UNITS[m[2]!]}`)));
  }
  return out;
}

/**
 * "three hundred, twenty phil- 25 milligrams": the tens said as a word and then again, whole, as digits (after a pause
 * or a cut-off word) is one number, 325 (decision 0236). The drafter writes it so and the evidence guard reads it so.
 */
const RESTATED_TENS =
  /\b(one|two|three|four|five|six|seven|eight|nine)\s+hundred\s*,?\s+(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s*,?\s+(?:[a-z]+-\s+)?([2-9]\d)\b/gi;

function restatedTens(units: string, tens: string, digits: string): string | null {
  return TENS[tens.toLowerCase()] === 10 * Number(digits[0]) ? String(100 * UNITS[units.toLowerCase()]! + Number(digits)) : null;
}

/** The text with each restated-tens number written as one ("three hundred, twenty 25 mg" -> "325 mg"). */
export function withRestatedTens(text: string): string {
  return text.replace(RESTATED_TENS, (m: string, u: string, t: string, d: string) => restatedTens(u, t, d) ?? m);
}

const NUMBER_WORD = String.raw`(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)`;
/** A number phrase of two to four words said twice in a row ("five hundred five hundred"). */
const REPEATED_NUMBER_WORDS = new RegExp(String.raw`\b(${NUMBER_WORD}(?:[\s-]+${NUMBER_WORD}){1,3})(?:,?\s+\1\b)+`, 'g');
const SPOKEN_DECIMAL = new RegExp(
  String.raw`\b(${NUMBER_WORD}(?:[\s-]+${NUMBER_WORD})*)\s*(?:\.|\bpoint\b)\s*(zero|one|two|three|four|five|six|seven|eight|nine)\b`,
  'g',
);

const NOT_LATERAL_AFTER_RIGHT = new Set([
  'now',
  'away',
  'here',
  'there',
  'after',
  'before',
  'when',
  'so',
  'and',
  'yes',
  'okay',
  'ok',
  'then',
  'thing',
  'to',
  'at',
  'in',
  'on',
  'into',
  'about',
  'around',
  'off',
  'back',
  'up',
  'down',
  'with',
  'for',
  'of',
  'is',
  'it',
  'i',
  'you',
  'we',
  'that',
  'this',
  'the',
  'a',
  'or',
  'but',
  'as',
  'if',
  'because',
  'next',
  'over',
  'through',
  'there',
  'track',
  'time',
  'moment',
  'dose',
  'amount',
  'medication',
  'medicine',
  'place',
  'away',
  'doc',
  'doctor',
  'sir',
  'ma',
  'am',
  'are',
  'was',
]);

/**
 * Laterality a text states, canonical: left, right, bilateral ("both knees" counts as bilateral).
 * "right" counts only when it qualifies something ("right knee", "right-sided"), not in "all right" or "right now".
 * Each sentence is read on its own: "... muscular pain right. Start naprosyn." (sentences of a plan joined into one
 * problem's line) does not qualify "start".
 */
export function lateralitiesIn(text: string): string[] {
  const out = new Set<string>();
  for (const sentence of text.split(/(?<=[.!?])\s+(?=[A-Z])/)) for (const side of sentenceLateralities(sentence)) out.add(side);
  return [...out];
}

function sentenceLateralities(text: string): string[] {
  const out = new Set<string>();
  const tokens = wordTokens(text);
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    const next = tokens[i + 1];
    if (
      w === 'left' &&
      next !== undefined &&
      ![
        'over',
        'off',
        'out',
        'alone',
        'behind',
        'for',
        'the',
        'a',
        'it',
        'and',
        'me',
        'him',
        'her',
        'them',
        'you',
        'to',
        'in',
        'with',
        'at',
        'on',
      ].includes(next)
    )
      out.add('left');
    const saidRight = tokens[i - 1] === 'all' || (tokens[i - 1] === 's' && tokens[i - 2] === 'that') || tokens[i - 1] === 'yeah';
    if (w === 'right' && next !== undefined && !saidRight && !NOT_LATERAL_AFTER_RIGHT.has(next)) out.add('right');
    if (w === 'bilateral' || w === 'bilaterally') out.add('bilateral');
    if (
      w === 'both' &&
      next !== undefined &&
      /^(sides|legs|arms|knees|feet|hands|eyes|ears|hips|shoulders|ankles|wrists|elbows|lungs|breasts|kidneys|lower|upper)$/.test(next)
    )
      out.add('bilateral');
  }
  return [...out];
}

export function capitalize(text: string): string {
  const i = text.search(/[A-Za-z0-9]/);
  // "5 days ago." and "3 out of 6 ..." open with their number; the word after it stays lower case.
  if (i < 0 || /[0-9]/.test(text[i]!)) return text;
  return text.slice(0, i) + text[i]!.toUpperCase() + text.slice(i + 1);
}

/** Ends a sentence with a period unless it already ends with punctuation. */
export function terminate(text: string): string {
  const t = text.trim().replace(/(?:[,;:\s]|\.{2,}|…|-)+$/, '');
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Study names written as a note writes them ("abdominal ct" -> "abdominal CT", "pfts" -> "PFTs"). */
export function studyAcronyms(text: string): string {
  return text.replace(/\b(ct|mri|ekg|ecg|cbc|cmp|bmp|pft)(s?)\b/gi, (_m, a: string, s: string) => `${a.toUpperCase()}${s.toLowerCase()}`);
}
