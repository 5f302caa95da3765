/**
 * Debian pocketsphinx (5prealpha, libpocketsphinx.so.3) through its C API with koffi: no shell, no temp
 * files, and partial hypotheses while audio is still arriving.
 */
import { createRequire } from 'node:module';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ScribeError } from '../../contract/index.ts';
import { DRUG_LEXICON } from './drug-lexicon.ts';
import { buildDictionary, buildVocabularyModel } from './dictionary.ts';
import type { RecognizedWord, Utterance } from '../types.ts';

const require = createRequire(import.meta.url);

/** pocketsphinx computes features at 100 frames per second. */
const FRAMES_PER_SECOND = 100;
const SAMPLES_PER_FRAME = 16000 / FRAMES_PER_SECOND;
/** Interpolation weight of the vocabulary model (drug lexicon + the visit's words) against the stock model. */
const VOCABULARY_WEIGHT = 0.05;
const NGRAM_AUTO = 0;
const NGRAM_ARPA = 1;

export const SPHINX_MODEL_DIR = process.env['SCRIBE_SPHINX_MODEL_DIR'] ?? '/usr/share/pocketsphinx/model/en-us';

type Ptr = unknown;
interface SphinxLib {
  ps_args(): Ptr;
  cmd_ln_init(inout: Ptr, defs: Ptr, strict: number, ...rest: unknown[]): Ptr;
  ps_init(cfg: Ptr): Ptr;
  ps_free(ps: Ptr): number;
  cmd_ln_free_r(cfg: Ptr): number;
  ps_start_utt(ps: Ptr): number;
  ps_end_utt(ps: Ptr): number;
  ps_process_raw(ps: Ptr, data: Int16Array, n: number, noSearch: number, fullUtt: number): number;
  ps_get_hyp(ps: Ptr, score: number[] | null): string | null;
  ps_lookup_word(ps: Ptr, word: string): Ptr;
  ngram_model_read(cfg: Ptr, file: string, type: number, lmath: Ptr): Ptr;
  ps_get_config(ps: Ptr): Ptr;
  ngram_model_set_init(cfg: Ptr, models: Ptr[], names: string[], weights: Float32Array, n: number): Ptr;
  ps_set_lm(ps: Ptr, name: string, lm: Ptr): number;
  ps_set_search(ps: Ptr, name: string): number;
  ps_seg_iter(ps: Ptr): Ptr;
  ps_seg_next(seg: Ptr): Ptr;
  ps_seg_word(seg: Ptr): string;
  ps_seg_frames(seg: Ptr, sf: number[], ef: number[]): void;
  ps_seg_prob(seg: Ptr, ascr: number[], lscr: number[], lback: number[]): number;
  ps_get_logmath(ps: Ptr): Ptr;
  logmath_exp(lmath: Ptr, logp: number): number;
  ckd_free(p: Ptr): void;
  decodeString(p: Ptr): string;
}

let lib: SphinxLib | null = null;

function loadLibrary(): SphinxLib {
  if (lib) return lib;
  let koffi: typeof import('koffi');
  try {
    koffi = require('koffi');
  } catch (err) {
    throw new ScribeError('unavailable', `the sphinx engine needs the koffi package: ${(err as Error).message}`);
  }
  let ps: ReturnType<typeof koffi.load>;
  let sb: ReturnType<typeof koffi.load>;
  try {
    sb = koffi.load('libsphinxbase.so.3');
    ps = koffi.load('libpocketsphinx.so.3');
  } catch (err) {
    throw new ScribeError(
      'unavailable',
      `pocketsphinx is not installed (install the Debian packages pocketsphinx and pocketsphinx-en-us): ${(err as Error).message}`,
    );
  }
  const f = (l: typeof ps, decl: string) => l.func(decl);
  const bound = {
    ps_args: f(ps, 'void* ps_args()'),
    cmd_ln_init: f(sb, 'void* cmd_ln_init(void*, void*, int, ...)'),
    ps_init: f(ps, 'void* ps_init(void*)'),
    ps_free: f(ps, 'int ps_free(void*)'),
    cmd_ln_free_r: f(sb, 'int cmd_ln_free_r(void*)'),
    ps_start_utt: f(ps, 'int ps_start_utt(void*)'),
    ps_end_utt: f(ps, 'int ps_end_utt(void*)'),
    ps_process_raw: f(ps, 'int ps_process_raw(void*, const int16_t*, size_t, int, int)'),
    ps_get_hyp: f(ps, 'const char* ps_get_hyp(void*, _Out_ int32_t*)'),
    ps_lookup_word: f(ps, 'void* ps_lookup_word(void*, const char*)'),
    ngram_model_read: f(sb, 'void* ngram_model_read(void*, const char*, int, void*)'),
    ps_get_config: f(ps, 'void* ps_get_config(void*)'),
    ngram_model_set_init: f(sb, 'void* ngram_model_set_init(void*, void**, const char**, const float*, int)'),
    ps_set_lm: f(ps, 'int ps_set_lm(void*, const char*, void*)'),
    ps_set_search: f(ps, 'int ps_set_search(void*, const char*)'),
    ps_seg_iter: f(ps, 'void* ps_seg_iter(void*)'),
    ps_seg_next: f(ps, 'void* ps_seg_next(void*)'),
    ps_seg_word: f(ps, 'const char* ps_seg_word(void*)'),
    ps_seg_frames: f(ps, 'void ps_seg_frames(void*, _Out_ int*, _Out_ int*)'),
    ps_seg_prob: f(ps, 'int32_t ps_seg_prob(void*, _Out_ int32_t*, _Out_ int32_t*, _Out_ int32_t*)'),
    ps_get_logmath: f(ps, 'void* ps_get_logmath(void*)'),
    logmath_exp: f(sb, 'double logmath_exp(void*, int)'),
    ckd_free: f(sb, 'void ckd_free(void*)'),
    decodeString: (p: Ptr) => koffi.decode(p, 'char', -1) as string,
  };
  lib = bound as unknown as SphinxLib;
  return lib;
}

