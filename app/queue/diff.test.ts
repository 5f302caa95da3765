import { describe, expect, it } from 'vitest';
import { diffSections, diffWords, tokenise } from './diff.ts';

function sides(parts: { op: string; text: string }[]) {
  return {
    before: parts
      .filter((p) => p.op !== 'insert')
      .map((p) => p.text)
      .join(''),
    after: parts
      .filter((p) => p.op !== 'delete')
      .map((p) => p.text)
      .join(''),
  };
}

describe('word diff', () => {
  it('reads as a word-level change', () => {
    expect(diffWords('Start metformin 500 mg daily.', 'Start metformin 500 mg twice daily.')).toEqual([
      { op: 'equal', text: 'Start metformin 500 mg' },
      { op: 'insert', text: ' twice' },
      { op: 'equal', text: ' daily.' },
    ]);
  });

  it('joins a replaced run of words into one deletion and one insertion', () => {
    const parts = diffWords('Patient reports mild chest pain today.', 'Patient denies any chest discomfort today.');
    expect(parts.filter((p) => p.op !== 'equal')).toEqual([
      { op: 'delete', text: 'reports mild' },
      { op: 'insert', text: 'denies any' },
      { op: 'delete', text: 'pain' },
      { op: 'insert', text: 'discomfort' },
    ]);
  });

  it('always reconstructs both texts exactly', () => {
    const texts = [
      '',
      'a',
      'The cat sat.',
      'The dog sat on the mat.\n\nNew para here.',
      '  spaced   out  ',
      'Dose: 10 mg, then 20 mg.',
      'Lisinopril 10mg PO q.d.',
      "Patient's BP 140/90; f/u 2 wks.",
    ];
    for (const a of texts)
      for (const b of texts) {
        const { before, after } = sides(diffWords(a, b));
        expect(before).toBe(a);
        expect(after).toBe(b);
      }
  });

  it('counts words per section, including sections added or removed', () => {
    const d = diffSections(
      [
        { id: 'a', title: 'A', text: 'one two three' },
        { id: 'gone', title: 'Gone', text: 'old words' },
      ],
      [
        { id: 'a', title: 'A', text: 'one three four' },
        { id: 'new', title: 'New', text: 'brand new text' },
      ],
    );
    expect(d.map((s) => [s.sectionId, s.insertedWords, s.deletedWords])).toEqual([
      ['a', 1, 1],
      ['gone', 0, 2],
      ['new', 3, 0],
    ]);
  });

  it('tokenises words, numbers with decimals and marks', () => {
    expect(tokenise('BP 120/80, temp 37.5.')).toEqual(['BP', ' ', '120', '/', '80', ',', ' ', 'temp', ' ', '37.5', '.']);
  });
});
