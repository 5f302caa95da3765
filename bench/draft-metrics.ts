import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { paraphraseReasons } from '../app/draft/rules/readable.ts';

/**
 * Draft quality measures for `npm run bench:draft`:
 * - ROUGE-1/2/Lsum F-measure as ACI-Bench's evaluation computes them (rouge_score: lowercase, non-alphanumerics
 *   to spaces, no stemming; Lsum over newline-separated sentences with union LCS);
 * - clinical concepts (issue 4): ICD-10-CM index main terms and first-level subterms, RxNorm ingredient names and
 *   drug-table substance names, lowercased, parentheses removed, matched word-bounded, longest first, up to 3 words;
 *   terms starting or ending with a function word, and terms in more than a quarter of the training notes, left out.
 */

export function rougeTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

function ngrams(tokens: string[], n: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join(' ');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function fmeasure(overlap: number, predTotal: number, refTotal: number): number {
  const p = predTotal === 0 ? 0 : overlap / predTotal;
  const r = refTotal === 0 ? 0 : overlap / refTotal;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

export function rougeN(pred: string, ref: string, n: number): number {
  const p = ngrams(rougeTokens(pred), n);
  const r = ngrams(rougeTokens(ref), n);
  let overlap = 0;
  let pt = 0;
  let rt = 0;
  for (const v of p.values()) pt += v;
  for (const [g, v] of r) {
    rt += v;
    overlap += Math.min(v, p.get(g) ?? 0);
  }
  return fmeasure(overlap, pt, rt);
}

function lcsTable(a: string[], b: string[]): Uint16Array[] {
  const t: Uint16Array[] = [];
  for (let i = 0; i <= a.length; i++) t.push(new Uint16Array(b.length + 1));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
    }
  }
  return t;
}

function lcsIndices(ref: string[], cand: string[]): number[] {
  const t = lcsTable(ref, cand);
  const out: number[] = [];
  let i = ref.length;
  let j = cand.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === cand[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (t[i - 1]![j]! > t[i]![j - 1]!) i--;
    else j--;
  }
  return out.reverse();
}

/** ROUGE-Lsum as rouge_score's summary-level LCS (sentences = lines). */
export function rougeLsum(pred: string, ref: string): number {
  const refSents = ref
    .split('\n')
    .map(rougeTokens)
    .filter((s) => s.length);
  const predSents = pred
    .split('\n')
    .map(rougeTokens)
    .filter((s) => s.length);
  const m = refSents.reduce((s, x) => s + x.length, 0);
  const n = predSents.reduce((s, x) => s + x.length, 0);
  if (!m || !n) return 0;
  const refCounts = new Map<string, number>();
  const predCounts = new Map<string, number>();
  for (const s of refSents) for (const t of s) refCounts.set(t, (refCounts.get(t) ?? 0) + 1);
  for (const s of predSents) for (const t of s) predCounts.set(t, (predCounts.get(t) ?? 0) + 1);
  let hits = 0;
  for (const r of refSents) {
    const union = new Set<number>();
    for (const c of predSents) for (const i of lcsIndices(r, c)) union.add(i);
    for (const i of [...union].sort((a, b) => a - b)) {
      const tok = r[i]!;
      if ((refCounts.get(tok) ?? 0) > 0 && (predCounts.get(tok) ?? 0) > 0) {
        hits++;
        refCounts.set(tok, refCounts.get(tok)! - 1);
        predCounts.set(tok, predCounts.get(tok)! - 1);
      }
    }
  }
  return fmeasure(hits, n, m);
}

const FUNCTION_WORDS = new Set(
  (
    'a an the and or but nor so yet for of in on at to from by with without within into onto upon over under above below between among ' +
    'through during before after since until about against along across around behind beyond near off out up down as than ' +
    'this that these those it its he she they we you i me him her them us my your his their our is are was were be been being ' +
    'am do does did have has had not no if then else when where which who whom whose what how all any both each few more most ' +
    'other some such only own same too very can will just should would could may might must shall due per via'
  ).split(' '),
);

function readTsv(file: string): { header: string[]; rows: string[][] } {
  const [header = [], ...rows] = parse(readFileSync(file, 'utf8'), {
    delimiter: '\t',
    skip_empty_lines: true,
    relax_column_count: true,
    bom: true,
  });
  return { header, rows };
}

function conceptForm(raw: string): string | null {
  const t = rougeTokens(raw.replace(/\([^)]*\)/g, ' ').replace(/[()]/g, ' ')).join(' ');
  if (!t) return null;
  const words = t.split(' ');
  if (words.length > 3) return null;
  if (FUNCTION_WORDS.has(words[0]!) || FUNCTION_WORDS.has(words[words.length - 1]!)) return null;
  return t;
}

