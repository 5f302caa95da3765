import type { ChartCitation, Draft, Transcript } from '../contract/index.ts';
import { LOW_WORD_CONFIDENCE, ScribeError } from '../contract/index.ts';
import { ageOn } from './rules/history.ts';
import { dosesIn, type DrugLexicon } from './rules/medication.ts';
import { chartProblemName } from './rules/plan.ts';
import { lateralitiesIn, numbersIn } from './text.ts';

/**
 * The evidence guard: before a draft is shown, every generated sentence must cite transcript segments,
 * and every number, drug, dose and laterality it states must appear in one of those segments.
 * Sections a person edited are the clinician's own words and are not checked.
 * A sentence may also cite facts of the chart (decision 0204): each supports only what it is (the age its birth date
 * gives on the visit day, the sex, the name, a problem's name and the numbers or side in it), and a citation the
 * sentence does not bear out is itself a defect ('chart').
 */

export type EvidenceDefectKind = 'no_evidence' | 'unknown_segment' | 'number' | 'drug' | 'dose' | 'laterality' | 'uncertain_drug' | 'chart';

export interface EvidenceDefect {
  sectionId: string;
  sentence: number;
  kind: EvidenceDefectKind;
  /** The unsupported value ("40", "lisinopril", "40 mg", "left") or the unknown segment id. */
  value: string;
  text: string;
}

export interface SentenceCheck {
  text: string;
  evidence: string[];
  chart?: ChartCitation[];
}

/** What one chart citation supports: words the sentence must say (else the citation is a defect), numbers, and text. */
function chartSupport(c: ChartCitation): { says: RegExp | null; numbers: string[]; text: string } {
  const element = c.source.split('#')[1] ?? '';
  const resource = c.source.split('/')[0] ?? '';
  // Whole words: "male" is not said by "female"; a name may end in a period ("Jr.").
  const literal = (words: string): RegExp =>
    new RegExp(`(?<![\\p{L}\\d])${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d])`, 'iu');
  if (resource === 'Patient' && element === 'birthDate') {
    const age = c.asOf ? ageOn(c.value, c.asOf) : null;
    return age === null
      ? { says: null, numbers: [], text: '' }
      : { says: new RegExp(`\\b${age}-year-old\\b`), numbers: [String(age)], text: '' };
  }
  if (resource === 'Patient' && element === 'gender')
    return /^(?:female|male)$/.test(c.value) ? { says: literal(c.value), numbers: [], text: '' } : { says: null, numbers: [], text: '' };
  if (resource === 'Patient' && element === 'name') return { says: c.value.trim() ? literal(c.value.trim()) : null, numbers: [], text: '' };
  if (resource === 'Condition' && element === 'code') {
    const name = chartProblemName(c.value);
    return { says: name ? literal(name) : null, numbers: numbersIn(c.value), text: c.value };
  }
  return { says: null, numbers: [], text: '' };
}

/**
 * Defects of one sentence against the transcript's segments (by id). `confident` holds, for segments that came from
 * a recognizer with word confidences, the text with uncertain words blanked: a drug name must appear there too.
 */
export function sentenceDefects(
  sentence: SentenceCheck,
  segments: ReadonlyMap<string, string>,
  lexicon: DrugLexicon,
  confident?: ReadonlyMap<string, string>,
): Array<{ kind: EvidenceDefectKind; value: string }> {
  const out: Array<{ kind: EvidenceDefectKind; value: string }> = [];
  const chart = sentence.chart ?? [];
  if (sentence.evidence.length === 0 && chart.length === 0) out.push({ kind: 'no_evidence', value: '' });
  const texts: string[] = [];
  for (const id of sentence.evidence) {
    const t = segments.get(id);
    if (t === undefined) out.push({ kind: 'unknown_segment', value: id });
    else texts.push(t);
  }
  const chartNumbers: string[] = [];
  for (const c of chart) {
    const support = chartSupport(c);
    if (!support.says || !support.says.test(sentence.text)) out.push({ kind: 'chart', value: c.source });
    chartNumbers.push(...support.numbers);
    if (support.text) texts.push(support.text);
  }
  const evidence = texts.join('\n');
  const evidenceNumbers = new Set([...numbersIn(evidence), ...chartNumbers]);
  for (const n of new Set(numbersIn(sentence.text))) if (!evidenceNumbers.has(n)) out.push({ kind: 'number', value: n });
  const evidenceDoses = new Set(dosesIn(evidence));
  for (const d of new Set(dosesIn(sentence.text))) if (!evidenceDoses.has(d)) out.push({ kind: 'dose', value: d });
  const evidenceDrugs = new Set(lexicon.find(evidence).map((h) => h.name));
  const sureDrugs = confident
    ? new Set(lexicon.find(sentence.evidence.map((id) => confident.get(id) ?? segments.get(id) ?? '').join('\n')).map((h) => h.name))
    : evidenceDrugs;
  for (const d of new Set(lexicon.find(sentence.text).map((h) => h.name))) {
    if (!evidenceDrugs.has(d)) out.push({ kind: 'drug', value: d });
    else if (!sureDrugs.has(d)) out.push({ kind: 'uncertain_drug', value: d });
  }
  const evidenceSides = new Set(lateralitiesIn(evidence));
  for (const s of lateralitiesIn(sentence.text)) if (!evidenceSides.has(s)) out.push({ kind: 'laterality', value: s });
  return out;
}

