import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECTION_CLASSES, utteranceFeatures } from './features.ts';
import { decodeSectionModel } from './onnx-file.ts';
import { loadSectionModel, referenceProbabilities } from './section-model.ts';
import { parseTranscriptText } from './transcript-text.ts';
import { aciTrain, REPO } from '../../testing/draft/datasets.ts';
import { utterancesOf } from './utterances.ts';

const MODEL = join(REPO, 'models', 'drafter', 'section-classifier.onnx');

describe('section classifier on onnxruntime', () => {
  it('gives the same probabilities as the TypeScript computation of the same weights', async () => {
    const model = await loadSectionModel(MODEL);
    const { weights, bias } = decodeSectionModel(readFileSync(MODEL));
    expect(weights.length).toBe(bias.length * (1 << 14));
    // Three real visits, 300+ sentences of very different lengths in batches with padding.
    const utterances = aciTrain()
      .slice(0, 3)
      .flatMap((e) => utterancesOf(parseTranscriptText(e.dialogue)));
    expect(utterances.length).toBeGreaterThan(300);
    const features = utterances.map((u) => utteranceFeatures(u));
    const onnx = await model.classify(features);
    let maxDiff = 0;
    features.forEach((f, i) => {
      const ref = referenceProbabilities(weights, bias, f);
      for (let c = 0; c < SECTION_CLASSES.length; c++) maxDiff = Math.max(maxDiff, Math.abs(ref[c]! - onnx[i]![c]!));
    });
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('separates note content from chatter on a real exam dictation', async () => {
    const model = await loadSectionModel(MODEL);
    const exam = {
      text: 'on physical examination, your lungs are clear to auscultation bilaterally.',
      speaker: 'clinician' as const,
      previous: '',
      position: 0.6,
    };
    const chat = { text: 'okay.', speaker: 'patient' as const, previous: 'all right.', position: 0.6 };
    const [p1, p2] = await model.classify([utteranceFeatures(exam), utteranceFeatures(chat)]);
    expect(SECTION_CLASSES[p1!.indexOf(Math.max(...p1!))]).toBe('exam');
    expect(SECTION_CLASSES[p2!.indexOf(Math.max(...p2!))]).toBe('none');
  });

  it('refuses clearly when the model file is missing', async () => {
    await expect(loadSectionModel(join(REPO, 'models', 'drafter', 'nope.onnx'))).rejects.toThrow(/train:drafter/);
  });
});