export class ConceptMatcher {
  constructor(readonly terms: Set<string>) {}

  static fromTerminology(terminologyDir: string, trainingNotes: string[]): ConceptMatcher {
    const terms = new Set<string>();
    const add = (raw: string | undefined): void => {
      if (!raw) return;
      const c = conceptForm(raw);
      if (c) terms.add(c);
    };
    const index = readTsv(join(terminologyDir, 'icd10cm-index.tsv'));
    const level = index.header.indexOf('level');
    const term = index.header.indexOf('term');
    for (const r of index.rows) if (r[level] === '0' || r[level] === '1') add(r[term]);
    const rx = readTsv(join(terminologyDir, 'medications-rxnorm.tsv'));
    const nt = rx.header.indexOf('name_type');
    const nm = rx.header.indexOf('name');
    for (const r of rx.rows) if (r[nt] === 'ingredient') add(r[nm]);
    const dt = readTsv(join(terminologyDir, 'icd10cm-drug-table.tsv'));
    const dl = dt.header.indexOf('level');
    const dterm = dt.header.indexOf('term');
    for (const r of dt.rows) if (r[dl] === '0') add(r[dterm]);
    const base = new ConceptMatcher(terms);
    const df = new Map<string, number>();
    for (const note of trainingNotes) for (const c of base.concepts(note)) df.set(c, (df.get(c) ?? 0) + 1);
    const limit = trainingNotes.length / 4;
    for (const [c, n] of df) if (n > limit) terms.delete(c);
    return new ConceptMatcher(terms);
  }

  /** Concepts a text mentions (longest match first, word-bounded). */
  concepts(text: string): Set<string> {
    const tokens = rougeTokens(text);
    const out = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      for (let len = 3; len >= 1; len--) {
        if (i + len > tokens.length) continue;
        const g = tokens.slice(i, i + len).join(' ');
        if (this.terms.has(g)) {
          out.add(g);
          i += len - 1;
          break;
        }
      }
    }
    return out;
  }
}

/**
 * Spoken-sentence share (issue 13): the share of note sentences, outside patient-instruction sections, that still
 * read as speech: a first- or second-person pronoun, a filler or discourse word, a voice-assistant wake phrase, a
 * cut-off word ("t-"), a question, or a doubled word. Filler and discourse words: um, uh, okay, "you know", "kind of"
 * anywhere; "so" and "well" as discourse markers (opening the sentence or a clause: "so, ...", "..., well ..."),
 * not as ordinary words ("doing well", "so far"). Headings are lines in capitals (as both the reference notes and
 * renderDraftText write them); a heading naming instructions starts an instruction section.
 */
const SPOKEN_TESTS: Array<[string, RegExp]> = [
  ['pronoun', /\b(i|me|my|mine|myself|we|us|our|ours|ourselves|you|your|yours|yourself|yourselves)\b/i],
  ['filler', /\b(um+|uh+|okay|ok|you know|kind of)\b|(?:^|[,;:]\s*)(?:so|well)\b/i],
  ['wake phrase', /\b(hey|ok|okay),?\s+(dragon|scribe|dax)\b/i],
  ['cut-off word', /\b[a-z]+-(?=\s|$|[,.;])/i],
  ['question', /\?/],
  ['doubled word', /\b([a-z]+)\s+\1\b/i],
];

export function spokenReasons(sentence: string): string[] {
  const s = sentence.replace(/^[-•*\s]+/, '');
  return SPOKEN_TESTS.filter(([, re]) => re.test(s)).map(([name]) => name);
}

function isHeading(line: string): boolean {
  const letters = line.replace(/[^A-Za-z]/g, '');
  return letters.length >= 2 && line.length <= 60 && letters === letters.toUpperCase() && !/[.!?]$/.test(line.trim());
}

/** A note's sections in order, each with its non-empty lines and whether it is a patient-instruction section (headings left out). */
function noteSections(note: string): { instructions: boolean; lines: string[] }[] {
  const sections = [{ instructions: false, lines: [] as string[] }];
  for (const raw of note.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (isHeading(line)) sections.push({ instructions: /INSTRUCTION/.test(line.toUpperCase()), lines: [] });
    else sections[sections.length - 1]!.lines.push(line);
  }
  return sections;
}

