import { assertionOf, clausesOf, sentencesOf, type Span } from './context.ts';
import type { IcdCode, TermMatch, Terminology } from './terminology.ts';
import { bagOf, QUALIFIERS, tokenize, type Token } from './text.ts';

/** One place in the input a hint was found. Offsets are into `text` of the source. */
export interface Mention {
  sourceKind: 'draft' | 'transcript' | 'text';
  sectionId?: string;
  segmentIds?: string[];
  /** The section text, segment text or whole text the offsets refer to. */
  text: string;
  sentence: Span;
  start: number;
  end: number;
  /** Section weight: assessment/plan 1, other note text 0.85, transcript 0.7. */
  weight: number;
}

export interface DiagnosisCandidate {
  code: string;
  display: string;
  billable: boolean;
  parent?: { code: string; display: string };
  confidence: number;
  why: string;
  mention: Mention;
  /** Lower-ranked alternatives for the same words (shown after the main hints). */
  alternate: boolean;
}

/** Single words too generic to code on their own. */
const GENERIC_SINGLE = new Set([
  'pain',
  'disease',
  'disorder',
  'syndrome',
  'infection',
  'injury',
  'problem',
  'condition',
  'lesion',
  'mass',
  'abnormal',
  'abnormality',
  'symptom',
  'test',
  'exam',
  'examination',
  'care',
  'follow',
  'weight',
  'diet',
  'exercise',
  'plan',
  'history',
  'status',
  'risk',
  'screening',
  'counseling',
  'education',
  'medication',
  'therapy',
  'surgery',
  'procedure',
  'referral',
  'use',
  'visit',
  'encounter',
  'fall',
  'walk',
  'work',
  'sleep',
  'stress',
  'change',
  'complication',
  'failure',
  'deficiency',
  'finding',
  'effect',
  'reaction',
  'contact',
  'exposure',
  'observation',
  'tear',
  'growth',
  'disturbance',
  'dysfunction',
  'insufficiency',
  'sign',
  'issue',
  'concern',
  'rest',
  'blood',
  'pressure',
  'heart',
  'level',
  'range',
  'dose',
  'control',
  'loss',
  'bleeding',
  'well',
  'good',
  'normal',
  'positive',
  'negative',
  'left',
  'right',
  'stable',
  'severe',
  'mild',
  'acute',
  'chronic',
  'ache',
  'defect',
  'anomaly',
  'block',
  'spasm',
  'cyst',
  'nodule',
  'polyp',
  'tumor',
  'neoplasm',
  'ulcer',
  'wound',
  'burn',
  'bite',
  'contusion',
  'swelling',
  'shock',
  'arrest',
  'collapse',
  'dependence',
  'abuse',
  'poisoning',
  'toxicity',
  'overdose',
  'infarction',
  'lump',
  'rash',
  'hernia',
  'stone',
  'calculus',
  'obstruction',
  'stenosis',
  'occlusion',
  'embolism',
  'thrombosis',
  'fracture',
  'sprain',
  'strain',
  'dislocation',
  'displacement',
  'degeneration',
  'inflammation',
  'hemorrhage',
  'discharge',
  'mole',
  'delivery',
  'pregnancy',
  'labor',
  'birth',
  'born',
  'child',
  'adult',
  'elderly',
  'age',
  'old',
  'year',
  'male',
  'female',
  'may',
  'eating',
  'death',
  'malformation',
  'muscle',
  'adjustment',
  'scale',
  'metabolic',
  'panel',
  'plus',
  'minus',
  'texture',
  'anesthesia',
  'complaint',
  'screen',
  'culture',
  'aware',
  'maintenance',
  'examination',
  'annual',
  'physical',
  'counseling',
]);

const SKIP_CHAPTERS = /^[VWXY]/;

/** Body sites and sides that qualify the diagnosis before them ("otitis media, right ear"). */
const SITE_WORDS = new Set([
  'ear',
  'eye',
  'side',
  'sided',
  'foot',
  'hand',
  'arm',
  'leg',
  'knee',
  'hip',
  'shoulder',
  'elbow',
  'wrist',
  'ankle',
  'lower',
  'upper',
  'low',
  'extremity',
  'lobe',
  'breast',
  'lung',
  'kidney',
]);

function choose<T>(items: T[], k: number): T[][] {
  const out: T[][] = [];
  const n = items.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    let bits = 0;
    for (let m = mask; m; m &= m - 1) bits++;
    if (bits > k) continue;
    const pick: T[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) pick.push(items[i]!);
    out.push(pick);
  }
  return out;
}

interface Candidate {
  tokens: Token[];
  terms: TermMatch[];
  core: number;
}

