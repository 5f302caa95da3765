import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { SectionClass } from './features.ts';
import { answerPolarity } from './rules/negation.ts';
import { splitSentences, wordTokens } from './text.ts';
import { parseTranscriptText } from './transcript-text.ts';
import { utterancesOf, type Utterance } from './utterances.ts';

/**
 * Reading the public training data (ACI-Bench, MTS-Dialog) and labelling transcript sentences with the
 * note section that reports them. Used by `npm run train:drafter` and `npm run bench:draft` only.
 */

export function sharedDir(repoRoot: string): string {
  return process.env['SCRIBE_SHARED_DIR'] || resolve(repoRoot, '..', 'shared');
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) into objects keyed by the header. */
function parseCsv(text: string): Array<Record<string, string>> {
  return parse(text, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: true });
}

export interface AciEncounter {
  id: string;
  dialogue: string;
  note: string;
}

export function readAciBench(shared: string, split: 'train' | 'valid'): AciEncounter[] {
  return parseCsv(readFileSync(join(shared, 'data', 'aci-bench', `${split}.csv`), 'utf8')).map((r) => ({
    id: r['encounter_id'] ?? '',
    dialogue: r['dialogue'] ?? '',
    note: r['note'] ?? '',
  }));
}

export interface MtsDialog {
  id: string;
  section: string;
  sectionText: string;
  dialogue: string;
}

export function readMtsDialog(shared: string): MtsDialog[] {
  return parseCsv(readFileSync(join(shared, 'data', 'mts-dialog', 'MTS-Dialog-TrainingSet.csv'), 'utf8')).map((r) => ({
    id: r['ID'] ?? '',
    section: r['section_header'] ?? '',
    sectionText: r['section_text'] ?? '',
    dialogue: r['dialogue'] ?? '',
  }));
}

const HEADING_CLASS: Array<[RegExp, SectionClass]> = [
  [
    /^(CHIEF COMPLAINT|HISTORY OF PRESENT ILLNESS|HPI|HISTORY|SOCIAL HISTORY|MEDICAL HISTORY|PAST HISTORY|PAST MEDICAL HISTORY|FAMILY HISTORY|MEDICATIONS|CURRENT MEDICATIONS|ALLERGIES|SURGICAL HISTORY|PAST SURGICAL HISTORY|BIRTH HISTORY)$/,
    'hpi',
  ],
  [/^REVIEW OF SYSTEMS$/, 'ros'],
  [/^(PHYSICAL EXAM|PHYSICAL EXAMINATION|EXAM|VITALS|VITALS REVIEWED|VITAL SIGNS|MSK)$/, 'exam'],
  [/^(RESULTS|IMAGING|LABS)$/, 'results'],
  [/^(ASSESSMENT AND PLAN|ASSESSMENT|PLAN|IMPRESSION|INSTRUCTIONS|PROCEDURE|PATIENT INSTRUCTIONS)$/, 'plan'],
];

/** Splits an ACI-Bench note at its uppercase headings into text per section class. */
export function noteSectionsByClass(note: string): Map<SectionClass, string> {
  const out = new Map<SectionClass, string>();
  let current: SectionClass = 'hpi';
  for (const line of note.split('\n')) {
    const h = line.trim().replace(/:$/, '');
    const cls = HEADING_CLASS.find(([re]) => re.test(h))?.[1];
    if (cls) {
      current = cls;
      continue;
    }
    out.set(current, `${out.get(current) ?? ''}\n${line}`);
  }
  return out;
}

export const MTS_SECTION_CLASS: Record<string, SectionClass | undefined> = {
  GENHX: 'hpi',
  CC: 'hpi',
  PASTMEDICALHX: 'hpi',
  'FAM/SOCHX': 'hpi',
  PASTSURGICAL: 'hpi',
  ALLERGY: 'hpi',
  MEDICATIONS: 'hpi',
  IMMUNIZATIONS: 'hpi',
  GYNHX: 'hpi',
  OTHER_HISTORY: 'hpi',
  ROS: 'ros',
  EXAM: 'exam',
  LABS: 'results',
  IMAGING: 'results',
  ASSESSMENT: 'plan',
  DIAGNOSIS: 'plan',
  PLAN: 'plan',
  DISPOSITION: 'plan',
  EDCOURSE: undefined,
  PROCEDURES: undefined,
};

