/**
 * The sherpa-onnx models Scribe knows how to load. Each is an asset in models/manifest.json (a sha256-pinned
 * release archive, installed with `scribe assets install NAME`); the archive is unpacked once, beside itself,
 * the first time the model is loaded (or at install time through `prepareSherpaModel`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { ScribeError } from '../../contract/index.ts';
import { requireAsset, readManifest } from '../../assets/index.ts';

const run = promisify(execFile);

export type SherpaModelSpec =
  | { role: 'offline'; kind: 'whisper'; encoder: string; decoder: string; tokens: string; hotwords: false }
  | { role: 'offline'; kind: 'moonshine'; encoder: string; mergedDecoder: string; tokens: string; hotwords: false }
  | { role: 'offline'; kind: 'nemo-transducer'; encoder: string; decoder: string; joiner: string; tokens: string; hotwords: true }
  | {
      role: 'streaming';
      kind: 'transducer';
      encoder: string;
      decoder: string;
      joiner: string;
      tokens: string;
      bpeVocab?: string;
      hotwords: true;
    }
  | { role: 'segmentation'; kind: 'pyannote'; model: string }
  | { role: 'embedding'; kind: 'speaker-embedding'; model: string };

const whisper = (size: string): SherpaModelSpec => ({
  role: 'offline',
  kind: 'whisper',
  hotwords: false,
  encoder: `${size}.en-encoder.int8.onnx`,
  decoder: `${size}.en-decoder.int8.onnx`,
  tokens: `${size}.en-tokens.txt`,
});
const moonshine: SherpaModelSpec = {
  role: 'offline',
  kind: 'moonshine',
  hotwords: false,
  encoder: 'encoder_model.ort',
  mergedDecoder: 'decoder_model_merged.ort',
  tokens: 'tokens.txt',
};
const parakeet: SherpaModelSpec = {
  role: 'offline',
  kind: 'nemo-transducer',
  hotwords: true,
  encoder: 'encoder.int8.onnx',
  decoder: 'decoder.int8.onnx',
  joiner: 'joiner.int8.onnx',
  tokens: 'tokens.txt',
};

/** Manifest name → how to load it. */
export const SHERPA_MODELS: Readonly<Record<string, SherpaModelSpec>> = {
  'sherpa-whisper-tiny-en': whisper('tiny'),
  'sherpa-whisper-base-en': whisper('base'),
  'sherpa-whisper-small-en': whisper('small'),
  'sherpa-moonshine-tiny-en': moonshine,
  'sherpa-moonshine-base-en': moonshine,
  'sherpa-parakeet-tdt-110m-en': parakeet,
  'sherpa-parakeet-tdt-0.6b-v2-en': parakeet,
  'sherpa-zipformer-en-streaming': {
    role: 'streaming',
    kind: 'transducer',
    hotwords: true,
    encoder: 'encoder-epoch-99-avg-1-chunk-16-left-128.int8.onnx',
    decoder: 'decoder-epoch-99-avg-1-chunk-16-left-128.int8.onnx',
    joiner: 'joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx',
    tokens: 'tokens.txt',
    bpeVocab: 'bpe.vocab',
  },
  'sherpa-pyannote-segmentation-3-0': { role: 'segmentation', kind: 'pyannote', model: 'model.onnx' },
  'sherpa-titanet-small-en': { role: 'embedding', kind: 'speaker-embedding', model: 'nemo_en_titanet_small.onnx' },
};

/** Default offline model of the sherpa engine, and the optional companions used when installed. */
export const DEFAULT_SHERPA_MODEL = 'sherpa-whisper-base-en';
export const STREAMING_MODEL = 'sherpa-zipformer-en-streaming';
export const EMBEDDING_MODEL = 'sherpa-titanet-small-en';

const UNPACKED = 'unpacked';

/** Unpack a verified release archive (tar.bz2, one top-level folder) into `<dir>/unpacked`, atomically. */
export async function prepareSherpaModel(dir: string, archive: string): Promise<string> {
  const target = path.join(dir, UNPACKED);
  if (existsSync(target)) return target;
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await run('tar', ['-xjf', path.join(dir, archive), '-C', staging, '--strip-components=1', '--no-same-owner'], { maxBuffer: 1 << 20 });
    await rename(staging, target);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw new ScribeError('internal', `could not unpack ${archive} in ${dir}: ${(err as Error).message}`);
  }
  return target;
}

/**
 * Folder holding an installed model's files, or a clear error: unknown name, not installed (naming the
 * `scribe assets install` command), or files missing from the pack.
 */
export async function locateSherpaModel(name: string): Promise<{ spec: SherpaModelSpec; dir: string }> {
  const spec = SHERPA_MODELS[name];
  if (!spec) {
    throw new ScribeError('bad_request', `unknown sherpa model "${name}"; known models: ${Object.keys(SHERPA_MODELS).join(', ')}`);
  }
  let installed: string;
  try {
    installed = requireAsset(name);
  } catch (err) {
    const detail = /installed at version/.test((err as Error).message) ? ` (${(err as Error).message})` : '';
    throw new ScribeError(
      'unavailable',
      `model "${name}" not installed — run \`scribe assets install ${name}\` (add --from DIR on a workstation without internet)${detail}`,
    );
  }
  const entry = readManifest().assets.find((a) => a.name === name);
  const archive = entry?.files.map((f) => f.path).find((p) => p.endsWith('.tar.bz2'));
  const dir = archive ? await prepareSherpaModel(installed, archive) : installed;
  const needed = Object.entries(spec)
    .filter(([k, v]) => typeof v === 'string' && !['role', 'kind', 'bpeVocab'].includes(k))
    .map(([, v]) => v as string);
  const missing = needed.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length) {
    const present = existsSync(dir) ? (await readdir(dir)).slice(0, 12).join(', ') : '(nothing)';
    throw new ScribeError(
      'unavailable',
      `model "${name}" is incomplete: missing ${missing.join(', ')} in ${dir} (found: ${present}); reinstall it with \`scribe assets install ${name}\``,
    );
  }
  await validateOnce(
    name,
    dir,
    needed.filter((f) => f.endsWith('.onnx')),
  );
  return { spec, dir };
}

const VALIDATED = '.scribe-validated';

/**
 * sherpa-onnx aborts the whole process (an uncaught C++ exception) on a model file it cannot parse, so each
 * .onnx file is opened once with onnxruntime-node first, where a bad file is an ordinary error.
 */
async function validateOnce(name: string, dir: string, onnxFiles: string[]): Promise<void> {
  const marker = path.join(dir, VALIDATED);
  if (existsSync(marker) || onnxFiles.length === 0) return;
  const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof import('onnxruntime-node');
  for (const file of onnxFiles) {
    try {
      const session = await ort.InferenceSession.create(path.join(dir, file), { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
      await session.release();
    } catch (err) {
      throw new ScribeError(
        'unavailable',
        `model "${name}" has an unreadable file ${file} (${(err as Error).message.split('\n')[0]}); reinstall it with \`scribe assets install ${name}\``,
      );
    }
  }
  await writeFile(marker, new Date().toISOString());
}

/** Whether a model is installed (without throwing). */
export function isSherpaModelInstalled(name: string): boolean {
  try {
    requireAsset(name);
    return true;
  } catch {
    return false;
  }
}