function candidatesIn(term: Terminology, tokens: Token[]): Candidate[] {
  const groups: Token[][] = [];
  if (tokens.length <= 7) groups.push(...choose(tokens, 7));
  else {
    for (let i = 0; i < tokens.length; i++) {
      for (let len = 1; len <= 6 && i + len <= tokens.length; len++) groups.push(tokens.slice(i, i + len));
    }
    for (let i = 0; i + 5 <= tokens.length; i++)
      groups.push(...choose(tokens.slice(i, i + 5), 5).filter((g) => g.length >= 2 && g.includes(tokens[i]!)));
  }
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    const bag = bagOf(g.map((t) => t.stem));
    if (seen.has(bag)) continue;
    seen.add(bag);
    const terms = term.termsFor(bag).filter((t) => !SKIP_CHAPTERS.test(t.code) && !(t.code.startsWith('Z') && t.size < 2));
    if (!terms.length) continue;
    const core = new Set(g.filter((t) => !QUALIFIERS.has(t.stem)).map((t) => t.stem)).size;
    if (core === 0) continue;
    if (g.length === 1 && GENERIC_SINGLE.has(g[0]!.stem)) continue;
    out.push({ tokens: g, terms, core });
  }
  return out;
}

function rankTerms(term: Terminology, terms: TermMatch[]): Array<{ t: TermMatch; info: IcdCode }> {
  const ranked: Array<{ t: TermMatch; info: IcdCode; score: number }> = [];
  const seen = new Set<string>();
  for (const t of [...terms].sort((a, b) => b.weight - a.weight)) {
    if (seen.has(t.code)) continue;
    seen.add(t.code);
    const info = term.code(t.code);
    if (!info || info.status === 'deleted') continue;
    const score = t.weight + (t.source === 'index' ? 0.05 : 0) + (info.billable ? 0.03 : 0) - t.code.length * 0.002;
    ranked.push({ t, info, score });
  }
  return ranked.sort((a, b) => b.score - a.score);
}

/**
 * The most specific code the words support: at each level below a header, the child whose own words
 * (beyond its parent's) the text contains ("right", "index finger"); else the one "unspecified" child;
 * else the initial-encounter 7th character. The header is kept as `parent`; when the children cannot be
 * told apart, the header itself is returned (billable: false). A billable "unspecified" code whose
 * siblings name what the text says is replaced by that sibling.
 */
export function specificCode(
  term: Terminology,
  info: IcdCode,
  context: Set<string> = new Set(),
  pieceWords: Set<string> = context,
): { code: IcdCode; parent?: IcdCode } {
  const descend = (from: IcdCode, context: Set<string>): { code: IcdCode; informed: boolean } => {
    let current = from;
    let informed = false;
    for (let depth = 0; depth < 5 && !current.billable; depth++) {
      const kids = term.children(current.code);
      if (!kids.length) break;
      const own = new Set(tokenize(current.display).map((t) => t.stem));
      const scored = kids.map((k) => ({ k, score: tokenize(k.display).filter((t) => !own.has(t.stem) && context.has(t.stem)).length }));
      const top = Math.max(...scored.map((x) => x.score));
      const best = scored.filter((x) => x.score === top);
      let next: IcdCode | undefined;
      if (top > 0 && best.length === 1) {
        next = best[0]!.k;
        informed = true;
      } else {
        const pool = top > 0 ? best.map((x) => x.k) : kids;
        const unspecified = pool.filter(
          (k) => /unspecified|, NOS\b/i.test(k.display) && !/\bother\b/i.test(k.display.replace(/unspecified/gi, '')),
        );
        if (unspecified.length === 1) next = unspecified[0];
        else if (pool.every((k) => k.code.replace('.', '').length === 7) && pool.some((k) => k.code.endsWith('A')))
          next = pool.find((k) => k.code.endsWith('A'));
        else if (pool.length === 1) next = pool[0];
        else if (current.status === 'expanded') {
          // FY2027 split this code; its old meaning lives on in the "other ... / not elsewhere classified" child.
          const residual = pool.filter(
            (k) =>
              k.display.toLowerCase().includes(current.display.toLowerCase().replace(/^other /, '')) &&
              /\bother\b|not elsewhere classified/i.test(k.display),
          );
          if (residual.length === 1) next = residual[0];
        }
      }
      if (!next) break;
      current = next;
    }
    return { code: current, informed };
  };
  let start = info;
  if (info.billable && info.parent && /unspecified/i.test(info.display)) {
    const parent = term.code(info.parent);
    if (parent) {
      const again = descend(parent, context);
      if (again.informed && again.code.billable && again.code.code !== info.code) return { code: again.code, parent };
    }
    start = info;
  }
  // Below a header, every word of the phrase the header does not already say may choose the child
  // ("finger, middle, distal phalanx" matched S62.63-; "right middle" picks S62.632).
  const headerWords = new Set(tokenize(start.display).map((t) => t.stem));
  const { code } = descend(start, new Set([...pieceWords].filter((w) => !headerWords.has(w))));
  if (code.code === info.code) {
    // A billable "unspecified" code: its header is the less specific parent the words stop at.
    const header = info.billable && info.parent && /unspecified/i.test(info.display) ? term.code(info.parent) : null;
    return header ? { code: info, parent: header } : { code: info };
  }
  return { code, parent: info };
}

