/**
 * A Bloom filter over the term bags: most word combinations tried while matching are not terms, and
 * the filter answers those without touching SQLite (false positives only cost a lookup).
 */
function fnv1a(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const BLOOM_HASHES = 6;

export function bloomSize(items: number): number {
  return Math.max(1024, Math.ceil((items * 12) / 8));
}

function* positions(text: string, bits: number): Generator<number> {
  const a = fnv1a(text, 0);
  const b = fnv1a(text, 0x5bd1e995) | 1;
  for (let i = 0; i < BLOOM_HASHES; i++) yield ((a + Math.imul(i, b)) >>> 0) % bits;
}

export function bloomAdd(filter: Uint8Array, text: string): void {
  for (const p of positions(text, filter.length * 8)) filter[p >> 3]! |= 1 << (p & 7);
}

export function bloomHas(filter: Uint8Array, text: string): boolean {
  for (const p of positions(text, filter.length * 8)) if (!(filter[p >> 3]! & (1 << (p & 7)))) return false;
  return true;
}