export function segmentTexts(transcript: Transcript): Map<string, string> {
  return new Map(transcript.segments.map((s) => [s.id, s.text]));
}

/**
 * For segments with recognizer word confidences: their text with each uncertain word (confidence below
 * LOW_WORD_CONFIDENCE) replaced by "…". Segments without word confidences are not in the map.
 */
export function confidentTexts(transcript: Transcript): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of transcript.segments) {
    if (!s.words || s.words.length === 0) continue;
    out.set(s.id, s.words.map((w) => (w.confidence < LOW_WORD_CONFIDENCE ? '…' : w.word)).join(' '));
  }
  return out;
}

/** Every defect of a draft (empty when the draft may be shown). */
export function findEvidenceDefects(draft: Draft, transcript: Transcript, lexicon: DrugLexicon): EvidenceDefect[] {
  const segments = segmentTexts(transcript);
  const confident = confidentTexts(transcript);
  const out: EvidenceDefect[] = [];
  for (const section of draft.sections) {
    if (section.edited) continue;
    section.sentences.forEach((s, i) => {
      for (const d of sentenceDefects(s, segments, lexicon, confident))
        out.push({ sectionId: section.id, sentence: i, text: s.text, ...d });
    });
  }
  return out;
}

/** Throws ScribeError('conflict') listing the defects when a draft states anything its evidence does not. */
export function assertDraftSupported(draft: Draft, transcript: Transcript, lexicon: DrugLexicon): void {
  const defects = findEvidenceDefects(draft, transcript, lexicon);
  if (defects.length > 0) {
    const first = defects[0]!;
    throw new ScribeError(
      'conflict',
      `the draft states ${defects.length} thing(s) its transcript does not support, first: ${first.kind} "${first.value}" in ${first.sectionId}`,
      { defects },
    );
  }
}

/** Kinds that make a model's sentence *unsupported* (shown flagged) rather than dropped. */
export type UnsupportedKind = 'number' | 'drug' | 'dose' | 'laterality' | 'concept';

export type ModelSentenceReview = { keep: false; reason: string } | { keep: true; flags: Array<{ kind: UnsupportedKind; value: string }> };

/**
 * The guard around a language model: a sentence citing no turn, or a turn that does not exist, is
 * dropped; one stating a number, dose, drug, side or clinical concept its cited turns lack is kept but
 * flagged, so the clinician must keep or remove it before signing.
 */
export function reviewModelSentence(
  sentence: SentenceCheck,
  segments: ReadonlyMap<string, string>,
  lexicon: DrugLexicon,
  clinicalTerms?: DrugLexicon,
): ModelSentenceReview {
  if (!sentence.text.trim()) return { keep: false, reason: 'empty sentence' };
  const defects = sentenceDefects(sentence, segments, lexicon);
  const citation = defects.find((d) => d.kind === 'no_evidence' || d.kind === 'unknown_segment');
  if (citation)
    return {
      keep: false,
      reason: citation.kind === 'no_evidence' ? 'cites no transcript turn' : `cites turn ${citation.value}, which does not exist`,
    };
  const flags = defects.map((d) => ({ kind: d.kind as UnsupportedKind, value: d.value }));
  if (clinicalTerms) {
    const evidence = sentence.evidence.map((id) => segments.get(id) ?? '').join('\n');
    const said = new Set(clinicalTerms.find(evidence).map((h) => h.name));
    // A term already flagged as a drug or number, or one that is only digits, says nothing new.
    const already = new Set(flags.map((f) => f.value));
    for (const term of new Set(clinicalTerms.find(sentence.text).map((h) => h.name))) {
      if (!said.has(term) && !already.has(term) && !/^[\d.,]+$/.test(term)) flags.push({ kind: 'concept', value: term });
    }
  }
  return { keep: true, flags };
}

/** Flagged sentences the clinician has not yet kept or removed (Sign waits for these). */
export function unreviewedFlags(
  draft: Draft,
): Array<{ sectionId: string; sentence: number; text: string; flags: Array<{ kind: string; value: string }> }> {
  const out: Array<{ sectionId: string; sentence: number; text: string; flags: Array<{ kind: string; value: string }> }> = [];
  for (const section of draft.sections) {
    if (section.edited) continue;
    section.sentences.forEach((s, i) => {
      if (s.flags?.length && s.decision !== 'kept') out.push({ sectionId: section.id, sentence: i, text: s.text, flags: s.flags });
    });
  }
  return out;
}
