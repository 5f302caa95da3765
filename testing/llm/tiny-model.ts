import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeGguf, type GgufTensor, type GgufValue } from './gguf-writer.ts';

/**
 * A tiny llama-architecture language model for tests, generated on the spot: two layers, 16-wide, a
 * byte-level GPT-2 style vocabulary (every byte is a token, so any text can be spelled) and seeded random
 * weights. It writes nonsense, but under a JSON-schema grammar its nonsense is always schema-valid, which
 * is what the engines' prompt building, parsing, citation mapping, flagging and streaming need.
 */

export interface TinyModelOptions {
  seed?: number;
  /** general.name written into the file. */
  name?: string;
  contextLength?: number;
  /** general.version written into the file (a model pack's version). */
  version?: string;
  /**
   * Weights that favour writing digits (and one short sentence per section): a model that states numbers
   * nobody said, so the evidence guard has something to flag whatever the prompt. Still random elsewhere.
   */
  writesNumbers?: boolean;
}

/** GPT-2's byte → printable-character map (bytes that are not printable are shifted above U+0100). */
function byteLevelAlphabet(): string[] {
  const printable = new Set<number>();
  for (let b = 0x21; b <= 0x7e; b++) printable.add(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.add(b);
  for (let b = 0xae; b <= 0xff; b++) printable.add(b);
  const out: string[] = [];
  let shifted = 0;
  for (let b = 0; b < 256; b++) out.push(printable.has(b) ? String.fromCharCode(b) : String.fromCharCode(256 + shifted++));
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function writeTinyModel(file: string, options: TinyModelOptions = {}): void {
  const rand = mulberry32(options.seed ?? 7);
  const nEmbd = 16;
  const nHead = 2;
  const nFf = 32;
  const nLayer = 2;
  const alphabet = byteLevelAlphabet();
  const space = alphabet[0x20]!;
  // A few merges so the BPE tokenizer has something to apply; their results are tokens too.
  const mergePairs: Array<[string, string]> = [
    [space, 't'],
    ['h', 'e'],
    [space, 'a'],
    ['i', 'n'],
    ['e', 'r'],
  ];
  const tokens = [...alphabet, ...mergePairs.map(([a, b]) => a + b), '<|bos|>', '<|eos|>'];
  const tokenTypes = tokens.map((_, i) => (i >= tokens.length - 2 ? 3 : 1)); // 1 normal, 3 control
  const bos = tokens.length - 2;
  const eos = tokens.length - 1;
  const nVocab = tokens.length;

  const weights = (count: number, scale: number): Float32Array => {
    const a = new Float32Array(count);
    for (let i = 0; i < count; i++) a[i] = (rand() * 2 - 1) * scale;
    return a;
  };
  const ones = (count: number): Float32Array => new Float32Array(count).fill(1);

  const embeddings = weights(nEmbd * nVocab, 0.5);
  if (options.writesNumbers) favour(embeddings, nEmbd, tokens);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [nEmbd, nVocab], data: embeddings },
    { name: 'output_norm.weight', dims: [nEmbd], data: ones(nEmbd) },
  ];
  for (let l = 0; l < nLayer; l++) {
    const p = `blk.${l}.`;
    tensors.push(
      { name: `${p}attn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}attn_q.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, 0.3) },
      { name: `${p}attn_k.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, 0.3) },
      { name: `${p}attn_v.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, 0.3) },
      { name: `${p}attn_output.weight`, dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd, 0.3) },
      { name: `${p}ffn_norm.weight`, dims: [nEmbd], data: ones(nEmbd) },
      { name: `${p}ffn_gate.weight`, dims: [nEmbd, nFf], data: weights(nEmbd * nFf, 0.3) },
      { name: `${p}ffn_up.weight`, dims: [nEmbd, nFf], data: weights(nEmbd * nFf, 0.3) },
      { name: `${p}ffn_down.weight`, dims: [nFf, nEmbd], data: weights(nFf * nEmbd, 0.3) },
    );
  }

  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'scribe-tiny-test' }],
    ...(options.version ? ([['general.version', { type: 'string', value: options.version }]] as Array<[string, GgufValue]>) : []),
    ['general.alignment', { type: 'u32', value: 32 }],
    ['llama.context_length', { type: 'u32', value: options.contextLength ?? 8192 }],
    ['llama.embedding_length', { type: 'u32', value: nEmbd }],
    ['llama.block_count', { type: 'u32', value: nLayer }],
    ['llama.feed_forward_length', { type: 'u32', value: nFf }],
    ['llama.attention.head_count', { type: 'u32', value: nHead }],
    ['llama.attention.head_count_kv', { type: 'u32', value: nHead }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: nEmbd / nHead }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: nVocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'default' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: tokenTypes }],
    ['tokenizer.ggml.merges', { type: 'strings', value: mergePairs.map(([a, b]) => `${a} ${b}`) }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: eos }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeGguf(file, metadata, tensors);
}

/**
 * One embedding dimension every token carries (so the output always leans along it), and a large weight
 * on it for the tokens to favour: digits most (inside a sentence), then "{" (a list starts a sentence rather
 * than staying empty) and "]" (a list is closed after one item). The output projection is tied to the embeddings, so these tokens win wherever the
 * grammar allows them.
 */
function favour(embeddings: Float32Array, nEmbd: number, tokens: string[]): void {
  const boost = new Map<string, number>([...'0123456789'].map((d) => [d, 8] as [string, number]));
  boost.set('{', 7).set(']', 6);
  tokens.forEach((t, i) => (embeddings[i * nEmbd] = boost.get(t) ?? 1.5));
}
