import { describe, expect, it } from 'vitest';
import { splitAtPauses } from './session.ts';

const w = (word: string, start: number, end: number) => ({ word, start, end, confidence: 0.8 });

describe('splitAtPauses', () => {
  it('splits at pauses of 0.25 s or more between words, keeping the VAD boundaries outside', () => {
    const pieces = splitAtPauses(
      {
        text: 'no fever today start lisinopril',
        words: [w('no', 0.1, 0.3), w('fever', 0.3, 0.7), w('today', 0.72, 1.1), w('start', 1.5, 1.8), w('lisinopril', 1.8, 2.5)],
        confidence: 0.8,
      },
      10,
      12.7,
    );
    expect(pieces).toEqual([
      {
        start: 10,
        end: 11.1,
        text: 'no fever today',
        confidence: expect.closeTo(0.8, 6),
        words: [w('no', 0.1, 0.3), w('fever', 0.3, 0.7), w('today', 0.72, 1.1)],
      },
      {
        start: 11.5,
        end: 12.7,
        text: 'start lisinopril',
        confidence: expect.closeTo(0.8, 6),
        words: [w('start', 1.5, 1.8), w('lisinopril', 1.8, 2.5)],
      },
    ]);
  });

  it('keeps one piece without word times (sherpa) or without pauses', () => {
    expect(splitAtPauses({ text: 'hello there', words: [] }, 1, 2)).toEqual([{ start: 1, end: 2, text: 'hello there', words: [] }]);
    expect(splitAtPauses({ text: 'a b', words: [w('a', 0, 0.2), w('b', 0.3, 0.5)], confidence: 0.5 }, 1, 2)).toEqual([
      { start: 1, end: 2, text: 'a b', confidence: 0.5, words: [w('a', 0, 0.2), w('b', 0.3, 0.5)] },
    ]);
  });
});
