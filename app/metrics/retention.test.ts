import { describe, expect, it } from 'vitest';
import { alignWords, draftRetention, withoutDictation, words } from './retention.ts';

describe('draft retention (word-level edit distance)', () => {
  it('keeps every word of an unchanged draft, whatever the punctuation and case', () => {
    const r = draftRetention('Cough for three days. No fever.', 'cough for three days; no fever');
    expect(r).toEqual({ draftWords: 6, keptWords: 6, editDistance: 0, share: 1 });
  });

  it('counts substitutions and deletions against the draft, additions only in the distance', () => {
    // draft: 6 words; "two" replaces "three", "no fever" deleted, "with wheeze" added
    const r = draftRetention('cough for three days no fever', 'cough for two days with wheeze');
    expect(r.draftWords).toBe(6);
    expect(r.keptWords).toBe(3);
    expect(r.editDistance).toBe(3);
    expect(r.share).toBeCloseTo(0.5);
  });

  it('excludes dictated words from both texts', () => {
    const draft = 'Assessment: viral bronchitis.';
    const dictated = 'Patient prefers to avoid antibiotics and will return in one week.';
    const signed = `Assessment: viral bronchitis. ${dictated}`;
    const r = draftRetention(draft, signed, dictated);
    expect(r).toMatchObject({ draftWords: 3, keptWords: 3, editDistance: 0, share: 1 });
    // Without the exclusion the dictated sentence would count as eleven inserted words.
    expect(draftRetention(draft, signed).editDistance).toBe(11);
  });

  it('removes dictation even when it was interleaved with the draft', () => {
    expect(withoutDictation(words('a x b y c'), words('x y'))).toEqual(['a', 'b', 'c']);
  });

  it('returns share null for an empty draft (a note written by hand)', () => {
    expect(draftRetention('', 'Written entirely by the clinician.').share).toBeNull();
  });

  it('agrees with a textbook Levenshtein on random word sequences', () => {
    const vocab = ['a', 'b', 'c', 'd'];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let t = 0; t < 50; t++) {
      const a = Array.from({ length: Math.floor(rnd() * 12) }, () => vocab[Math.floor(rnd() * 4)]!);
      const b = Array.from({ length: Math.floor(rnd() * 12) }, () => vocab[Math.floor(rnd() * 4)]!);
      const dp = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
          dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
      const r = alignWords(a, b);
      expect(r.distance).toBe(dp[a.length]![b.length]);
      expect(r.matches).toBeLessThanOrEqual(Math.min(a.length, b.length));
      // an optimal alignment: distance ≥ max(len) − matches
      expect(r.distance).toBeGreaterThanOrEqual(Math.max(a.length, b.length) - r.matches);
    }
  });
});
