import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciLine, REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { lateralitiesIn } from '../text.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf } from '../utterances.ts';
import { cleanSpoken } from './note-style.ts';
import { noteSentences } from './sentences.ts';

/**
 * Concept recall from answers and from sentences written but not chosen (decision 0220), on real ACI-Bench train turns,
 * with the lines that must stay out.
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const SHE = { subject: 'she', possessive: 'her', object: 'her' };
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

function written(lines: string, who = SHE): string[] {
  return utterancesOf(parseTranscriptText(lines)).flatMap((u) => noteSentences(u, who, find).map((s) => s.text));
}

describe('a tag "right" ending unpunctuated speech', () => {
  it('is dropped from the statement, so a problem line holding it is not read as naming a side', () => {
    const line = aciLine('D2N063', /so i think this is all muscular pain right now for your back pain/);
    expect(written(`[doctor] ${line}`)).toContain('This is all muscular pain.');
    expect(cleanSpoken("it's about one twenty over seventy right")).toBe("it's about one twenty over seventy");
    // A side stays a side, and "does that sound right" is still the question it was.
    expect(cleanSpoken('positive straight leg raise on the right')).toBe('positive straight leg raise on the right');
    expect(cleanSpoken('turn to the right')).toBe('turn to the right');
    expect(cleanSpoken('does that sound right')).toBe('does that sound right');
  });

  it('reads a side within its own sentence when sentences are joined into one problem line', () => {
    expect(lateralitiesIn('This is all muscular pain right. Start naprosyn.')).toEqual([]);
    expect(lateralitiesIn('Back pain. Tenderness of the right knee.')).toEqual(['right']);
  });
});