export const STOPWORDS = new Set(
  (
    'a an the and or but if then so of to in on at for with from by about as into over after before up down out off is are was were be been ' +
    'being am do does did have has had having i me my mine you your yours he him his she her hers it its we us our they them their this that ' +
    'these those there here what which who whom whose when where why how all any some no not nor only just very too also can could would ' +
    'should will shall may might must okay ok yeah yes um uh like know think going gonna get got go well right oh really little bit kind sort ' +
    'mean thing things lot let see say said now one time good great just sure alright because than more most much other else ever even still ' +
    'back way maybe make made want need take come came'
  ).split(' '),
);

export function contentTokens(text: string): string[] {
  return wordTokens(text).filter((t) => t.length > 1 && !STOPWORDS.has(t));
}

export interface LabelledUtterance {
  utterance: Utterance;
  label: SectionClass;
  withPosition: boolean;
}

/** Least idf-weighted F-score between a note sentence and a transcript sentence for them to be aligned. */
export const ALIGNMENT_THRESHOLD = 0.3;

function weightedF(a: Set<string>, b: Set<string>, idf: (t: string) => number): number {
  let inter = 0;
  let wa = 0;
  let wb = 0;
  for (const t of a) {
    const w = idf(t);
    wa += w;
    if (b.has(t)) inter += w;
  }
  for (const t of b) wb += idf(t);
  if (inter === 0) return 0;
  const p = inter / wa;
  const r = inter / wb;
  return (2 * p * r) / (p + r);
}

/**
 * Labels each sentence of a dialogue with the note section it was summarised into, by aligning every note
 * sentence to the one or two transcript sentences that share most of its (idf-weighted) content words.
 * Unaligned sentences are 'none'. Questions are 'none' (notes report answers); a bare yes/no answer takes the
 * label its question would get.
 */
export function labelDialogue(
  dialogue: string,
  sections: Map<SectionClass, string>,
  idf: (t: string) => number,
  withPosition: boolean,
): LabelledUtterance[] {
  const utterances = utterancesOf(parseTranscriptText(dialogue));
  const bags = utterances.map((u) => {
    const own = contentTokens(u.text);
    const bare = !u.isQuestion && answerPolarity(u.text) !== null && /\?\s*$/.test(u.previous) && own.length < 3;
    return new Set(bare ? [...own, ...contentTokens(u.previous)] : u.isQuestion ? [] : own);
  });
  const best = utterances.map(() => ({ label: 'none' as SectionClass, score: 0 }));
  for (const [cls, text] of sections) {
    for (const line of text.split('\n')) {
      for (const sentence of splitSentences(line)) {
        const target = new Set(contentTokens(sentence));
        if (target.size < 2) continue;
        const scored = bags
          .map((bag, i) => ({ i, f: bag.size === 0 ? 0 : weightedF(bag, target, idf) }))
          .sort((a, b) => b.f - a.f || a.i - b.i);
        const top = scored[0];
        if (!top || top.f < ALIGNMENT_THRESHOLD) continue;
        for (const c of scored.slice(0, 3)) {
          if (c.f < ALIGNMENT_THRESHOLD || c.f < top.f * 0.7) break;
          if (c.f > best[c.i]!.score) best[c.i] = { label: cls, score: c.f };
        }
      }
    }
  }
  return utterances.map((u, i) => ({ utterance: u, label: best[i]!.label, withPosition }));
}

/** Inverse document frequency over sentences of the given dialogues (1 + ln(N / (1 + df))). */
export function buildIdf(dialogues: string[]): (t: string) => number {
  const df = new Map<string, number>();
  let n = 0;
  for (const d of dialogues) {
    for (const line of d.split('\n')) {
      n++;
      for (const t of new Set(contentTokens(line))) df.set(t, (df.get(t) ?? 0) + 1);
    }
  }
  return (t) => 1 + Math.log(n / (1 + (df.get(t) ?? 0)));
}