/** A note's lines split into those inside patient-instruction sections and the rest (headings left out). */
export function linesByInstructions(note: string): { instructions: string[]; other: string[] } {
  const out = { instructions: [] as string[], other: [] as string[] };
  for (const section of noteSections(note)) (section.instructions ? out.instructions : out.other).push(...section.lines);
  return out;
}

/** Where a note line breaks into sentences (not after an honorific: "Mr. Smith"). */
const SENTENCE_BREAK = /(?<!\b(?:Mr|Mrs|Ms|Dr)\.)(?<=[.!?])\s+(?=[A-Z0-9•-])/;

/** The sentences of a note outside its patient-instruction sections (one or more per line). */
export function noteSentencesOutsideInstructions(note: string): string[] {
  return linesByInstructions(note)
    .other.flatMap((line) => line.split(SENTENCE_BREAK))
    .filter((s) => /[a-z]/i.test(s));
}

/** Share of a note's sentences (outside instructions) that read as speech; 0 for a note with none. */
export function spokenSentenceShare(note: string): { share: number; sentences: number; spoken: string[] } {
  const sentences = noteSentencesOutsideInstructions(note);
  const spoken = sentences.filter((s) => spokenReasons(s).length > 0);
  return { share: sentences.length ? spoken.length / sentences.length : 0, sentences: sentences.length, spoken };
}

/**
 * Fragment share: the share of note sentences (outside patient-instruction sections) a reader would not accept as a
 * written sentence. Four plain tests, each a reason:
 * - "comma stutter": a word that cannot end a phrase followed by a comma ("Order, routine blood work.", "It was, a
 *   weekend", "This is, a stable ecg"): imperative order verbs, forms of be, articles, prepositions, possessives.
 * - "dangling opening": the sentence opens with a comparative or conjunction that needs a preceding clause ("Lower
 *   than it has in the past.", "Other than during the heat ...", "Because ...", "Which ...", "And ...").
 * - "referent-less opening": "That/Those + verb" (written notes say "This"), or "It/This/These + verb" as the first
 *   sentence of its section, where no previous sentence can supply the referent. Impersonal "it" ("It is
 *   recommended", "It has been 6 months since") is not counted.
 * - "no finite verb": no auxiliary, modal, past (-ed) or listed present/past verb, no subject pronoun with a verb
 *   after it, and the sentence opens as speech does, not as a note label: with an adverb, preposition,
 *   conjunction, pronoun or participle ("Still working with his hypertension.", "In the heat of the summer.").
 *   Verbless labels that open with a noun phrase, a negation or a finding ("Neck: No JVD.", "Hypertension, well
 *   controlled.", "Mild tenderness to palpation.", "Annual exam.") are note style.
 */
const STUTTER =
  /(?:^(?:order|continue|start|refer|increase|decrease|check|get|schedule|repeat|follow|take|stop|and|but|or|then|just|like|that|because)|\b(?:is|was|are|were|be|been|a|an|the|of|to|with|for|at|from|into|his|her|their|its|my|your|our|any|some)),\s/i;
const DANGLING =
  /^(?:(?:lower|higher|other|better|worse|more|less|rather|bigger|smaller|longer|shorter)\s+than|which|and|but|or|nor|plus)\b|^(?:because|although|though|whereas|whether)\b[^,]*$/i;
const IMPERSONAL_IT =
  /^It\s+(?:is|was)\s+(?:also\s+)?(?:recommended|important|likely|unlikely|unclear|possible|noted|advised|suspected|felt|thought|believed)\b|^It\s+has\s+been\b.*\bsince\b|^This\s+is\s+an?\s/i;
const FINITE =
  /\b(?:am|is|are|was|were|has|have|had|does|do|did|will|would|can|could|shall|should|may|might|must|cannot|won't|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|hasn't|haven't|\w+['’]s|\w+['’]re|\w+['’]ve|\w+['’]ll|\w+['’]d|\w{2,}ed|went|came|got|felt|took|saw|said|told|began|fell|ran|ate|drank|thought|knew|made|gave|found|left|kept|slept|underwent|broke|hurt|put|spent|sent|brought|bought|lost|wore|woke|hit|quit|(?:report|denie|endorse|state|note|present|complain|describe|take|feel|use|work|live|continue|remain|appear|show|reveal|demonstrate|say|want|need|get|go|come|walk|run|eat|drink|smoke|sleep|exercise|look|seem|sound|help|hurt|stay|keep|tend|try|trie|know|think|notice|experience|develop|lie|sit|stand|wake|play|swim|bike|lift|follow|check|monitor|see|follow|radiate|worsen|improve|occur|happen|start|stop|last|flare|wear|plan|like|love|hate|enjoy|struggle|suffer|manage|admit|mention|indicate|suggest|confirm|measure|read)s)\b/i;
