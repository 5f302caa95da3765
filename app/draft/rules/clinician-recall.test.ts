import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aciTrain, REPO } from '../../../testing/draft/datasets.ts';
import { loadTermList } from '../drug-names.ts';
import { parseTranscriptText } from '../transcript-text.ts';
import { utterancesOf, withRolesSettled } from '../utterances.ts';
import { noteSentences } from './sentences.ts';
import { readsAsSpeech } from './voice.ts';

/**
 * Concept recall from what the clinician says (decision 0193), on real ACI-Bench train turns: each rule has cases it
 * must write and cases that must stay out.
 */

const terms = loadTermList(join(REPO, 'models', 'drafter', 'clinical-terms.txt'));
const HE = { subject: 'he', possessive: 'his', object: 'him' };
const find = (t: string): string[] => terms.find(t).map((x) => x.name);

function written(line: string, who = HE): string[] {
  return utterancesOf(parseTranscriptText(line)).flatMap((u) => noteSentences(u, who, find).map((s) => s.text));
}

describe('a visit whose clinician and patient labels are swapped', () => {
  it('swaps back exactly the train visits where the "patient" asks and the "doctor" answers', () => {
    const swapped = aciTrain()
      .filter((e) => {
        const us = utterancesOf(parseTranscriptText(e.dialogue));
        return withRolesSettled(us) !== us;
      })
      .map((e) => e.id);
    expect(swapped).toEqual(['D2N034', 'D2N038', 'D2N056', 'D2N057', 'D2N059']);
  });

  it('then writes the patient history said under the "doctor" label in the third person', () => {
    const e = aciTrain().find((x) => x.id === 'D2N038')!;
    const us = withRolesSettled(utterancesOf(parseTranscriptText(e.dialogue)));
    const said = us.find((u) => /^i have high blood pressure diabetes and depression/.test(u.text))!;
    expect(said.speaker).toBe('patient');
    const out = noteSentences(said, HE, find).map((s) => s.text);
    expect(out.join(' ')).toMatch(/^He has high blood pressure .*diabetes and depression\.$/);
    for (const s of out) expect(readsAsSpeech(s)).toBe(false);
  });

  it('keeps the labels of a visit where the patient asks a few questions of their own', () => {
    const t = parseTranscriptText(
      [
        '[doctor] how are you feeling today ?',
        '[patient] not great , my knee hurts . is that normal ?',
        '[doctor] it can be . does it swell ?',
        '[patient] yes . should i ice it ?',
        '[doctor] yes , ice it twice a day .',
        '[patient] how long will it take ?',
        '[doctor] a few weeks . any fever ?',
        '[patient] no . can i still run ?',
        '[doctor] not for two weeks . i will order an x-ray of your knee .',
        '[patient] okay . will it hurt ?',
        '[doctor] no . it takes a minute . i will see you back in two weeks .',
        '[patient] thank you . should i call if it gets worse ?',
        '[doctor] yes , call us if the swelling gets worse .',
      ].join('\n'),
    );
    const us = utterancesOf(t);
    expect(us.filter((u) => u.speaker === 'clinician').length).toBeGreaterThanOrEqual(8);
    expect(withRolesSettled(us)).toBe(us);
  });
});

void written;
