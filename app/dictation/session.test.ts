import { describe, expect, it } from 'vitest';
import { DictationSession, diffBounds, mapRange } from './session.ts';

function note(plan = '', assessment = 'Hypertension, well controlled.') {
  return new DictationSession({
    sections: [
      { id: 'assessment', title: 'Assessment', text: assessment },
      { id: 'plan', title: 'Plan', text: plan },
    ],
    cursor: { sectionId: 'plan', offset: plan.length },
  });
}

function say(session: DictationSession, ...utterances: string[]) {
  return utterances.map((u) => session.applyUtterance(u));
}

describe('DictationSession', () => {
  it('dictates two sentences with period and new paragraph, then scratches the last phrase', () => {
    const s = note();
    say(
      s,
      'continue lisinopril ten milligrams daily',
      'period',
      'new paragraph',
      'recheck blood pressure in two weeks',
      'period',
      'add a low salt diet',
    );
    expect(s.sectionText('plan')).toBe(
      'Continue lisinopril ten milligrams daily.\n\nRecheck blood pressure in two weeks. Add a low salt diet',
    );
    const effect = s.applyUtterance('scratch that');
    expect(effect).toEqual({ kind: 'scratched', sectionId: 'plan', removed: ' Add a low salt diet' });
    expect(s.sectionText('plan')).toBe('Continue lisinopril ten milligrams daily.\n\nRecheck blood pressure in two weeks.');
    expect(s.cursor).toEqual({ sectionId: 'plan', offset: s.sectionText('plan').length });
  });

  it('scratch that removes a phrase with the marks and breaks dictated after it, one phrase at a time', () => {
    const s = note();
    say(s, 'first thing', 'period', 'second thing', 'comma', 'new line');
    expect(s.sectionText('plan')).toBe('First thing. Second thing,\n');
    say(s, 'scratch that');
    expect(s.sectionText('plan')).toBe('First thing.');
    say(s, 'scratch that');
    expect(s.sectionText('plan')).toBe('');
    expect(s.applyUtterance('scratch that')).toMatchObject({ kind: 'ignored' });
    expect(s.spans()).toEqual([]);
  });

  it('never types command words, and types them when part of a sentence', () => {
    const s = note();
    say(s, 'her last period was in may', 'period');
    expect(s.sectionText('plan')).toBe('Her last period was in may.');
  });

  it('goes to another section and dictates at its end', () => {
    const s = note('Continue current medications.');
    expect(s.applyUtterance('go to assessment')).toEqual({ kind: 'moved', sectionId: 'assessment' });
    say(s, 'also obesity', 'period');
    expect(s.sectionText('assessment')).toBe('Hypertension, well controlled. Also obesity.');
    expect(s.sectionText('plan')).toBe('Continue current medications.');
    say(s, 'go to plan', 'follow up in three months');
    expect(s.sectionText('plan')).toBe('Continue current medications. Follow up in three months');
    expect(s.cursor.sectionId).toBe('plan');
  });

  it('inserts at the cursor in the middle of text with sensible spacing', () => {
    const s = note('Start metformin. Follow up.');
    s.moveCursor({ sectionId: 'plan', offset: 'Start metformin'.length });
    say(s, 'five hundred milligrams twice daily');
    expect(s.sectionText('plan')).toBe('Start metformin five hundred milligrams twice daily. Follow up.');
    s.moveCursor({ sectionId: 'plan', offset: 0 });
    say(s, 'new diagnosis of diabetes', 'period');
    expect(s.cursor.offset).toBe('New diagnosis of diabetes. '.length);
    expect(s.sectionText('plan')).toBe('New diagnosis of diabetes. Start metformin five hundred milligrams twice daily. Follow up.');
  });

  it('puts a mark after the last word even when the caret sits after a space', () => {
    const s = note('Stable ');
    say(s, 'period');
    expect(s.sectionText('plan')).toBe('Stable. ');
    expect(s.cursor.offset).toBe('Stable. '.length);
  });

  it("marks dictated text as the clinician's own words, following later typing", () => {
    const s = note('AI text.');
    say(s, 'dictated words', 'period');
    const text = s.sectionText('plan');
    expect(text).toBe('AI text. Dictated words.');
    const spans = s.spans('plan');
    expect(spans.map((sp) => text.slice(sp.start, sp.end)).join('')).toBe('Dictated words.');
    expect(s.dictatedLength('plan')).toBe('Dictated words.'.length);

    // The person types at the start: spans shift with the text.
    s.replaceSectionText('plan', `Note: ${text}`, 0);
    const shifted = s.sectionText('plan');
    expect(
      s
        .spans('plan')
        .map((sp) => shifted.slice(sp.start, sp.end))
        .join(''),
    ).toBe('Dictated words.');

    // The person overwrites one dictated word: it no longer counts as dictated.
    s.replaceSectionText('plan', shifted.replace('words', 'notes'));
    // (only the changed letters "word" -> "note" stop counting; the shared "s." was never retyped)
    expect(s.dictatedLength('plan')).toBe('Dictated s.'.length);
    // ...and "scratch that" will not remove text a person changed.
    expect(s.applyUtterance('scratch that')).toMatchObject({ kind: 'ignored' });
    expect(s.sectionText('plan')).toBe('Note: AI text. Dictated notes.');
  });

  it('scratch that still removes the right phrase after the person typed elsewhere', () => {
    const s = note('Plan text.');
    say(s, 'add aspirin', 'period');
    s.replaceSectionText('plan', `Earlier: ${s.sectionText('plan')}`);
    say(s, 'scratch that');
    expect(s.sectionText('plan')).toBe('Earlier: Plan text.');
  });

  it('stops on "stop dictating" and ignores anything after it', () => {
    const s = note();
    say(s, 'one', 'stop dictating');
    expect(s.stopped).toBe(true);
    expect(s.applyUtterance('two')).toMatchObject({ kind: 'ignored' });
    expect(s.sectionText('plan')).toBe('One');
  });

  it('ignores silence and filler, and refuses unknown sections', () => {
    const s = note();
    expect(s.applyUtterance('<sil>')).toMatchObject({ kind: 'ignored' });
    expect(() => s.moveCursor({ sectionId: 'nope', offset: 0 })).toThrow(/No section/);
    expect(() => new DictationSession({ sections: [], cursor: { sectionId: 'x', offset: 0 } })).toThrow();
  });

  it('clamps an out-of-range caret', () => {
    const s = note('abc');
    s.moveCursor({ sectionId: 'plan', offset: 99 });
    expect(s.cursor.offset).toBe(3);
  });

  it('handles malicious-looking text as plain text', () => {
    const s = note();
    say(s, '<img src=x onerror=alert(1)> drop table notes');
    expect(s.sectionText('plan')).toContain('drop table notes');
  });
});

describe('range arithmetic', () => {
  it('maps ranges across insertions, deletions and replacements', () => {
    expect(mapRange({ start: 5, end: 10 }, 0, 0, 3)).toEqual([{ start: 8, end: 13 }]);
    expect(mapRange({ start: 5, end: 10 }, 10, 10, 3)).toEqual([{ start: 5, end: 10 }]);
    expect(mapRange({ start: 5, end: 10 }, 7, 7, 2)).toEqual([
      { start: 5, end: 7 },
      { start: 9, end: 12 },
    ]);
    expect(mapRange({ start: 5, end: 10 }, 0, 6, 0)).toEqual([{ start: 0, end: 4 }]);
    expect(mapRange({ start: 5, end: 10 }, 4, 11, 1)).toEqual([]);
  });
  it('finds the smallest replacement between two texts', () => {
    expect(diffBounds('abcdef', 'abXYef')).toEqual({ start: 2, oldEnd: 4, newEnd: 4 });
    expect(diffBounds('aaa', 'aaaa')).toEqual({ start: 3, oldEnd: 3, newEnd: 4 });
    expect(diffBounds('same', 'same')).toEqual({ start: 4, oldEnd: 4, newEnd: 4 });
  });
});
