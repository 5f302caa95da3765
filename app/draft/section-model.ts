import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { ScribeError } from '../contract/index.ts';
import { MAX_FEATURES, SECTION_CLASSES, type FeatureVector } from './features.ts';

/**
 * The learned part of the builtin drafter: an utterance -> section classifier (multinomial logistic
 * regression over hashed features) trained by `npm run train:drafter` and run with onnxruntime-node.
 * Graph: Gather(W, ids) * weights -> ReduceSum -> + b -> Softmax, i.e. softmax(x W + b) for a sparse x.
 */

export interface SectionModel {
  readonly name: string;
  /** One probability row (SECTION_CLASSES order) per feature vector. */
  classify(features: FeatureVector[]): Promise<Float32Array[]>;
}

const BATCH = 256;

export async function loadSectionModel(file: string): Promise<SectionModel> {
  if (!existsSync(file)) {
    throw new ScribeError('unavailable', `the drafter model ${file} is missing: run \`npm run train:drafter\``);
  }
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    name: 'section-classifier',
    async classify(features) {
      // One run at a time per session: onnxruntime-node sessions are not meant for concurrent run() calls.
      const job = queue.then(() => classifyWith(session, features));
      queue = job.catch(() => undefined);
      return job;
    },
  };
}

async function classifyWith(session: ort.InferenceSession, features: FeatureVector[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  const k = SECTION_CLASSES.length;
  for (let start = 0; start < features.length; start += BATCH) {
    const batch = features.slice(start, start + BATCH);
    const width = Math.min(MAX_FEATURES, Math.max(1, ...batch.map((f) => f.ids.length)));
    const ids = new BigInt64Array(batch.length * width);
    const weights = new Float32Array(batch.length * width);
    batch.forEach((f, row) => {
      for (let j = 0; j < Math.min(width, f.ids.length); j++) {
        ids[row * width + j] = BigInt(f.ids[j]!);
        weights[row * width + j] = f.weights[j]!;
      }
    });
    const result = await session.run({
      feature_ids: new ort.Tensor('int64', ids, [batch.length, width]),
      feature_weights: new ort.Tensor('float32', weights, [batch.length, width]),
    });
    const probs = result['probabilities'];
    if (!probs) throw new ScribeError('internal', 'the drafter model has no "probabilities" output');
    const data = probs.data as Float32Array;
    for (let row = 0; row < batch.length; row++) out.push(data.slice(row * k, row * k + k));
  }
  return out;
}

/** The same model computed in TypeScript (float32 arithmetic), for tests and for the trainer's scores. */
export function referenceProbabilities(weightsMatrix: Float32Array, bias: Float32Array, f: FeatureVector): Float32Array {
  const k = bias.length;
  const logits = new Float32Array(k);
  for (let c = 0; c < k; c++) logits[c] = bias[c]!;
  for (let j = 0; j < f.ids.length; j++) {
    const id = f.ids[j]!;
    const w = f.weights[j]!;
    for (let c = 0; c < k; c++) logits[c] = Math.fround(logits[c]! + Math.fround(weightsMatrix[id * k + c]! * w));
  }
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, logits[c]!);
  const out = new Float32Array(k);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp(logits[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < k; c++) out[c] = out[c]! / sum;
  return out;
}
