import { describe, expect, it } from 'vitest';
import { aciLine, aciTrain } from '../../testing/draft/datasets.ts';
import { createDrafter, parseTranscriptText, renderDraftText } from './index.ts';
import { commandStudy } from './rules/commands.ts';

/** Decision 0215: a study the clinician has the software show is a fact of the visit (real ACI-Bench train lines). */
const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });

async function draftOf(id: string): Promise<string> {
  const e = aciTrain().find((x) => x.id === id)!;
  return renderDraftText(await drafter.draft({ transcript: parseTranscriptText(e.dialogue) }));
}

describe('the study a "show me" command opens', () => {
  it('is read from the command', () => {
    expect(commandStudy('hey , dragon , show me the autoimmune panel .')).toBe('autoimmune panel');
    expect(commandStudy('hey, dragon, show me the lumbar spine x-ray.')).toBe('lumbar spine x-ray');
    expect(commandStudy('hey dragon ? show me the diabetes labs .')).toBe('diabetes labs');
  });

  it('is not the vital signs, which are listed from what is read out, nor another command', () => {
    expect(commandStudy('hey , dragon , show me the vital signs .')).toBeNull();
    expect(commandStudy('hey dragon ? show me the blood pressure readings .')).toBeNull();
    expect(commandStudy('hey dragon, order a hemoglobin a1c.')).toBeNull();
    expect(commandStudy('hey dragon, finalize the note.')).toBeNull();
  });
});

describe('a study shown that the findings after it do not name', () => {
  it('is written as reviewed, once', async () => {
    expect(aciLine('D2N006', /show me the autoimmune panel/)).toMatch(/show me the autoimmune labs/);
    const text = await draftOf('D2N006');
    expect(text).toContain('Autoimmune panel reviewed.');
    // "show me the autoimmune labs" said right after it is the same study.
    expect(text).not.toContain('Autoimmune labs reviewed.');
    expect(await draftOf('D2N008')).toContain('Echocardiogram reviewed.');
  });

  it('is not repeated when a drafted sentence names it, and "the labs" names nothing', async () => {
    // D2N006: "so, looking here at your right knee x-ray, ... there's no fracture" labels its findings.
    const text = await draftOf('D2N006');
    expect(text).not.toContain('Right knee x-ray reviewed.');
    expect(await draftOf('D2N002')).not.toContain('Labs reviewed.');
  });
});
