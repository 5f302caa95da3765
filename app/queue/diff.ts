import type { DiffPart, NoteDiff } from '../contract/index.ts';

/**
 * A readable word-level diff: what a scribe (or anyone) changed against the AI draft.
 * Tokens are words, single punctuation marks and runs of whitespace, so the result reads as text;
 * whitespace-only changes are folded into the surrounding runs.
 */

type DiffOp = DiffPart['op'];

/** One section's changes: the shape `NoteDiff` carries over the wire (app/contract). */
type SectionDiff = NoteDiff['sections'][number];

/** Above this many LCS cells the middle is shown as one replacement (notes are far smaller). */
const MAX_CELLS = 16_000_000;

export function tokenise(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

const isSpace = (t: string) => /^\s+$/.test(t);
const isWord = (t: string) => /[\p{L}\p{N}]/u.test(t);

function push(parts: DiffPart[], op: DiffOp, text: string): void {
  if (!text) return;
  const last = parts.at(-1);
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

/** Word-level diff of two texts (longest common subsequence over tokens). */
export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokenise(before);
  const b = tokenise(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  push(parts, 'equal', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if (n * m > MAX_CELLS) {
    push(parts, 'delete', midA.join(''));
    push(parts, 'insert', midB.join(''));
  } else if (n > 0 || m > 0) {
    // table[i][j] = heaviest common subsequence of midA[i..] and midB[j..]; words and marks weigh more
    // than whitespace, so spaces never pull a match away from the words.
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        const skip = Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
        table[i * width + j] = midA[i] === midB[j] ? Math.max(skip, table[(i + 1) * width + j + 1]! + (isSpace(midA[i]!) ? 1 : 3)) : skip;
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j] && table[i * width + j] === table[(i + 1) * width + j + 1]! + (isSpace(midA[i]!) ? 1 : 3)) {
        push(parts, 'equal', midA[i]!);
        i++;
        j++;
      } else if (j < m && (i >= n || table[i * width + j + 1]! >= table[(i + 1) * width + j]!)) {
        push(parts, 'insert', midB[j]!);
        j++;
      } else {
        push(parts, 'delete', midA[i]!);
        i++;
      }
    }
  }
  push(parts, 'equal', a.slice(endA).join(''));
  return tidy(slideToBoundaries(parts));
}

/**
 * A lone insertion or deletion between two unchanged runs can often sit in several places
 * ("months[. Low salt diet]." vs "months.[ Low salt diet.]"); put it where it starts at a word
 * boundary after a sentence mark, or at least at a space, so it reads as whole words and sentences.
 */
function slideToBoundaries(parts: DiffPart[]): DiffPart[] {
  const out = parts.map((p) => ({ ...p }));
  for (let k = 1; k < out.length - 1; k++) {
    const before = out[k - 1]!;
    const edit = out[k]!;
    const after = out[k + 1]!;
    if (edit.op === 'equal' || before.op !== 'equal' || after.op !== 'equal') continue;
    const score = (pre: string, text: string) =>
      (/[.?!;:,\n]\s*$/.test(pre) || pre === '' ? 2 : 0) + (/^\s/.test(text) ? 1 : 0) + (/^[\s\p{L}\p{N}]/u.test(text) ? 1 : 0);
    let best = { pre: before.text, text: edit.text, post: after.text };
    let bestScore = score(best.pre, best.text);
    // slide right while the edit's first token equals the next run's first token
    let cur = { ...best };
    for (let guard = 0; guard < 50; guard++) {
      const first = tokenise(cur.text)[0];
      if (!first || !cur.post.startsWith(first)) break;
      cur = { pre: cur.pre + first, text: cur.text.slice(first.length) + first, post: cur.post.slice(first.length) };
      const sc = score(cur.pre, cur.text);
      if (sc > bestScore) {
        best = cur;
        bestScore = sc;
      }
    }
    // slide left while the edit's last token equals the previous run's last token
    cur = { pre: before.text, text: edit.text, post: after.text };
    for (let guard = 0; guard < 50; guard++) {
      const last = tokenise(cur.text).at(-1);
      if (!last || !cur.pre.endsWith(last)) break;
      cur = {
        pre: cur.pre.slice(0, cur.pre.length - last.length),
        text: last + cur.text.slice(0, cur.text.length - last.length),
        post: last + cur.post,
      };
      const sc = score(cur.pre, cur.text);
      if (sc > bestScore) {
        best = cur;
        bestScore = sc;
      }
    }
    before.text = best.pre;
    edit.text = best.text;
    after.text = best.post;
  }
  return out.filter((p) => p.text !== '');
}

/**
 * Make the diff read like an editor's marks: a space kept between two changes joins them
 * ("-old words- +new words+" rather than word-by-word alternation), deletions before insertions.
 */
function tidy(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    if (del && ins && isSpace(ins) && del.endsWith(ins)) {
      push(out, 'delete', del.slice(0, del.length - ins.length));
      push(out, 'equal', ins);
    } else if (del && ins && isSpace(del) && ins.endsWith(del)) {
      push(out, 'insert', ins.slice(0, ins.length - del.length));
      push(out, 'equal', del);
    } else {
      push(out, 'delete', del);
      push(out, 'insert', ins);
    }
    del = '';
    ins = '';
  };
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    if (part.op === 'delete') del += part.text;
    else if (part.op === 'insert') ins += part.text;
    else if ((del || ins) && isSpace(part.text) && parts[k + 1] && parts[k + 1]!.op !== 'equal') {
      del += part.text;
      ins += part.text;
    } else {
      flush();
      push(out, 'equal', part.text);
    }
  }
  flush();
  return out;
}

export function countWords(text: string): number {
  return tokenise(text).filter(isWord).length;
}

export interface SectionTextLike {
  id: string;
  title: string;
  text: string;
}

/** Section by section, what changed from `base` (the AI draft) to `current`. Sections added or removed count whole. */
export function diffSections(base: readonly SectionTextLike[], current: readonly SectionTextLike[]): SectionDiff[] {
  const ids = [...new Set([...base.map((s) => s.id), ...current.map((s) => s.id)])];
  return ids.map((id) => {
    const from = base.find((s) => s.id === id);
    const to = current.find((s) => s.id === id);
    const parts = diffWords(from?.text ?? '', to?.text ?? '');
    const insertedWords = parts.filter((p) => p.op === 'insert').reduce((n, p) => n + countWords(p.text), 0);
    const deletedWords = parts.filter((p) => p.op === 'delete').reduce((n, p) => n + countWords(p.text), 0);
    return {
      sectionId: id,
      title: to?.title ?? from?.title ?? id,
      parts,
      insertedWords,
      deletedWords,
      changed: parts.some((p) => p.op !== 'equal'),
    };
  });
}
