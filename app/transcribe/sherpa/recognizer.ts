/**
 * The `sherpa` engine (sherpa-onnx-node): an offline model (Whisper, Moonshine or Parakeet TDT) decodes each
 * VAD segment when it ends; a streaming Zipformer, when installed, gives live partials; a speaker-embedding
 * model, when installed, labels speakers; transducer models take the visit's vocabulary as hotwords.
 * Everything runs locally from installed, sha256-verified model packs.
 */
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ScribeError } from '../../contract/index.ts';
import type { SegmentRecognizer, TranscribeOptions, Utterance } from '../types.ts';
import { normaliseVocabulary } from '../sphinx/decoder.ts';
import { writePrivateFile } from '../private-scratch.ts';
import {
  DEFAULT_SHERPA_MODEL,
  EMBEDDING_MODEL,
  STREAMING_MODEL,
  isSherpaModelInstalled,
  locateSherpaModel,
  type SherpaModelSpec,
} from './models.ts';
import { OnlineSpeakerClustering } from './speakers.ts';

const require = createRequire(import.meta.url);
const SAMPLE_RATE = 16000;
const THREADS = Math.max(1, Math.min(2, os.availableParallelism?.() ?? 2));

/* Minimal shapes of the sherpa-onnx-node classes used here. */
interface OfflineStream {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
}
interface OfflineRecognizer {
  createStream(hotwords?: string): OfflineStream;
  decode(s: OfflineStream): void;
  getResult(s: OfflineStream): { text: string; timestamps?: number[]; tokens?: string[]; ys_log_probs?: number[] };
}
interface OnlineStream {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
}
interface OnlineRecognizer {
  createStream(): OnlineStream;
  isReady(s: OnlineStream): boolean;
  decode(s: OnlineStream): void;
  getResult(s: OnlineStream): { text: string };
  reset(s: OnlineStream): void;
}
interface EmbeddingStream {
  acceptWaveform(w: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
}
interface EmbeddingExtractorNative {
  createStream(): EmbeddingStream;
  isReady(s: EmbeddingStream): boolean;
  compute(s: EmbeddingStream): Float32Array;
}
interface SherpaModule {
  OfflineRecognizer: new (config: unknown) => OfflineRecognizer;
  OnlineRecognizer: new (config: unknown) => OnlineRecognizer;
  SpeakerEmbeddingExtractor: new (config: unknown) => EmbeddingExtractorNative;
}

function loadSherpa(): SherpaModule {
  try {
    return require('sherpa-onnx-node') as SherpaModule;
  } catch (err) {
    throw new ScribeError(
      'unavailable',
      `the sherpa engine needs sherpa-onnx-node and its native package for this platform: ${(err as Error).message}`,
    );
  }
}

/** sherpa-onnx recognizer config for an offline model folder. */
export function offlineRecognizerConfig(spec: SherpaModelSpec, dir: string, hotwordsFile?: string): Record<string, unknown> {
  const f = (name: string) => path.join(dir, name);
  const base = { featConfig: { sampleRate: SAMPLE_RATE, featureDim: 80 } };
  switch (spec.kind) {
    case 'whisper':
      return {
        ...base,
        modelConfig: {
          whisper: { encoder: f(spec.encoder), decoder: f(spec.decoder), language: 'en', task: 'transcribe', tailPaddings: -1 },
          tokens: f(spec.tokens),
          numThreads: THREADS,
          provider: 'cpu',
          debug: 0,
        },
      };
    case 'moonshine':
      return {
        ...base,
        modelConfig: {
          moonshine: { encoder: f(spec.encoder), mergedDecoder: f(spec.mergedDecoder) },
          tokens: f(spec.tokens),
          numThreads: THREADS,
          provider: 'cpu',
          debug: 0,
        },
      };
    case 'nemo-transducer':
      return {
        ...base,
        modelConfig: {
          transducer: { encoder: f(spec.encoder), decoder: f(spec.decoder), joiner: f(spec.joiner) },
          tokens: f(spec.tokens),
          modelType: 'nemo_transducer',
          numThreads: THREADS,
          provider: 'cpu',
          debug: 0,
        },
        ...(hotwordsFile
          ? { decodingMethod: 'modified_beam_search', maxActivePaths: 4, hotwordsFile, hotwordsScore: 1.5 }
          : { decodingMethod: 'greedy_search' }),
      };
    default:
      throw new ScribeError('bad_request', `model kind ${spec.kind} is not an offline recognizer`);
  }
}

export function streamingRecognizerConfig(spec: SherpaModelSpec, dir: string, hotwordsFile?: string): Record<string, unknown> {
  if (spec.kind !== 'transducer') throw new ScribeError('bad_request', `model kind ${spec.kind} is not a streaming recognizer`);
  const f = (name: string) => path.join(dir, name);
  return {
    featConfig: { sampleRate: SAMPLE_RATE, featureDim: 80 },
    modelConfig: {
      transducer: { encoder: f(spec.encoder), decoder: f(spec.decoder), joiner: f(spec.joiner) },
      tokens: f(spec.tokens),
      numThreads: 1,
      provider: 'cpu',
      debug: 0,
      ...(hotwordsFile && spec.bpeVocab ? { modelingUnit: 'bpe', bpeVocab: f(spec.bpeVocab) } : {}),
    },
    decodingMethod: hotwordsFile ? 'modified_beam_search' : 'greedy_search',
    maxActivePaths: 4,
    enableEndpoint: 0,
    ...(hotwordsFile ? { hotwordsFile, hotwordsScore: 1.5 } : {}),
  };
}

class SherpaRecognizer implements SegmentRecognizer {
  readonly engine = 'sherpa' as const;
  private samples: Float32Array[] = [];
  private stream: OnlineStream | null = null;

