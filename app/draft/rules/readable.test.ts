import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { needsReferent, readable } from './readable.ts';

// Sentences as the drafter wrote them from ACI-Bench train visits before decision 0190.
const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

describe('readable sentences (decision 0190)', () => {
  it('repairs a comma the speaker paused at', () => {
    expect(readable('Order, prednisone taper pack.', find)).toBe('Order prednisone taper pack.');
    expect(readable('He had the, knee surgery.', find)).toBe('He had the knee surgery.');
    expect(readable('The, abdominal x-rays show a possible kidney stone.', find)).toBe(
      'The abdominal x-rays show a possible kidney stone.',
    );
    // A comma that ends a phrase stays.
    expect(readable('The patient states that, prior to 2 months ago, his bowel movements were normal.', find)).toBe(
      'The patient states that, prior to 2 months ago, his bowel movements were normal.',
    );
  });

  it('drops the reported-speech frame around the patient’s own statement', () => {
    expect(readable('She said she, she said she found a lump right here under her left breast.', find)).toBe(
      'She found a lump right here under her left breast.',
    );
    // "reports" is note style and is kept.
    expect(readable('She reports that she has been going to therapy every week.', find)).toBe(
      'She reports that she has been going to therapy every week.',
    );
  });

  it('removes a leading conjunction when a full sentence follows, and leaves out what needs the clause before it', () => {
    expect(readable('Because she has been stressed over the last week.', find)).toBe('She has been stressed over the last week.');
    expect(readable('Because of their history of having kidney stones.', find)).toBeNull();
    expect(readable('Because, if it was cancer.', find)).toBeNull();
    expect(readable('Lower than it has in the past.', find)).toBeNull();
    expect(readable('Other than during the heat and the pollen, it has been good.', find)).toBeNull();
  });

  it('leaves out "That is ..." pointing at speech the note does not hold, unless it states a clinical fact', () => {
    expect(readable('That is going to be hard with the move.', find)).toBeNull();
    expect(readable('That is also stable from last year.', find)).toBeNull();
    expect(readable('That could be either fluid or blood from the injury that the patient had.', find)).toBe(
      'That could be either fluid or blood from the injury that the patient had.',
    );
  });

  it('leaves out verbless spoken fragments and keeps note labels, imperatives and clinical fragments', () => {
    for (const s of ['Running and jogging.', 'Hopefully by that time.', 'There for a couple of weeks.'])
      expect(readable(s, find), s).toBeNull();
    for (const s of [
      'Constitutional: Slightly decreased appetite.',
      'Swelling on the inside of that right knee.',
      'Bring them into the office.',
      'Here in the office, his vital signs look good.',
      'Neck: No jugular venous distention or carotid bruits appreciated.',
      'Little bit of pain on flexion.',
    ])
      expect(readable(s, find), s).toBe(s);
  });

  it('knows which openings need a sentence before them', () => {
    expect(needsReferent('It is still sore.')).toBe(true);
    expect(needsReferent('This was about 5 days ago.')).toBe(true);
    expect(needsReferent('This is an x-ray of his lumbar spine.')).toBe(false);
    expect(needsReferent('It is recommended that he continue to take his statin as prescribed.')).toBe(false);
    expect(needsReferent('He has been staying on top of the meds.')).toBe(false);
  });
});
