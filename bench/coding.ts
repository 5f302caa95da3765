/**
 * `npm run bench:coding`: terminology index build time, index load time, per-note suggestion time, and
 * top-1 / top-3 accuracy on the labelled diagnosis phrases (all, and the `valid` split on its own).
 * Targets (issue 5): load < 1 s, suggestions < 100 ms per note.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv, readLabels } from '../testing/coding/build-labelled-set.ts';
import { installTerminology, suggestCodes, Terminology } from '../app/coding/index.ts';
import { sharedDir } from '../testing/coding/terminology.ts';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

const dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-bench-coding-'));
try {
  let t = performance.now();
  const installed = await installTerminology({ from: path.join(sharedDir(), 'terminology'), dir });
  const installMs = performance.now() - t;

  const loads: number[] = [];
  let term: Terminology | undefined;
  for (let i = 0; i < 5; i++) {
    term?.close();
    t = performance.now();
    term = new Terminology(installed);
    term.searchCodes('hypertension', { limit: 1 });
    loads.push(performance.now() - t);
  }
  const terminology = term!;

  // Notes: aci-bench valid (full note) and their dialogues as transcripts.
  const rows = parseCsv(readFileSync(path.join(sharedDir(), 'data', 'aci-bench', 'valid.csv'), 'utf8'));
  const header = rows.shift()!;
  const noteCol = header.indexOf('note');
  const dialogueCol = header.indexOf('dialogue');
  const notes = rows.filter((r) => r[noteCol]).map((r) => ({ note: r[noteCol]!, dialogue: r[dialogueCol] ?? '' }));
  suggestCodes({ text: notes[0]!.note }, { terminology }); // warm the statement caches once
  const noteMs: number[] = [];
  const visitMs: number[] = [];
  let hintCount = 0;
  for (const n of notes) {
    t = performance.now();
    hintCount += suggestCodes({ text: n.note }, { terminology }).length;
    noteMs.push(performance.now() - t);
    const transcript = {
      engine: 'bench',
      segments: n.dialogue
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => ({ id: `s${i}`, start: i, end: i + 1, text: l.replace(/^\[\w+\]\s*/, '') })),
    };
    t = performance.now();
    suggestCodes({ text: n.note, transcript }, { terminology });
    visitMs.push(performance.now() - t);
  }

  const labels = readLabels();
  const accuracy = (subset: typeof labels) => {
    let top1 = 0;
    let top3 = 0;
    for (const l of subset) {
      const codes = suggestCodes({ text: l.phrase }, { terminology, top: 3 })
        .filter((h) => h.system === 'icd10cm')
        .map((h) => h.code);
      if (codes[0] === l.code) top1++;
      if (codes.includes(l.code)) top3++;
    }
    return `top-1 ${((top1 / subset.length) * 100).toFixed(1)}%, top-3 ${((top3 / subset.length) * 100).toFixed(1)}% (n=${subset.length})`;
  };

  console.log('bench:coding');
  console.log(`  index build (copy + sha256 verify + compile): ${(installMs / 1000).toFixed(2)} s`);
  console.log(`  index load (open + first search), median of 5: ${pct(loads, 0.5).toFixed(1)} ms (target < 1000 ms)`);
  console.log(
    `  suggestions per note (aci-bench valid, ${notes.length} notes, ${(hintCount / notes.length).toFixed(1)} hints/note): mean ${mean(noteMs).toFixed(1)} ms, p95 ${pct(noteMs, 0.95).toFixed(1)} ms, max ${Math.max(...noteMs).toFixed(1)} ms (target < 100 ms)`,
  );
  console.log(
    `  suggestions per visit (note + full transcript): mean ${mean(visitMs).toFixed(1)} ms, p95 ${pct(visitMs, 0.95).toFixed(1)} ms`,
  );
  console.log(`  labelled diagnosis phrases, all: ${accuracy(labels)}`);
  console.log(`  labelled diagnosis phrases, valid split: ${accuracy(labels.filter((l) => l.split === 'valid'))}`);
  terminology.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