function describeWhy(t: TermMatch): string {
  const path = t.text.replace(/\s+/g, ' ').trim();
  if (t.source === 'index') return `ICD-10-CM index term "${path}"`;
  if (t.source === 'lay term') return `lay term "${path}"`;
  if (t.source === 'neoplasm table') return `Neoplasm Table: "${path}"`;
  return `code description "${path}"`;
}

/** Diagnoses in `text` (a section, a segment, a phrase). Only present, affirmed conditions. */
export function findDiagnoses(term: Terminology, source: Omit<Mention, 'sentence' | 'start' | 'end'>): DiagnosisCandidate[] {
  const out: DiagnosisCandidate[] = [];
  const text = source.text;
  for (const sentence of sentencesOf(text)) {
    for (const clause of clausesOf(sentence)) {
      // Windows: clause pieces split at commas (lists of problems); "and" stays ("nausea and vomiting").
      // A piece of only qualifiers or sites ("recurrent, moderate", "right ear") belongs to the piece before it.
      const windows: Token[][] = [];
      for (const piece of clause.text.matchAll(/[^,]+/g)) {
        const offset = clause.start + (piece.index ?? 0);
        const words = tokenize(piece[0]).map((t) => ({ ...t, start: t.start + offset, end: t.end + offset }));
        if (!words.length) continue;
        const last = windows[windows.length - 1];
        if (last && words.length <= 3 && words.every((t) => QUALIFIERS.has(t.stem) || SITE_WORDS.has(t.stem))) last.push(...words);
        else windows.push(words);
      }
      for (const tokens of windows) {
        let cands = candidatesIn(term, tokens);
        const used = new Set<Token>();
        while (cands.length) {
          cands.sort(
            (a, b) =>
              b.core - a.core ||
              b.tokens.length - a.tokens.length ||
              (b.terms[0]?.weight ?? 0) - (a.terms[0]?.weight ?? 0) ||
              a.tokens[a.tokens.length - 1]!.end - a.tokens[0]!.start - (b.tokens[b.tokens.length - 1]!.end - b.tokens[0]!.start),
          );
          const best = cands[0]!;
          for (const t of best.tokens) used.add(t);
          cands = cands.filter((c) => c.tokens.every((t) => !used.has(t)));
          let start = Math.min(...best.tokens.map((t) => t.start));
          // "Type 2 diabetes": the filler word "type" belongs to the evidence words.
          const typeWord = /\btype\s+$/i.exec(text.slice(Math.max(0, start - 8), start));
          if (typeWord) start -= typeWord[0].length;
          const end = Math.max(...best.tokens.map((t) => t.end));
          const assertion = assertionOf(text, sentence, start, end);
          if (assertion !== 'present') continue;
          const ranked = rankTerms(term, best.terms);
          // Words the match did not use ("right", "index finger") may pick a more specific child code.
          const context = new Set(tokens.filter((t) => !best.tokens.includes(t)).map((t) => t.stem));
          const coreInPiece = new Set(tokens.filter((t) => !QUALIFIERS.has(t.stem)).map((t) => t.stem)).size || 1;
          const coverage = best.core / coreInPiece;
          ranked.slice(0, 3).forEach(({ t, info }, rank) => {
            const { code, parent } = specificCode(term, info, context, new Set(tokens.map((t) => t.stem)));
            let confidence = (0.5 + 0.35 * coverage + 0.15 * Math.min(1, best.core / 2)) * source.weight;
            if (!code.billable) confidence *= 0.85;
            else if (parent) confidence *= 0.92;
            if (rank > 0) confidence *= 0.55 - rank * 0.1;
            out.push({
              code: code.code,
              display: code.display,
              billable: code.billable,
              ...(parent ? { parent: { code: parent.code, display: parent.display } } : {}),
              confidence: Math.max(0.01, Math.min(0.99, confidence)),
              why: `${describeWhy(t)}${!parent ? '' : /unspecified/i.test(code.display) ? `; the words say no more than ${parent.code}, so its unspecified code` : `; refined from ${parent.code} by the words around it`}`,
              mention: { ...source, sentence, start, end },
              alternate: rank > 0,
            });
          });
        }
      }
    }
  }
  return out;
}
