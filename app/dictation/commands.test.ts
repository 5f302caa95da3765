import { describe, expect, it } from 'vitest';
import { interpretUtterance, lowConfidenceDrug, normaliseSpoken, resolveSection, shapeInsertion, startsSentence } from './commands.ts';

const sections = [
  { id: 'subjective', title: 'Subjective' },
  { id: 'assessment', title: 'Assessment' },
  { id: 'plan', title: 'Plan' },
];

describe('interpretUtterance', () => {
  it('recognizes every spoken command only as a whole utterance', () => {
    expect(interpretUtterance('period')).toMatchObject({ kind: 'command', command: { kind: 'punctuation', mark: '.' } });
    expect(interpretUtterance('Comma.')).toMatchObject({ kind: 'command', command: { kind: 'punctuation', mark: ',' } });
    expect(interpretUtterance('new line')).toMatchObject({ kind: 'command', command: { kind: 'break', text: '\n' } });
    expect(interpretUtterance('New paragraph')).toMatchObject({ kind: 'command', command: { kind: 'break', text: '\n\n' } });
    expect(interpretUtterance('scratch that')).toMatchObject({ kind: 'command', command: { kind: 'scratch' } });
    expect(interpretUtterance('stop dictating')).toMatchObject({ kind: 'command', command: { kind: 'stop' } });
    expect(interpretUtterance('go to assessment', sections)).toMatchObject({
      kind: 'command',
      command: { kind: 'goto', sectionId: 'assessment' },
    });
    expect(interpretUtterance('Go to plan.', sections)).toMatchObject({ kind: 'command', command: { kind: 'goto', sectionId: 'plan' } });
  });

  it('types command words that are part of a longer utterance', () => {
    expect(interpretUtterance('her last period was in may')).toEqual({ kind: 'text', text: 'her last period was in may' });
    expect(interpretUtterance('start a new line of therapy')).toEqual({ kind: 'text', text: 'start a new line of therapy' });
    expect(interpretUtterance('scratch that itch')).toEqual({ kind: 'text', text: 'scratch that itch' });
    expect(interpretUtterance('do not stop dictating yet')).toMatchObject({ kind: 'text' });
  });

  it('types "go to" when it names no section of this note', () => {
    expect(interpretUtterance('go to the emergency room', sections)).toEqual({ kind: 'text', text: 'go to the emergency room' });
    expect(interpretUtterance('go to plan')).toMatchObject({ kind: 'text' }); // no sections known
  });

  it('drops recognizer filler tokens and bare hesitations', () => {
    expect(interpretUtterance('<sil> [NOISE] ++UM++')).toEqual({ kind: 'empty' });
    expect(interpretUtterance('um')).toEqual({ kind: 'empty' });
    expect(interpretUtterance('<s> continue lisinopril </s>')).toEqual({ kind: 'text', text: 'continue lisinopril' });
    expect(interpretUtterance('<sil> period <sil>')).toMatchObject({ kind: 'command', command: { kind: 'punctuation' } });
    expect(interpretUtterance('   ')).toEqual({ kind: 'empty' });
  });
});

describe('resolveSection', () => {
  const soap = [
    { id: 'hpi', title: 'History of Present Illness' },
    { id: 'assessment_plan', title: 'Assessment and Plan' },
  ];
  it('matches ids, titles and words of a combined title', () => {
    expect(resolveSection('history of present illness', soap)?.id).toBe('hpi');
    expect(resolveSection('HPI', soap)?.id).toBe('hpi');
    expect(resolveSection('the plan', soap)?.id).toBe('assessment_plan');
    expect(resolveSection('assessment', soap)?.id).toBe('assessment_plan');
    expect(resolveSection('billing', soap)).toBeUndefined();
    expect(resolveSection('(.*)', soap)).toBeUndefined();
  });
});

describe('shapeInsertion', () => {
  it('capitalises at a sentence start and spaces words from their neighbours', () => {
    expect(shapeInsertion('continue lisinopril', '', '')).toBe('Continue lisinopril');
    expect(shapeInsertion('continue lisinopril', 'Stable.', '')).toBe(' Continue lisinopril');
    expect(shapeInsertion('and metformin', 'Continue lisinopril', '')).toBe(' and metformin');
    expect(shapeInsertion('daily', 'Take ', 'with food.')).toBe('daily ');
    expect(shapeInsertion('twice', 'Take', '.')).toBe(' twice');
    expect(shapeInsertion('recheck', 'Line one.\n', '')).toBe('Recheck');
    expect(shapeInsertion("i think i'm done", 'Plan: ', '')).toBe("I think I'm done");
  });

  it('never lower-cases what an engine capitalised', () => {
    expect(shapeInsertion('see Dr. Patel', 'Plan', '')).toBe(' see Dr. Patel');
  });

  it('knows where sentences start', () => {
    expect(startsSentence('')).toBe(true);
    expect(startsSentence('Done.  ')).toBe(true);
    expect(startsSentence('Done\n')).toBe(true);
    expect(startsSentence('Done,')).toBe(false);
  });

  it('normalises spoken words for matching', () => {
    expect(normaliseSpoken(' New   Paragraph! ')).toBe('new paragraph');
  });
});

describe('mis-heard commands and unsure drug names (issue #16)', () => {
  it('"op dictating" and other near misses of a multi-word command are the command', () => {
    expect(interpretUtterance('Op dictating')).toMatchObject({ kind: 'command', command: { kind: 'stop' } });
    expect(interpretUtterance('scratch dat')).toMatchObject({ kind: 'command', command: { kind: 'scratch' } });
    expect(interpretUtterance('new paragraphs')).toMatchObject({ kind: 'command', command: { kind: 'break', text: '\n\n' } });
  });
  it('ordinary speech is never taken for a command', () => {
    for (const said of [
      'stop taking it',
      'top dictionary',
      'new lesion',
      'scratch the left arm',
      'karma',
      'stop',
      'no dictating today please',
    ]) {
      expect(interpretUtterance(said).kind, said).toBe('text');
    }
  });
  it('a drug name from a low-confidence recognition is caught; confident or unscored ones are not', () => {
    const drugs = new Set(['metoprolol', 'lisinopril']);
    expect(lowConfidenceDrug('Hypertension metoprolol', 0.42, drugs)).toBe('metoprolol');
    expect(lowConfidenceDrug('Hypertension metoprolol', 0.9, drugs)).toBeNull();
    expect(lowConfidenceDrug('Hypertension not at goal', 0.3, drugs)).toBeNull();
    expect(lowConfidenceDrug('start metoprolol', undefined, drugs)).toBeNull();
  });
});
