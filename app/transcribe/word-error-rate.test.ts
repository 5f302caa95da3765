import { describe, expect, it } from 'vitest';
import { normaliseWords, wordErrors } from './word-error-rate.ts';

describe('word error rate', () => {
  it('counts substitutions, deletions and insertions against the reference', () => {
    expect(wordErrors('take metformin twice a day', 'take metformin twice a day')).toMatchObject({ wer: 0, reference: 5 });
    expect(wordErrors('take metformin twice a day', 'take lisinopril twice a day')).toMatchObject({
      substitutions: 1,
      insertions: 0,
      deletions: 0,
      wer: 1 / 5,
    });
    expect(wordErrors('take metformin twice a day', 'take metformin day')).toMatchObject({ substitutions: 0, insertions: 0, deletions: 2 });
    expect(wordErrors('take metformin twice a day', 'uh take metformin twice a day')).toMatchObject({ insertions: 1, wer: 1 / 5 });
    expect(wordErrors('take metformin twice a day', 'take met for men twice day').wer).toBeCloseTo(4 / 5);
    expect(wordErrors('', '')).toMatchObject({ wer: 0 });
    expect(wordErrors('', 'noise')).toMatchObject({ wer: 1 });
  });

  it('normalises case, punctuation, hyphens and small numbers', () => {
    expect(normaliseWords("Follow-up in 2 weeks, OK? It's fine.")).toEqual(['follow', 'up', 'in', 'two', 'weeks', 'ok', "it's", 'fine']);
  });
});
