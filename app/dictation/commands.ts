/**
 * Spoken dictation commands. A recognized utterance is either a command (only when the WHOLE utterance
 * is the command, so "her last period was in May" stays text) or words to insert at the cursor.
 * Pure: no I/O, no state. The DictationSession (session.ts) applies what this returns.
 */

export type PunctuationMark = '.' | ',' | '?' | ':' | ';';

export type DictationCommand =
  | { kind: 'punctuation'; mark: PunctuationMark }
  | { kind: 'break'; text: '\n' | '\n\n' }
  | { kind: 'scratch' }
  | { kind: 'goto'; sectionId: string }
  | { kind: 'stop' };

export type InterpretedUtterance =
  | { kind: 'command'; command: DictationCommand; spoken: string }
  | { kind: 'text'; text: string }
  | { kind: 'empty' };

/** A section the clinician can name in "go to ...". */
export interface NamedSection {
  id: string;
  title: string;
}

const PUNCTUATION: Record<string, PunctuationMark> = {
  period: '.',
  'full stop': '.',
  comma: ',',
  'question mark': '?',
  colon: ':',
  semicolon: ';',
  'semi colon': ';',
};

const BREAKS: Record<string, '\n' | '\n\n'> = {
  'new line': '\n',
  newline: '\n',
  'next line': '\n',
  'new paragraph': '\n\n',
  'next paragraph': '\n\n',
};

const SCRATCH = new Set(['scratch that', 'strike that']);
const STOP = new Set(['stop dictating', 'stop dictation']);
const GOTO_PREFIXES = ['go to ', 'goto ', 'jump to ', 'move to '];

/**
 * The words of the spoken commands, given to the recognizer as vocabulary (like a patient's medications)
 * so that "scratch that" or "new line" is not heard as "perhaps that" or "the line".
 */
export const COMMAND_VOCABULARY: readonly string[] = [
  ...new Set([...Object.keys(PUNCTUATION), ...Object.keys(BREAKS), ...SCRATCH, ...STOP, 'go to'].flatMap((phrase) => phrase.split(' '))),
];

/**
 * Words recognizers emit that are not speech: pocketsphinx fillers (<sil>, [NOISE], ++UM++), and
 * hesitations that never belong in a note when they are all that was said.
 */
const NON_SPEECH_TOKEN = /^(<[^>]*>|\[[^\]]*\]|\+\+[^+]*\+\+|\(\d+\))$/;
const HESITATIONS = new Set(['um', 'uh', 'er', 'erm', 'hmm', 'mm', 'ah']);

