/** Word error rate: (substitutions + deletions + insertions) / reference words, after normalisation. */

const NUMBER_WORDS: Record<string, string> = {
  '0': 'zero',
  '1': 'one',
  '2': 'two',
  '3': 'three',
  '4': 'four',
  '5': 'five',
  '6': 'six',
  '7': 'seven',
  '8': 'eight',
  '9': 'nine',
  '10': 'ten',
};

/** Lower case, no punctuation, hyphens split, digits 0-10 spelled out. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[-/]/g, ' ')
    .replace(/[^a-z0-9' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => NUMBER_WORDS[w] ?? w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

export interface WordErrors {
  reference: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  wer: number;
}

export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normaliseWords(reference);
  const hyp = normaliseWords(hypothesis);
  // Levenshtein over words, tracking the operation counts of one optimal path.
  type Cell = { cost: number; s: number; d: number; i: number };
  let prev: Cell[] = Array.from({ length: hyp.length + 1 }, (_, j) => ({ cost: j, s: 0, d: 0, i: j }));
  for (let r = 1; r <= ref.length; r++) {
    const row: Cell[] = [{ cost: r, s: 0, d: r, i: 0 }];
    for (let h = 1; h <= hyp.length; h++) {
      const same = ref[r - 1] === hyp[h - 1];
      const diag = prev[h - 1]!;
      const up = prev[h]!;
      const left = row[h - 1]!;
      const options: Cell[] = [
        { cost: diag.cost + (same ? 0 : 1), s: diag.s + (same ? 0 : 1), d: diag.d, i: diag.i },
        { cost: up.cost + 1, s: up.s, d: up.d + 1, i: up.i },
        { cost: left.cost + 1, s: left.s, d: left.d, i: left.i + 1 },
      ];
      row.push(options.reduce((a, b) => (b.cost < a.cost ? b : a)));
    }
    prev = row;
  }
  const best = prev[hyp.length]!;
  return {
    reference: ref.length,
    substitutions: best.s,
    deletions: best.d,
    insertions: best.i,
    wer: ref.length ? best.cost / ref.length : hyp.length ? 1 : 0,
  };
}
