/**
 * The files a sphinx decoder loads besides the stock model: a pronunciation dictionary (the CMU dictionary
 * plus the drug lexicon) and a small vocabulary language model that gives the lexicon's words, and a visit's
 * own vocabulary, a probability. pocketsphinx reads them from files, which live in this process's private
 * scratch folder inside the data folder (app/transcribe/private-scratch.ts), never in a shared /tmp folder.
 * The vocabulary model carries a patient's problems and medications: it gets a random name and is deleted
 * by the decoder as soon as it is loaded.
 *
 * Why not ps_add_word/ngram_model_add_word: in Debian's pocketsphinx 5prealpha adding unigrams to the
 * binary trie model at run time corrupts it (segfaults on some utterances). Interpolating the stock model
 * with a separate small ARPA model is the supported way and is stable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { privateScratchDir, writePrivateFile } from '../private-scratch.ts';

export type Lexicon = Readonly<Record<string, readonly string[]>>;

/** Bump when the way the files are built changes (cache keys include it). */
const FORMAT = 'v3';

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
  const tmp = `${file}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, content(), { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}

/** The stock dictionary plus the lexicon: new words, and extra pronunciations of known ones as word(N). */
export function buildDictionary(stockFile: string, lexicon: Lexicon, scratchRoot?: string): PronunciationDictionary {
  const dir = privateScratchDir(scratchRoot);
  const k = key(stockFile, JSON.stringify(lexicon));
  const hit = dictionaries.get(`${dir}|${k}`);
  if (hit && existsSync(hit.file)) return hit;
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
  // No PHI (the stock dictionary and the fixed drug lexicon): kept for this process's later decoders.
  const file = path.join(dir, `dictionary-${k}.dict`);
  writeOnce(file, () => `${readFileSync(stockFile, 'utf8').trimEnd()}\n${extra.join('\n')}\n`);
  const dict = { file, pronunciations };
  dictionaries.set(`${dir}|${k}`, dict);
  return dict;
}

/**
 * A unigram ARPA model over the given words. Words in `preferred` (a visit's own vocabulary) get
 * `preferredBoost` times the probability of the others. Written to a new randomly named private file:
 * the caller loads it and deletes it at once.
 */
export function buildVocabularyModel(
  words: readonly string[],
  preferred: ReadonlySet<string>,
  preferredBoost = 4,
  scratchRoot?: string,
): string {
  const sorted = [...new Set(words)].sort();
  return writePrivateFile(
    (() => {
      const mass = sorted.reduce((a, w) => a + (preferred.has(w) ? preferredBoost : 1), 0) + 1; // +1 for </s>
      const logp = (m: number) => Math.log10(m / mass).toFixed(4);
      const lines = sorted.map((w) => `${logp(preferred.has(w) ? preferredBoost : 1)} ${w} 0.0000`);
      return [
        '\\data\\',
        `ngram 1=${sorted.length + 2}`,
        '',
        '\\1-grams:',
        '-99.0000 <s> 0.0000',
        `${logp(1)} </s> 0.0000`,
        ...lines,
        '',
        '\\end\\',
        '',
      ].join('\n');
    })(),
    scratchRoot,
    '.arpa',
  );
}
