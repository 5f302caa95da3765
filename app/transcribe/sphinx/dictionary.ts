/**
 * The files a sphinx decoder loads besides the stock model: a pronunciation dictionary (the CMU dictionary
 * plus the drug lexicon) and a small vocabulary language model that gives the lexicon's words, and a visit's
 * own vocabulary, a probability. Both are written once per content into a cache directory (pocketsphinx
 * reads them from files).
 *
 * Why not ps_add_word/ngram_model_add_word: in Debian's pocketsphinx 5prealpha adding unigrams to the
 * binary trie model at run time corrupts it (segfaults on some utterances). Interpolating the stock model
 * with a separate small ARPA model is the supported way and is stable.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Lexicon = Readonly<Record<string, readonly string[]>>;

/** Bump when the way the files are built changes (cache keys include it). */
const FORMAT = 'v3';
const cacheDir = () => path.join(process.env['SCRIBE_CACHE_DIR'] ?? os.tmpdir(), 'scribe-sphinx');

export interface PronunciationDictionary {
  /** File to pass to pocketsphinx as -dict. */
  file: string;
  /** Pronunciations by word (lower case) in the file. */
  pronunciations: Map<string, string[]>;
}

const dictionaries = new Map<string, PronunciationDictionary>();

function readDictionary(file: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\S+?)(?:\(\d+\))?\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const word = m[1]!;
    const list = map.get(word);
    if (list) list.push(m[2]!);
    else map.set(word, [m[2]!]);
  }
  return map;
}

function key(...parts: string[]): string {
  const h = createHash('sha256').update(FORMAT);
  for (const p of parts) h.update('\0').update(p);
  return h.digest('hex').slice(0, 16);
}

function writeOnce(file: string, content: () => string): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, content());
  renameSync(tmp, file);
}

/** The stock dictionary plus the lexicon: new words, and extra pronunciations of known ones as word(N). */
export function buildDictionary(stockFile: string, lexicon: Lexicon): PronunciationDictionary {
  const k = key(stockFile, JSON.stringify(lexicon));
  const hit = dictionaries.get(k);
  if (hit) return hit;
  const pronunciations = readDictionary(stockFile);
  const extra: string[] = [];
  for (const [word, prons] of Object.entries(lexicon)) {
    let list = pronunciations.get(word);
    if (!list) pronunciations.set(word, (list = []));
    for (const pron of prons) {
      if (list.includes(pron)) continue;
      list.push(pron);
      extra.push(`${list.length === 1 ? word : `${word}(${list.length})`} ${pron}`);
    }
  }
  const file = path.join(cacheDir(), `dictionary-${k}.dict`);
  writeOnce(file, () => `${readFileSync(stockFile, 'utf8').trimEnd()}\n${extra.join('\n')}\n`);
  const dict = { file, pronunciations };
  dictionaries.set(k, dict);
  return dict;
}

/**
 * A unigram ARPA model over the given words. Words in `preferred` (a visit's own vocabulary) get
 * `preferredBoost` times the probability of the others.
 */
export function buildVocabularyModel(words: readonly string[], preferred: ReadonlySet<string>, preferredBoost = 4): string {
  const sorted = [...new Set(words)].sort();
  const file = path.join(cacheDir(), `vocabulary-${key(sorted.join(' '), [...preferred].sort().join(' '), String(preferredBoost))}.arpa`);
  writeOnce(file, () => {
    const mass = sorted.reduce((a, w) => a + (preferred.has(w) ? preferredBoost : 1), 0) + 1; // +1 for </s>
    const logp = (m: number) => Math.log10(m / mass).toFixed(4);
    const lines = sorted.map((w) => `${logp(preferred.has(w) ? preferredBoost : 1)} ${w} 0.0000`);
    return [
      '\\data\\', `ngram 1=${sorted.length + 2}`, '', '\\1-grams:',
      '-99.0000 <s> 0.0000', `${logp(1)} </s> 0.0000`, ...lines, '', '\\end\\', '',
    ].join('\n');
  });
  return file;
}
