import { SECTION_CLASSES, type SectionClass } from '../features.ts';
import type { ContentKind } from '../templates.ts';
import type { DraftSentence } from '../../contract/index.ts';
import type { Utterance } from '../utterances.ts';
import { bodySystemOf, findingsBySystem, reportBySystem, withClinicalTerms } from './clinical-language.ts';

/**
 * Which note section a sentence goes to: the classifier's probabilities plus clinical cue phrases, smoothed over
 * neighbouring sentences; history cues send history-of-present-illness sentences to the history; review-of-systems
 * and examination items are labelled with their body system.
 */

const HISTORY_CUE =
  /\b(history of|past medical|surger(y|ies)|operation|smok(e|es|ed|ing)|cigarettes?|alcohol|drinks?|drinking|allerg(y|ies|ic)|family history|mother|father|sister|brother|married|lives (with|alone)|works? (as|at)|retired|medications? (list|include)|currently tak(e|es|ing))\b/i;
const NEIGHBOUR_WEIGHTS = [1, 0.7, 0.5, 0.35, 0.25];

/** Clinical cue phrases: a rule prior added to the model's section probabilities for clinician sentences. */
const SECTION_CUES: Array<[Exclude<SectionClass, 'none'>, RegExp]> = [
  [
    'plan',
    /\b(prescrib\w*|going to (?:order|start|increase|decrease|refer|send|schedule|put|give|continue|stop|have)|will (?:order|start|increase|decrease|refer|send|schedule|continue|stop|follow)|want (?:you|him|her) to|refer(?:ral)?|follow[- ]up|come back|return (?:to|in)|recommend\w*|my (?:assessment|plan|impression)|diagnosis)\b/i,
  ],
  [
    'exam',
    /\b(on (?:physical )?exam(?:ination)?|physical exam\w*|on (?:my )?exam|i (?:do )?(?:hear|appreciate|feel|see|note)|lungs? (?:are|is|sound)|heart (?:is|sounds)|range of motion|tender(?:ness)? to palpation|no (?:edema|murmurs?|tenderness|swelling)|palpat\w*|auscultation)\b/i,
  ],
  [
    'results',
    /\b(x-?rays?|mri|ct scan|cat scan|ultrasound|echocardiogram|ekg|ecg|labs?|lab work|blood work|blood test|results?|a1c|hemoglobin|cholesterol|lipid panel|urinalysis|biopsy|imaging|showed|revealed|came back)\b/i,
  ],
];
const CUE_PRIOR = 0.25;

/**
 * A visit moves through its sections (history, examination, results, plan), so a sentence's section is read
 * together with its neighbours': each content-class probability is averaged over a window of sentences,
 * weighted by how much each neighbour is itself note content.
 */
export function smoothSections(probabilities: Float32Array[]): Float32Array[] {
  // Short visits have no long sections to read from: the window grows with the visit, up to 4 sentences.
  const reach = Math.min(NEIGHBOUR_WEIGHTS.length - 1, Math.floor(probabilities.length / 15));
  return probabilities.map((_, i) => {
    const out = new Float32Array(probabilities[i]!.length);
    for (let d = -reach; d <= reach; d++) {
      const q = probabilities[i + d];
      if (!q) continue;
      const w = NEIGHBOUR_WEIGHTS[Math.abs(d)]! * (d === 0 ? 1 : 1 - q[0]!);
      for (let c = 1; c < q.length; c++) out[c] = out[c]! + w * q[c]!;
    }
    return out;
  });
}

export function withSectionCues(p: Float32Array, u: Utterance): Float32Array {
  if (u.speaker === 'patient') return p;
  const out = Float32Array.from(p);
  for (const [cls, re] of SECTION_CUES)
    if (re.test(u.text)) out[SECTION_CLASSES.indexOf(cls)] = out[SECTION_CLASSES.indexOf(cls)]! + CUE_PRIOR;
  return out;
}

/** The likeliest section other than 'none' (SECTION_CLASSES[0]). */
export function contentClass(p: Float32Array): Exclude<SectionClass, 'none'> {
  let best = 1;
  for (let c = 2; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  return (SECTION_CLASSES[best] ?? 'hpi') as Exclude<SectionClass, 'none'>;
}

export function kindFor(cls: Exclude<SectionClass, 'none'>, u: Utterance): ContentKind {
  if (cls === 'plan') return 'assessment_plan';
  if (cls === 'hpi') return HISTORY_CUE.test(u.text) || HISTORY_CUE.test(u.previous) ? 'history' : 'hpi';
  return cls;
}

/** Review-of-systems and examination items are labelled with their body system; lay words get their clinical term. */
export function styleFor(kind: ContentKind, text: string, u: Utterance): string {
  if (kind === 'assessment_plan') return text;
  const translated = u.speaker === 'clinician' ? text : withClinicalTerms(text);
  if (kind !== 'ros' && kind !== 'exam') return translated;
  if (/^[A-Z][A-Za-z ,]{2,40}:/.test(translated)) return translated;
  const system = bodySystemOf(translated);
  return system ? `${system}: ${translated}` : translated;
}

/**
 * styleFor's sentence, or one per body system when a review-of-systems report lists findings of several, or an
 * examination sentence joins them (decision 0232).
 */
export function styledParts(kind: ContentKind, text: string, u: Utterance): string[] {
  const styled = styleFor(kind, text, u);
  if (kind !== 'ros' && kind !== 'exam') return [styled];
  const body = styled.replace(/^[A-Z][A-Za-z ,]{2,40}:\s+/, '');
  // An examination sentence with a label of its own ("Knee: ...") keeps it.
  const exam = kind === 'exam' && !/^[A-Z][A-Za-z ,]{2,40}:/.test(text) ? findingsBySystem(body) : null;
  return reportBySystem(body) ?? exam ?? [styled];
}

export function sectionText(sentences: DraftSentence[], style: 'prose' | 'list'): string {
  if (style === 'list') return sentences.map((s) => `- ${s.text}`).join('\n');
  return sentences.map((s) => s.text).join(' ');
}