/** Lower-cased words without punctuation: the form commands are matched in. */
export function normaliseSpoken(raw: string): string {
  return raw
    .split(/\s+/)
    .filter((t) => t && !NON_SPEECH_TOKEN.test(t))
    .join(' ')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The recognized words to type, with recognizer-only tokens removed and spacing tidied. */
function cleanText(raw: string): string {
  return raw
    .split(/\s+/)
    .filter((t) => t && !NON_SPEECH_TOKEN.test(t))
    .join(' ')
    .trim();
}

/** Which section "go to <name>" names: exact id/title first, then a title containing the words. */
export function resolveSection(name: string, sections: readonly NamedSection[]): NamedSection | undefined {
  const wanted = normaliseSpoken(name).replace(/^the /, '');
  if (!wanted) return undefined;
  const key = (s: string) => normaliseSpoken(s.replace(/[_-]+/g, ' '));
  const exact = sections.find((s) => key(s.title) === wanted || key(s.id) === wanted);
  if (exact) return exact;
  const pattern = new RegExp(`(^| )${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`);
  return sections.find((s) => pattern.test(key(s.title)) || pattern.test(key(s.id)));
}

/** Edit distance (letters) between two short strings. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** Multi-word commands and what they do: the phrases a mis-heard command is matched against. */
const FUZZY_COMMANDS: Array<[string, DictationCommand]> = [
  ...[...STOP].map((p): [string, DictationCommand] => [p, { kind: 'stop' }]),
  ...[...SCRATCH].map((p): [string, DictationCommand] => [p, { kind: 'scratch' }]),
  ...Object.entries(BREAKS)
    .filter(([p]) => p.includes(' '))
    .map(([p, text]): [string, DictationCommand] => [p, { kind: 'break', text }]),
  ...Object.entries(PUNCTUATION)
    .filter(([p]) => p.includes(' '))
    .map(([p, mark]): [string, DictationCommand] => [p, { kind: 'punctuation', mark }]),
];

/**
 * A whole utterance that is a slightly mis-heard multi-word command ("op dictating", "stop dictate",
 * "scratch dat"): same number of words, and at most one letter in five different. Single words are never
 * matched loosely ("comma" must not swallow "karma").
 */
export function fuzzyCommand(spoken: string): DictationCommand | null {
  const words = spoken.split(' ').length;
  let best: { command: DictationCommand; distance: number } | null = null;
  for (const [phrase, command] of FUZZY_COMMANDS) {
    if (phrase.split(' ').length !== words) continue;
    // The last word carries the command ("dictating", "that", "line"): it must be close on its own too.
    const lastSpoken = spoken.split(' ').at(-1)!;
    const lastPhrase = phrase.split(' ').at(-1)!;
    if (editDistance(lastSpoken, lastPhrase) > Math.max(2, Math.floor(lastPhrase.length / 4))) continue;
    const distance = editDistance(spoken, phrase);
    if (distance <= Math.max(1, Math.floor(phrase.length / 5)) && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command ?? null;
}

/**
 * A drug name heard in a low-confidence recognition: the word, or null. A recogniser biased with the
 * patient's medications can "hear" one in unclear speech ("hypertension not at goal" → "hypertension
 * metoprolol"); such a word is never typed into the note.
 */
export function lowConfidenceDrug(
  text: string,
  confidence: number | undefined,
  drugWords: ReadonlySet<string>,
  threshold = LOW_CONFIDENCE,
): string | null {
  if (confidence === undefined || confidence >= threshold || drugWords.size === 0) return null;
  for (const word of normaliseSpoken(text).split(' ')) if (drugWords.has(word)) return word;
  return null;
}

/** Below this utterance confidence, a drug name in it is not trusted. */
export const LOW_CONFIDENCE = 0.6;

/**
 * Interpret one FINAL utterance. Commands are recognized only as the whole utterance; anything else
 * is text. "go to X" where X is not a section of this note is text too ("go to the emergency room").
 */
export function interpretUtterance(raw: string, sections: readonly NamedSection[] = []): InterpretedUtterance {
  const spoken = normaliseSpoken(raw);
  if (!spoken || HESITATIONS.has(spoken)) return { kind: 'empty' };
  const mark = PUNCTUATION[spoken];
  if (mark) return { kind: 'command', command: { kind: 'punctuation', mark }, spoken };
  const brk = BREAKS[spoken];
  if (brk) return { kind: 'command', command: { kind: 'break', text: brk }, spoken };
  if (SCRATCH.has(spoken)) return { kind: 'command', command: { kind: 'scratch' }, spoken };
  if (STOP.has(spoken)) return { kind: 'command', command: { kind: 'stop' }, spoken };
  const near = fuzzyCommand(spoken);
  if (near) return { kind: 'command', command: near, spoken };
  for (const prefix of GOTO_PREFIXES) {
    if (spoken.startsWith(prefix)) {
      const target = resolveSection(spoken.slice(prefix.length), sections);
      if (target) return { kind: 'command', command: { kind: 'goto', sectionId: target.id }, spoken };
    }
  }
  const text = cleanText(raw);
  return text ? { kind: 'text', text } : { kind: 'empty' };
}

/** True where a new sentence starts: start of the section, after . ? ! or a line break (spaces skipped). */
export function startsSentence(before: string): boolean {
  const trimmed = before.replace(/[ \t]+$/, '');
  if (trimmed === '') return true;
  return /[.?!\n]$/.test(trimmed);
}

/**
 * Shape recognized words for insertion between `before` and `after`: capitalise at a sentence start,
 * the pronoun "I", and add the single spaces needed on either side. Never lower-cases what an engine
 * capitalised (Whisper-style engines emit proper nouns).
 */
export function shapeInsertion(words: string, before: string, after: string): string {
  let text = words.replace(/(?<![\p{L}'])i(?![\p{L}])/gu, 'I');
  if (startsSentence(before)) text = text.charAt(0).toUpperCase() + text.slice(1);
  const prev = before.slice(-1);
  const next = after.charAt(0);
  const needsSpaceBefore = prev !== '' && !/[\s([{"'/-]/.test(prev);
  const needsSpaceAfter = next !== '' && !/[\s.,;:!?)\]}"'/-]/.test(next);
  return `${needsSpaceBefore ? ' ' : ''}${text}${needsSpaceAfter ? ' ' : ''}`;
}
