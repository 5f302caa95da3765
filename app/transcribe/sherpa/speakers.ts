/**
 * Speaker labels during a visit: a speaker-embedding model (sherpa-onnx SpeakerEmbeddingExtractor) embeds
 * each finished segment, and an online clustering assigns it to the nearest voice heard so far (cosine
 * similarity) or opens a new one. The first voice is labelled clinician (clinicians open the visit), the
 * second patient, any further voice other; a scribe corrects a turn in one keystroke in the editor.
 */
import type { Speaker } from '../../contract/index.ts';

export interface EmbeddingExtractor {
  embed(samples: Float32Array): Float32Array | null;
}

const ROLES: Speaker[] = ['clinician', 'patient'];

export class OnlineSpeakerClustering {
  private readonly centroids: Array<{ sum: Float32Array; count: number }> = [];

  constructor(
    private readonly extractor: EmbeddingExtractor,
    /** Cosine similarity at or above which a segment belongs to an existing voice. */
    private readonly threshold = 0.55,
    /** Segments shorter than this are too short for a reliable voice print: left unlabelled. */
    private readonly minSamples = 16000,
  ) {}

  label(samples: Float32Array): Speaker | undefined {
    if (samples.length < this.minSamples) return undefined;
    const e = this.extractor.embed(samples);
    if (!e) return undefined;
    const v = normalise(e);
    let best = -1;
    let bestSim = -Infinity;
    this.centroids.forEach((c, i) => {
      const sim = dot(v, normalise(c.sum));
      if (sim > bestSim) {
        bestSim = sim;
        best = i;
      }
    });
    if (best < 0 || bestSim < this.threshold) {
      this.centroids.push({ sum: Float32Array.from(v), count: 1 });
      best = this.centroids.length - 1;
    } else {
      const c = this.centroids[best]!;
      for (let i = 0; i < v.length; i++) c.sum[i]! += v[i]!;
      c.count++;
    }
    return ROLES[best] ?? 'other';
  }
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
