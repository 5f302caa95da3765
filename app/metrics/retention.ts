/**
 * Draft retention: how much of the AI draft survives into the signed note, by word-level edit distance.
 * Computed once at signing from the two texts, which are then dropped; only the counts are kept.
 */

export interface DraftRetention {
  /** Words in the AI draft (dictated words excluded). */
  draftWords: number;
  /** Draft words that stand unchanged, in order, in the signed note. */
  keptWords: number;
  /** Word-level Levenshtein distance between draft and signed note (dictated words excluded). */
  editDistance: number;
  /** keptWords / draftWords, 0..1; null when there was no draft text. */
  share: number | null;
}

/** Lower-cased words; punctuation and layout do not count as edits. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Above this many cells the alignment is done piecewise; real notes are far smaller. */
const MAX_CELLS = 64_000_000;
/** The dictation LCS keeps a full table (2 bytes a cell): at most 16 MB. */
const MAX_LCS_CELLS = 8_000_000;

/**
 * Levenshtein alignment of two word sequences that also counts the matches on an optimal path
 * (ties broken towards more matches). O(n·m) time, O(m) memory.
 */
export function alignWords(a: readonly string[], b: readonly string[]): { distance: number; matches: number } {
  if (a.length === 0) return { distance: b.length, matches: 0 };
  if (b.length === 0) return { distance: a.length, matches: 0 };
  if (a.length * b.length > MAX_CELLS) {
    // A pathological size: align in chunks of the draft against proportional chunks of the note.
    const pieces = Math.ceil((a.length * b.length) / MAX_CELLS);
    let distance = 0,
      matches = 0;
    for (let i = 0; i < pieces; i++) {
      const r = alignWords(
        a.slice(Math.floor((i * a.length) / pieces), Math.floor(((i + 1) * a.length) / pieces)),
        b.slice(Math.floor((i * b.length) / pieces), Math.floor(((i + 1) * b.length) / pieces)),
      );
      distance += r.distance;
      matches += r.matches;
    }
    return { distance, matches };
  }
  const ids = new Map<string, number>();
  const idOf = (w: string) => {
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = ids.size));
    return id;
  };
  const ai = Int32Array.from(a, idOf);
  const bi = Int32Array.from(b, idOf);
  const m = bi.length;
  let prevD = new Int32Array(m + 1),
    prevM = new Int32Array(m + 1);
  let curD = new Int32Array(m + 1),
    curM = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prevD[j] = j;
  for (let i = 1; i <= ai.length; i++) {
    curD[0] = i;
    curM[0] = 0;
    const x = ai[i - 1];
    for (let j = 1; j <= m; j++) {
      const same = x === bi[j - 1];
      // diagonal (match or substitution)
      let d = prevD[j - 1]! + (same ? 0 : 1);
      let mt = prevM[j - 1]! + (same ? 1 : 0);
      // deletion of a draft word
      const dd = prevD[j]! + 1,
        dm = prevM[j]!;
      if (dd < d || (dd === d && dm > mt)) {
        d = dd;
        mt = dm;
      }
      // insertion of a note word
      const id = curD[j - 1]! + 1,
        im = curM[j - 1]!;
      if (id < d || (id === d && im > mt)) {
        d = id;
        mt = im;
      }
      curD[j] = d;
      curM[j] = mt;
    }
    [prevD, curD] = [curD, prevD];
    [prevM, curM] = [curM, prevM];
  }
  return { distance: prevD[m]!, matches: prevM[m]! };
}

/**
 * Remove the dictated words from a word sequence: the longest common subsequence with the dictation is
 * taken out, so dictated sentences count neither as kept draft nor as edits, wherever they were put.
 */
export function withoutDictation(text: readonly string[], dictated: readonly string[]): string[] {
  if (dictated.length === 0 || text.length === 0) return [...text];
  const n = text.length,
    m = dictated.length;
  if (n * m > MAX_LCS_CELLS || Math.min(n, m) > 65_535) return withoutContiguous(text, dictated);
  // LCS table (n+1)·(m+1) of small ints; notes and dictations are at most a few thousand words.
  const table = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = text[i] === dictated[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
    }
  }
  const out: string[] = [];
  let i = 0,
    j = 0;
  while (i < n) {
    if (j < m && text[i] === dictated[j] && table[at(i, j)] === table[at(i + 1, j + 1)]! + 1) {
      i++;
      j++;
      continue;
    }
    if (j < m && table[at(i, j + 1)]! >= table[at(i + 1, j)]!) {
      j++;
      continue;
    }
    out.push(text[i]!);
    i++;
  }
  return out;
}

/** Fallback for huge inputs: take out the dictation where it stands as one contiguous run. */
function withoutContiguous(text: readonly string[], dictated: readonly string[]): string[] {
  const key = dictated.join(' ');
  for (let i = 0; i + dictated.length <= text.length; i++) {
    if (text[i] === dictated[0] && text.slice(i, i + dictated.length).join(' ') === key) {
      return [...text.slice(0, i), ...text.slice(i + dictated.length)];
    }
  }
  return [...text];
}

export function draftRetention(draftText: string, signedText: string, dictatedText?: string): DraftRetention {
  const dictated = dictatedText ? words(dictatedText) : [];
  const draft = withoutDictation(words(draftText), dictated);
  const signed = withoutDictation(words(signedText), dictated);
  const { distance, matches } = alignWords(draft, signed);
  return {
    draftWords: draft.length,
    keptWords: matches,
    editDistance: distance,
    share: draft.length === 0 ? null : matches / draft.length,
  };
}