const SUBJECT_CLAUSE =
  /\b(?:he|she|they|who|i|we|you|it|these|those)\s+(?:\w+ly\s+)?[a-z]+\b|\b[a-z]+s\s+(?:look|seem|sound|show|reveal|demonstrate|feel|appear|remain|hurt|come|go|get|help|need|want|work|continue|improve|stay)\b/i;
const NOTE_VERB_OPENING =
  /^(?:denies|reports|endorses|continue|start|order|refer|increase|decrease|check|obtain|schedule|repeat|follow|return|recommend|discussed|advised|encouraged|stop|discontinue|monitor|take|avoid|consider|prescribe|add|reduce|recheck|refill|perform|use|apply|keep|get|call|see|walk|limit|begin|resume|hold|taper|switch|change|titrate|review|counsel|educate|provide|send|request|place|arrange)\b/i;
const SPEECH_OPENING =
  /^(?:really|probably|maybe|hopefully|mostly|mainly|occasionally|usually|relatively|basically|actually|definitely|obviously|certainly|typically|apparently|still|just|also|pretty|then|now|here|there|again|even|only|too|so|well|yet|already|little|much|lots?|kind|sort|in|on|at|with|without|during|for|from|about|like|after|before|since|until|to|into|over|under|around|through|by|of|as|that|this|it|those|these|which|what|who|where|when|why|how|(?!(?:swelling|bleeding|smoking|tingling|bruising|wheezing|vomiting|itching|burning|drinking|snoring|sweating|coughing|cramping|limping|clicking|popping|locking|ringing|hearing|scarring|imaging|testing|screening|counseling|swallowing|drainage|non\w+ing)\b)[a-z]{3,}ing|been|taken|given|seen|broken|swollen|gotten|done|gone)\b/i;

export function fragmentReasons(sentence: string, previous: string | null): string[] {
  const s = sentence.replace(/^[-•*\s]+/, '').trim();
  const reasons: string[] = [];
  if (STUTTER.test(s)) reasons.push('comma stutter');
  if (DANGLING.test(s)) reasons.push('dangling opening');
  const referent =
    /^(That|Those|It|This|These)\s+(?:\w+ly\s+|also\s+|still\s+|just\s+)?(?:is|was|are|were|has|had|does|did|will|would|can|could|should|may|might|seems?|sounds?|looks?|goes|went|feels?|hurts?|helps?|started|stopped|gets?|got|'s)\b/.exec(
      s,
    );
  if (referent && !IMPERSONAL_IT.test(s) && (/^That|^Those/.test(referent[1]!) || previous === null)) reasons.push('referent-less opening');
  const label = s.includes(':') || /\d/.test(s) || NOTE_VERB_OPENING.test(s);
  if (!label && !FINITE.test(s) && !SUBJECT_CLAUSE.test(s) && SPEECH_OPENING.test(s)) reasons.push('no finite verb');
  // Paraphrased speech (decision 0201): a dangling end, an empty report, fused clauses, a doubled verb.
  reasons.push(...paraphraseReasons(s));
  return reasons;
}

/** The sections of a note outside patient instructions, each as its sentences in order (headings left out). */
export function noteSectionSentences(note: string): string[][] {
  return noteSections(note)
    .filter((section) => !section.instructions)
    .map((section) => section.lines.flatMap((line) => line.split(SENTENCE_BREAK).filter((x) => /[a-z]/i.test(x))))
    .filter((x) => x.length > 0);
}

/** Share of a note's sentences (outside instructions) that read as fragments; 0 for a note with none. */
export function fragmentShare(note: string): { share: number; sentences: number; fragments: string[] } {
  let sentences = 0;
  const fragments: string[] = [];
  for (const section of noteSectionSentences(note)) {
    section.forEach((s, i) => {
      sentences++;
      if (fragmentReasons(s, i > 0 ? section[i - 1]! : null).length > 0) fragments.push(s);
    });
  }
  return { share: sentences ? fragments.length / sentences : 0, sentences, fragments };
}

/** Syllables of an English word (vowel groups, silent final e, at least one). */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return 0;
  if (w.length <= 3) return 1;
  // A final -ed or -es is silent ("walked", "takes") except after the sounds that need a vowel before it ("tested",
  // "needed", "boxes", "changes", "pieces", "bruises", "washes").
  const trimmed = w.replace(/(?:[^laeiouytd]ed|[^laeiouysxzcgh]es|(?<![cs])hes|[^laeiouy]e)$/, (m) => m.slice(0, 1)).replace(/^y/, '');
  const groups = trimmed.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