const FILLER = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/;

function baseWord(w: string): string {
  return w.replace(/\(\d+\)$/, '');
}

export function normaliseVocabulary(vocabulary: readonly string[]): string[] {
  const words = new Set<string>();
  for (const phrase of vocabulary) {
    for (const token of phrase.toLowerCase().split(/[^a-z']+/)) if (token.length > 1) words.add(token);
  }
  return [...words];
}

/** One pocketsphinx decoder (not thread-safe: one per thread). */
export class SphinxDecoder {
  private ps: Ptr;
  private readonly lib: SphinxLib;
  private inUtterance = false;
  /** pocketsphinx numbers frames from decoder creation, not per utterance. */
  private samplesFed = 0;
  private utteranceFirstFrame = 0;
  /** Vocabulary words the decoder could not learn (no pronunciation known). */
  readonly unknownWords: string[] = [];

  constructor(opts: { vocabulary?: readonly string[]; scratchDir?: string } = {}) {
    this.lib = loadLibrary();
    const dir = SPHINX_MODEL_DIR;
    const files = { hmm: path.join(dir, 'en-us'), lm: path.join(dir, 'en-us.lm.bin'), dict: path.join(dir, 'cmudict-en-us.dict') };
    for (const [what, file] of Object.entries(files)) {
      if (!existsSync(file)) {
        throw new ScribeError(
          'unavailable',
          `pocketsphinx English model missing (${what}: ${file}); install the Debian package pocketsphinx-en-us`,
        );
      }
    }
    const dictionary = buildDictionary(files.dict, DRUG_LEXICON, opts.scratchDir);
    const visitWords = new Set<string>();
    for (const word of normaliseVocabulary(opts.vocabulary ?? [])) {
      if (dictionary.pronunciations.has(word)) visitWords.add(word);
      else this.unknownWords.push(word);
    }
    const vocabularyLm = buildVocabularyModel([...Object.keys(DRUG_LEXICON), ...visitWords], visitWords, 4, opts.scratchDir);
    const l = this.lib;
    // (Starting on the small vocabulary model instead is several times slower to initialise.)
    const cfg = l.cmd_ln_init(
      null,
      l.ps_args(),
      1,
      'str',
      '-hmm',
      'str',
      files.hmm,
      'str',
      '-lm',
      'str',
      files.lm,
      'str',
      '-dict',
      'str',
      dictionary.file,
      'str',
      '-logfn',
      'str',
      '/dev/null',
      'void*',
      null,
    );
    if (!cfg) throw new ScribeError('internal', 'pocketsphinx rejected its configuration');
    this.ps = l.ps_init(cfg);
    l.cmd_ln_free_r(cfg);
    try {
      if (!this.ps) throw new ScribeError('internal', `pocketsphinx failed to load its model from ${dir}`);
      this.useVocabularyModel(files.lm, vocabularyLm);
    } finally {
      // The patient's words are in memory now: the file goes at once (decision 0124).
      rmSync(vocabularyLm, { force: true });
    }
  }

  /**
   * Interpolate the stock model with a small model over the lexicon and the visit's vocabulary, and make it
   * the active search. (The '_default' search cannot be replaced in place in this version: a named one is.)
   */
  private useVocabularyModel(stockLm: string, vocabularyLm: string): void {
    const l = this.lib;
    const cfg = l.ps_get_config(this.ps);
    const lmath = l.ps_get_logmath(this.ps);
    const base = l.ngram_model_read(cfg, stockLm, NGRAM_AUTO, lmath);
    const vocab = l.ngram_model_read(cfg, vocabularyLm, NGRAM_ARPA, lmath);
    if (!base || !vocab) throw new ScribeError('internal', 'pocketsphinx could not read its language models');
    const set = l.ngram_model_set_init(
      cfg,
      [base, vocab],
      ['stock', 'vocabulary'],
      new Float32Array([1 - VOCABULARY_WEIGHT, VOCABULARY_WEIGHT]),
      2,
    );
    if (!set || l.ps_set_lm(this.ps, 'scribe', set) < 0 || l.ps_set_search(this.ps, 'scribe') < 0) {
      throw new ScribeError('internal', 'pocketsphinx could not load the vocabulary language model');
    }
  }

  /** The dictionary's pronunciation of a word, or null. */
  lookup(word: string): string | null {
    const p = this.lib.ps_lookup_word(this.live(), word);
    if (!p) return null;
    const s = this.lib.decodeString(p);
    this.lib.ckd_free(p);
    return s;
  }

  /** After free() the native decoder is gone: a call would pass a freed pointer into pocketsphinx. */
  private live(): Ptr {
    if (!this.ps) throw new ScribeError('conflict', 'the recognizer was closed (the visit stopped waiting for it)');
    return this.ps;
  }

  begin(): void {
    if (this.inUtterance) return;
    this.live();
    if (this.lib.ps_start_utt(this.ps) < 0) throw new ScribeError('internal', 'pocketsphinx could not start an utterance');
    this.utteranceFirstFrame = Math.floor(this.samplesFed / SAMPLES_PER_FRAME);
    this.inUtterance = true;
  }

  feed(pcm: Int16Array): void {
    if (!this.inUtterance) this.begin();
    this.live();
    if (pcm.length === 0) return;
    if (this.lib.ps_process_raw(this.ps, pcm, pcm.length, 0, 0) < 0)
      throw new ScribeError('internal', 'pocketsphinx failed to process audio');
    this.samplesFed += pcm.length;
  }

  /** Best hypothesis so far in the current utterance. */
  partial(): string {
    if (!this.inUtterance || !this.ps) return '';
    const hyp = this.lib.ps_get_hyp(this.ps, [0]);
    return hyp ? hyp.replace(/\(\d+\)/g, '').trim() : '';
  }

  end(): Utterance {
    if (!this.inUtterance) return { text: '', words: [], confidence: 0 };
    this.live();
    const l = this.lib;
    l.ps_end_utt(this.ps);
    this.inUtterance = false;
    const words: RecognizedWord[] = [];
    const lmath = l.ps_get_logmath(this.ps);
    for (let seg = l.ps_seg_iter(this.ps); seg; seg = l.ps_seg_next(seg)) {
      const raw = l.ps_seg_word(seg);
      if (!raw || FILLER.test(raw)) continue;
      const sf = [0];
      const ef = [0];
      l.ps_seg_frames(seg, sf, ef);
      const post = l.ps_seg_prob(seg, [0], [0], [0]);
      const confidence = Math.max(0, Math.min(1, l.logmath_exp(lmath, post)));
      const first = Math.max(0, sf[0]! - this.utteranceFirstFrame);
      const last = Math.max(first, ef[0]! - this.utteranceFirstFrame);
      words.push({ word: baseWord(raw), start: first / FRAMES_PER_SECOND, end: (last + 1) / FRAMES_PER_SECOND, confidence });
    }
    const text = words.map((w) => w.word).join(' ');
    const confidence = words.length ? words.reduce((a, w) => a + w.confidence, 0) / words.length : 0;
    return { text, words, confidence };
  }

  /** Recognize one whole utterance. */
  recognize(pcm: Int16Array): Utterance {
    this.begin();
    for (let i = 0; i < pcm.length; i += 4096) this.feed(pcm.subarray(i, i + 4096));
    return this.end();
  }

  free(): void {
    if (this.ps) {
      if (this.inUtterance) this.lib.ps_end_utt(this.ps);
      this.inUtterance = false;
      this.lib.ps_free(this.ps);
      this.ps = null;
    }
  }
}
