import { describe, expect, it } from 'vitest';
import { aciTrain } from '../../testing/draft/datasets.ts';
import { createDrafter, parseTranscriptText, renderDraftText } from './index.ts';

/** Decision 0213: vital signs said in passing, and facts the word budget used to leave out (real ACI-Bench train visits). */
const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });

async function draftOf(id: string): Promise<string> {
  const e = aciTrain().find((x) => x.id === id)!;
  return renderDraftText(await drafter.draft({ transcript: parseTranscriptText(e.dialogue) }));
}

describe('vital signs said in passing reach the note with units', () => {
  it('lists the temperature with its spoken decimal and the readings said a few words after their names', async () => {
    const text = await draftOf('D2N035');
    expect(text).toContain('Temperature 98.7 °F.');
    expect(text).toContain('Blood pressure 128/72 mmHg.');
    expect(text).toContain('Oxygen saturation 96%.');
    // The reading is listed once, not also as a spoken sentence.
    expect(text).not.toMatch(/ninety eight point seven/i);
    expect(text).not.toMatch(/blood pressure looks good today at one twenty eight/i);
    expect(text).not.toMatch(/oxygen saturation looks good at 96%/i);
    // The emergency room's "two hundred over ninety", said earlier, is neither the vital sign nor the problem's value.
    expect(text).toContain('Hypertension (BP 128/72 mmHg).');
    expect(text).not.toContain('200/90');
  });
});

describe('past the word budget', () => {
  it('keeps an order and an allergy naming what nothing else in the note names', async () => {
    expect(await draftOf('D2N060')).toMatch(/Order an mri to assess for injury to any of these ligaments\./i);
    expect(await draftOf('D2N031')).toContain('She is allergic to penicillin.');
  });

  it('leaves out what is not an order or a finding, whatever term it names', async () => {
    // A patient's sentence the section model placed in the plan, naming a drug: still left to the budget.
    expect(await draftOf('D2N022')).not.toMatch(/gotten another, methylprednisolone/);
  });
});

describe("a problem's plan line that used to be left out whole (decision 0220)", () => {
  it('keeps a line whose tag "right" (of "right now") read as a side its evidence did not state', async () => {
    const text = await draftOf('D2N063');
    expect(text).toContain('This is all muscular pain.');
    expect(text).not.toMatch(/muscular pain right/);
  });
});
