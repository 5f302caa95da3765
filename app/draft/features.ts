import type { Utterance } from './utterances.ts';
import { wordTokens } from './text.ts';

/**
 * Features of an utterance for the section classifier: hashed words and word pairs of the sentence,
 * words of the previous turn (an answer's question), the speaker, and the position in the visit.
 * Training (scripts/train-drafter.ts) and inference use this one function, so they cannot drift apart.
 */

export const FEATURE_DIM = 1 << 14;
/** Features per utterance are capped (the ONNX input is [N, MAX_FEATURES]). */
export const MAX_FEATURES = 160;

/** The classes the model predicts, in output order. */
export const SECTION_CLASSES = ['none', 'hpi', 'ros', 'exam', 'results', 'plan'] as const;
export type SectionClass = (typeof SECTION_CLASSES)[number];

/** 32-bit FNV-1a, the hash used for feature ids (stable across runs and platforms). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface FeatureVector {
  /** Feature ids in [0, FEATURE_DIM), sorted, unique. */
  ids: number[];
  /** One weight per id (counts scaled to unit length). */
  weights: number[];
}

export function utteranceFeatures(u: Pick<Utterance, 'text' | 'speaker' | 'previous' | 'position'>, withPosition = true): FeatureVector {
  const names: string[] = [];
  const tokens = wordTokens(u.text).slice(0, 40);
  const speaker = u.speaker ?? 'unknown';
  names.push('bias', `s:${speaker}`);
  for (const t of tokens) names.push(`w:${t}`, `sw:${speaker}:${t}`);
  for (let i = 0; i + 1 < tokens.length; i++) names.push(`b:${tokens[i]}_${tokens[i + 1]}`);
  const prev = wordTokens(u.previous).slice(-16);
  for (const t of prev) names.push(`p:${t}`);
  if (/\?\s*$/.test(u.text)) names.push('q');
  if (/\d/.test(u.text) || /\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred)\b/i.test(u.text))
    names.push('num');
  names.push(`len:${Math.min(6, Math.floor(Math.log2(tokens.length + 1)))}`);
  if (withPosition) {
    const bucket = Math.min(9, Math.floor(u.position * 10));
    names.push(`pos:${bucket}`, `pos:${bucket}:${speaker}`);
  }
  const counts = new Map<number, number>();
  for (const n of names) {
    const id = fnv1a(n) % FEATURE_DIM;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let ids = [...counts.keys()].sort((a, b) => a - b);
  if (ids.length > MAX_FEATURES) ids = ids.slice(0, MAX_FEATURES);
  let norm = 0;
  for (const id of ids) norm += counts.get(id)! ** 2;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return { ids, weights: ids.map((id) => Math.fround(counts.get(id)! * scale)) };
}
