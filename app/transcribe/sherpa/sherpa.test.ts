import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../assets/index.ts';
import { createSherpaRecognizer, offlineRecognizerConfig, streamingRecognizerConfig } from './recognizer.ts';
import { SHERPA_MODELS, locateSherpaModel } from './models.ts';
import { OnlineSpeakerClustering } from './speakers.ts';

const run = promisify(execFile);
let assets: string;
const savedAssetsDir = process.env.SCRIBE_ASSETS_DIR;
beforeAll(async () => {
  assets = await mkdtemp(path.join(os.tmpdir(), 'scribe-sherpa-'));
});
afterAll(async () => {
  if (savedAssetsDir === undefined) delete process.env.SCRIBE_ASSETS_DIR;
  else process.env.SCRIBE_ASSETS_DIR = savedAssetsDir;
  await rm(assets, { recursive: true, force: true });
});
beforeEach(() => {
  process.env.SCRIBE_ASSETS_DIR = assets;
});

/** Lay out a pack as `scribe assets install` leaves it (files + installed.json), with the given archive bytes. */
async function fakeInstall(name: string, archive: (file: string) => Promise<void>): Promise<void> {
  const entry = readManifest().assets.find((a) => a.name === name)!;
  const dir = path.join(assets, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await archive(path.join(dir, entry.files[0]!.path));
  await writeFile(
    path.join(dir, 'installed.json'),
    JSON.stringify({ name, version: entry.version, installedAt: new Date().toISOString(), from: 'folder', files: entry.files }),
  );
}

describe('sherpa engine loading (no weights obtainable here)', () => {
  it('every sherpa model is in the asset manifest with a pinned sha256, size, licence and source', () => {
    const manifest = readManifest();
    for (const name of Object.keys(SHERPA_MODELS)) {
      const entry = manifest.assets.find((a) => a.name === name);
      expect(entry, name).toBeDefined();
      expect(entry!.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(entry!.files[0]!.size).toBeGreaterThan(1_000_000);
      expect(entry!.pinnedFrom.length).toBeGreaterThan(40);
      expect(entry!.licence).not.toBe('');
    }
  });

  it('a model that is not installed fails with the command that installs it', async () => {
    await expect(createSherpaRecognizer({ model: 'sherpa-whisper-tiny-en' })).rejects.toThrow(
      'model "sherpa-whisper-tiny-en" not installed — run `scribe assets install sherpa-whisper-tiny-en`',
    );
    await expect(createSherpaRecognizer({})).rejects.toThrow(/scribe assets install sherpa-whisper-base-en/);
    await expect(createSherpaRecognizer({ model: 'whisper-huge' })).rejects.toThrow(
      /unknown sherpa model "whisper-huge"; known models: sherpa-whisper-tiny-en/,
    );
  });

  it('a corrupt archive or a model file sherpa-onnx cannot parse is a clear error, never a crash', async () => {
    await fakeInstall('sherpa-whisper-tiny-en', (f) => writeFile(f, 'not a bzip2 archive'));
    await expect(locateSherpaModel('sherpa-whisper-tiny-en')).rejects.toThrow(/could not unpack sherpa-onnx-whisper-tiny.en.tar.bz2/);

    // A well-formed archive whose ONNX files are garbage: onnxruntime rejects them before sherpa-onnx
    // (which would abort the process) ever sees them.
    await fakeInstall('sherpa-whisper-tiny-en', async (archive) => {
      const src = path.join(path.dirname(archive), 'src', 'sherpa-onnx-whisper-tiny.en');
      await mkdir(src, { recursive: true });
      for (const f of ['tiny.en-encoder.int8.onnx', 'tiny.en-decoder.int8.onnx']) await writeFile(path.join(src, f), 'garbage');
      await writeFile(path.join(src, 'tiny.en-tokens.txt'), 'a 0\n');
      await run('tar', ['-cjf', archive, '-C', path.dirname(src), 'sherpa-onnx-whisper-tiny.en']);
      await rm(path.dirname(src), { recursive: true });
    });
    await expect(createSherpaRecognizer({ model: 'sherpa-whisper-tiny-en' })).rejects.toThrow(
      /model "sherpa-whisper-tiny-en" has an unreadable file tiny.en-encoder.int8.onnx .*reinstall it with `scribe assets install sherpa-whisper-tiny-en`/,
    );

    await fakeInstall('sherpa-parakeet-tdt-110m-en', async (archive) => {
      const src = path.join(path.dirname(archive), 'src', 'p');
      await mkdir(src, { recursive: true });
      await writeFile(path.join(src, 'tokens.txt'), 'a 0\n');
      await run('tar', ['-cjf', archive, '-C', path.dirname(src), 'p']);
      await rm(path.dirname(src), { recursive: true });
    });
    await expect(locateSherpaModel('sherpa-parakeet-tdt-110m-en')).rejects.toThrow(
      /incomplete: missing encoder.int8.onnx, decoder.int8.onnx, joiner.int8.onnx/,
    );
  });

  it('builds the sherpa-onnx configs: Whisper, Moonshine v2, Parakeet with hotwords, streaming Zipformer', () => {
    const w = offlineRecognizerConfig(SHERPA_MODELS['sherpa-whisper-small-en']!, '/m') as {
      modelConfig: { whisper: { encoder: string; language: string } };
    };
    expect(w.modelConfig.whisper).toMatchObject({ encoder: '/m/small.en-encoder.int8.onnx', language: 'en' });
    const m = offlineRecognizerConfig(SHERPA_MODELS['sherpa-moonshine-base-en']!, '/m') as { modelConfig: { moonshine: unknown } };
    expect(m.modelConfig.moonshine).toEqual({ encoder: '/m/encoder_model.ort', mergedDecoder: '/m/decoder_model_merged.ort' });
    const p = offlineRecognizerConfig(SHERPA_MODELS['sherpa-parakeet-tdt-110m-en']!, '/m', '/h.txt');
    expect(p).toMatchObject({
      decodingMethod: 'modified_beam_search',
      hotwordsFile: '/h.txt',
      modelConfig: { modelType: 'nemo_transducer' },
    });
    const z = streamingRecognizerConfig(SHERPA_MODELS['sherpa-zipformer-en-streaming']!, '/z', '/h.txt');
    expect(z).toMatchObject({
      decodingMethod: 'modified_beam_search',
      hotwordsFile: '/h.txt',
      modelConfig: { modelingUnit: 'bpe', bpeVocab: '/z/bpe.vocab' },
    });
  });

  it('labels speakers by voice: first voice clinician, second patient, a third other; short turns unlabelled', () => {
    const voices: Record<number, number[]> = { 1: [1, 0.1, 0], 2: [0, 1, 0.1], 3: [0.1, 0, 1] };
    // The "audio" carries its voice id in the first sample; the extractor maps it to a noisy voice print.
    const clustering = new OnlineSpeakerClustering({
      embed: (s) => Float32Array.from(voices[s[0]!]!.map((v, i) => v + 0.05 * Math.sin(s.length + i))),
    });
    const turn = (voice: number, seconds = 2) => {
      const a = new Float32Array(16000 * seconds);
      a[0] = voice;
      return a;
    };
    expect([1, 2, 1, 2, 2, 3, 1].map((v) => clustering.label(turn(v)))).toEqual([
      'clinician',
      'patient',
      'clinician',
      'patient',
      'patient',
      'other',
      'clinician',
    ]);
    expect(clustering.label(turn(1, 0.5))).toBeUndefined();
  });
});