/** Syllables of a number as read aloud ("20" twenty: 2, "1,000" one thousand: 3, "2.5" two point five: 3). */
export function numberSyllables(digits: string): number {
  const [whole = '', fraction = ''] = digits.replace(/,/g, '').split('.');
  const small = [0, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2];
  const tens = [0, 0, 2, 2, 2, 2, 2, 3, 2, 2];
  const below1000 = (n: number): number => {
    const h = Math.floor(n / 100);
    const r = n % 100;
    const rest = r < 20 ? small[r]! : tens[Math.floor(r / 10)]! + small[r % 10]!;
    return (h ? small[h]! + 2 : 0) + rest;
  };
  let n = Number(whole || '0');
  let count = n === 0 ? 2 : 0; // zero
  // thousand, million, billion: 2 syllables each.
  for (let scale = 0; n > 0; scale++, n = Math.floor(n / 1000)) {
    const part = n % 1000;
    if (part) count += below1000(part) + (scale ? 2 : 0);
  }
  return count + (fraction ? 1 + fraction.length : 0);
}

/** Units as read aloud ("mg" milligrams). */
const UNIT_SYLLABLES: Record<string, number> = { mg: 3, mcg: 3, kg: 3, ml: 4, cm: 4, mm: 4, lb: 1, lbs: 1, oz: 2 };

/**
 * Syllables of a written word as a reader says it: numbers as number words, units in full, and capitals initialisms
 * letter by letter ("MRI" em-ar-eye: 3; "A1c" A-one-C: 3), the rest by vowel groups.
 */
export function spokenSyllables(token: string): number {
  const t = token.replace(/^[^a-z0-9]+|[^a-z0-9%]+$/gi, '');
  if (!t) return 0;
  const unit = UNIT_SYLLABLES[t.toLowerCase()];
  if (unit) return unit;
  // Ordinals ("1st", "3rd") as their number.
  if (/^\d+(?:st|nd|rd|th)$/i.test(t)) return numberSyllables(t.replace(/\D+$/, ''));
  if (/^\d[\d,]*(?:\.\d+)?%?$/.test(t)) return numberSyllables(t.replace(/%$/, '')) + (t.endsWith('%') ? 2 : 0);
  const letter = (c: string): number => (c.toLowerCase() === 'w' ? 3 : 1);
  // An initialism: 2 to 4 capitals ("MRI", "EKG", "COPD"), or capitals and digits mixed ("A1c", "B12").
  if (/^[A-Z]{2,4}s?$/.test(t) || /^[A-Za-z]{1,3}\d{1,3}[A-Za-z]?$/.test(t))
    return [...t.replace(/s$/, '')].reduce((n, c) => n + (/\d/.test(c) ? numberSyllables(c) : letter(c)), 0);
  // Joined pieces ("20mg", "x-ray", "3-4"): each piece as said.
  const pieces = t.split(/-|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/i).filter(Boolean);
  if (pieces.length > 1) return pieces.reduce((n, p) => n + spokenSyllables(p), 0);
  return syllables(t);
}

/** Abbreviations whose full stop ends no sentence ("Dr. Smith", "e.g. ice"). */
const NOT_A_SENTENCE_END = /\b(?:dr|mr|mrs|ms|st|vs|approx|e\.g|i\.e|etc)\.\s+(?=[a-z0-9])/gi;

/**
 * Flesch–Kincaid grade level of a text (sentences at . ! ? or line ends, not at "Dr." or "e.g."); null for a text with no
 * words. Syllables are counted as a reader says the words (numbers, units, initialisms: spokenSyllables).
 */
export function fleschKincaidGrade(text: string): number | null {
  const sentences = text
    .replace(NOT_A_SENTENCE_END, (m) => m.replace('.', ''))
    .split(/[.!?]+\s+|\n+/)
    .map((s) => s.replace(/^[-•*\s]+/, '').trim())
    .filter((s) => /[a-z]/i.test(s));
  const words = sentences.flatMap((s) => s.split(/\s+/).filter((w) => /[a-z0-9]/i.test(w)));
  if (words.length === 0) return null;
  const syl = words.reduce((sum, w) => sum + Math.max(1, spokenSyllables(w)), 0);
  return 0.39 * (words.length / sentences.length) + 11.8 * (syl / words.length) - 15.59;
}

/** The text of a note's patient-instruction sections. */
export function instructionsText(note: string): string {
  return linesByInstructions(note).instructions.join('\n');
}