  constructor(
    readonly model: string,
    private readonly offline: OfflineRecognizer,
    private readonly online: OnlineRecognizer | null,
    private readonly speakers: OnlineSpeakerClustering | null,
    private readonly cleanup: () => void,
  ) {}

  begin(): void {
    this.samples = [];
    if (this.online) this.stream = this.online.createStream();
  }

  feed(pcm: Int16Array): void {
    const f = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) f[i] = pcm[i]! / 32768;
    this.samples.push(f);
    if (this.online && this.stream) {
      this.stream.acceptWaveform({ samples: f, sampleRate: SAMPLE_RATE });
      while (this.online.isReady(this.stream)) this.online.decode(this.stream);
    }
  }

  partial(): string {
    return this.online && this.stream ? this.online.getResult(this.stream).text.trim().toLowerCase() : '';
  }

  async end(): Promise<Utterance> {
    const total = this.samples.reduce((a, s) => a + s.length, 0);
    const audio = new Float32Array(total);
    let at = 0;
    for (const s of this.samples) {
      audio.set(s, at);
      at += s.length;
    }
    this.samples = [];
    this.stream = null;
    const stream = this.offline.createStream();
    stream.acceptWaveform({ samples: audio, sampleRate: SAMPLE_RATE });
    this.offline.decode(stream);
    const result = this.offline.getResult(stream);
    const text = result.text.trim();
    const probs = result.ys_log_probs ?? [];
    const confidence = probs.length ? probs.reduce((a, p) => a + Math.exp(p), 0) / probs.length : undefined;
    const speaker = text && this.speakers ? this.speakers.label(audio) : undefined;
    return { text, words: [], ...(confidence === undefined ? {} : { confidence }), ...(speaker ? { speaker } : {}) };
  }

  close(): void {
    this.cleanup();
  }
}

/**
 * Load the sherpa engine for these options. Fails with a clear "model not installed — run
 * `scribe assets install NAME`" when the chosen offline model is missing.
 */
export async function createSherpaRecognizer(opts: TranscribeOptions): Promise<SegmentRecognizer> {
  const name = opts.model ?? DEFAULT_SHERPA_MODEL;
  const { spec, dir } = await locateSherpaModel(name);
  if (spec.role !== 'offline') {
    throw new ScribeError(
      'bad_request',
      `"${name}" is a ${spec.role} model; choose an offline model (Whisper, Moonshine or Parakeet) with --model`,
    );
  }
  const sherpa = loadSherpa();
  const words = normaliseVocabulary(opts.vocabulary ?? []);
  // The patient's words: a randomly named private file in the data folder, deleted once the recognizers
  // have read it (decision 0124), also when loading fails.
  const hotwordsFile = words.length
    ? writePrivateFile(`${words.map((w) => w.toUpperCase()).join('\n')}\n`, opts.scratchDir, '.txt')
    : undefined;
  const cleanup = () => {
    if (hotwordsFile) rmSync(hotwordsFile, { force: true });
  };
  try {
    const offline = new sherpa.OfflineRecognizer(offlineRecognizerConfig(spec, dir, spec.hotwords ? hotwordsFile : undefined));
    let online: OnlineRecognizer | null = null;
    if (isSherpaModelInstalled(STREAMING_MODEL)) {
      const s = await locateSherpaModel(STREAMING_MODEL);
      online = new sherpa.OnlineRecognizer(streamingRecognizerConfig(s.spec, s.dir, hotwordsFile));
    }
    let speakers: OnlineSpeakerClustering | null = null;
    if (isSherpaModelInstalled(EMBEDDING_MODEL)) {
      const e = await locateSherpaModel(EMBEDDING_MODEL);
      if (e.spec.role === 'embedding') {
        const extractor = new sherpa.SpeakerEmbeddingExtractor({
          model: path.join(e.dir, e.spec.model),
          numThreads: 1,
          provider: 'cpu',
          debug: 0,
        });
        speakers = new OnlineSpeakerClustering({
          embed(samples) {
            const s = extractor.createStream();
            s.acceptWaveform({ samples, sampleRate: SAMPLE_RATE });
            s.inputFinished();
            return extractor.isReady(s) ? extractor.compute(s) : null;
          },
        });
      }
    }
    cleanup();
    return new SherpaRecognizer(name, offline, online, speakers, () => undefined);
  } catch (err) {
    cleanup();
    if (err instanceof ScribeError) throw err;
    throw new ScribeError(
      'internal',
      `sherpa-onnx could not load model "${name}" from ${dir}: ${(err as Error).message}; reinstall it with \`scribe assets install ${name}\``,
    );
  }
}
