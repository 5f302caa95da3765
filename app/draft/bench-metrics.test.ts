import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ConceptMatcher, rougeLsum, rougeN } from '../../bench/draft-metrics.ts';
import { readAciBench } from './training-data.ts';
import { SHARED } from '../../testing/draft/datasets.ts';

describe('bench:draft measures', () => {
  it('computes ROUGE as rouge_score does (lowercase alphanumeric tokens, no stemming, Lsum over lines)', () => {
    expect(rougeN('The cat sat on the mat.', 'the cat is on the mat', 1)).toBeCloseTo(5 / 6, 10);
    expect(rougeN('The cat sat on the mat.', 'the cat is on the mat', 2)).toBeCloseTo(0.6, 10);
    expect(rougeN('running', 'run', 1)).toBe(0);
    // Summary-level LCS: union of LCS hits of each reference line over all candidate lines.
    expect(rougeLsum('the cat sat\non the mat', 'the cat is on the mat')).toBeCloseTo(5 / 6, 10);
    expect(rougeLsum('', 'x')).toBe(0);
  });

  it('reproduces the issue\'s orientation figures for concepts on valid (reference 0.28 unsupported, transcript recall 0.72)', () => {
    const matcher = ConceptMatcher.fromTerminology(join(SHARED, 'terminology'), readAciBench(SHARED, 'train').map((e) => e.note));
    let unsupported = 0;
    let recall = 0;
    const valid = readAciBench(SHARED, 'valid');
    for (const e of valid) {
      const said = matcher.concepts(e.dialogue);
      const ref = matcher.concepts(e.note);
      unsupported += [...ref].filter((c) => !said.has(c)).length / ref.size;
      recall += [...ref].filter((c) => said.has(c)).length / ref.size;
    }
    expect(unsupported / valid.length).toBeCloseTo(0.28, 2);
    expect(recall / valid.length).toBeCloseTo(0.72, 2);
  });
});
