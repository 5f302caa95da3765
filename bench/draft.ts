/**
 * npm run bench:draft — drafts every ACI-Bench valid encounter with the builtin drafter and prints ROUGE-1/2/Lsum,
 * unsupported-concept share, concept recall and milliseconds per note (see bench/draft-metrics.ts and issue 4).
 * Flags: --split train|valid (default valid), --template NAME, --show N[,M...] (print those notes beside their references),
 * --misses (every reference concept the transcript says but the draft lacks, with the turn and step that lost it).
 * Language models: --engine llm --model NAME|PATH (a model pack or .gguf) [--limit N], or --engine server
 * --server URL --server-model NAME; adds seconds per note, tokens per second, fallbacks and flagged sentences.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDrafter,
  parseTranscriptText,
  renderDraftText,
  resolveModelFile,
  type DraftEngine,
  type DrafterOptions,
} from '../app/draft/index.ts';
import { readAciBench, sharedDir } from '../app/draft/training-data.ts';
import type { BuiltinSettings } from '../app/draft/builtin.ts';
import { missTrace } from './draft-misses.ts';
import {
  ConceptMatcher,
  fleschKincaidGrade,
  fragmentShare,
  instructionsText,
  rougeLsum,
  rougeN,
  spokenSentenceShare,
} from './draft-metrics.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface DraftBenchResult {
  notes: number;
  rouge1: number;
  rouge2: number;
  rougeLsum: number;
  unsupportedShare: number;
  conceptRecall: number;
  msPerNote: number;
  /** CPU time of this process per note (wall time suffers when other work shares the cores). */
  cpuMsPerNote: number;
  words: number;
  /** Share of draft sentences (outside patient instructions) that read as speech (issue 13). */
  spokenShare: number;
  /** The same measure on the clinicians' reference notes, for orientation. */
  referenceSpokenShare: number;
  /** Share of draft sentences (outside patient instructions) a reader would not accept as written sentences, and the references'. */
  fragmentShare: number;
  referenceFragmentShare: number;
  /** Flesch–Kincaid grade of the drafts' patient instructions (notes that have any), and of the references'. */
  instructionsGrade: number | null;
  referenceInstructionsGrade: number | null;
  /** Language-model engines only. */
  model?: { secondsPerNote: number; tokensPerSecond: number; fallbacks: number; flaggedSentences: number; firstFallback?: string };
}

export interface ModelBenchOptions {
  engine: DraftEngine;
  model?: string;
  server?: string;
  serverModel?: string;
  /** Only the first N encounters (a CPU model takes minutes per note). */
  limit?: number;
}

function modelDrafterOptions(m: ModelBenchOptions): Partial<DrafterOptions> {
  if (m.engine === 'llm') {
    if (!m.model) throw new Error('--engine llm needs --model NAME|PATH');
    const threads = Number(process.env['SCRIBE_LLM_THREADS'] ?? 0);
    return { engine: 'llm', llm: { modelPath: resolveModelFile(m.model), ...(threads > 0 ? { threads } : {}) }, timeoutMs: 30 * 60_000 };
  }
  if (m.engine === 'server') {
    if (!m.server || !m.serverModel) throw new Error('--engine server needs --server URL --server-model NAME');
    return { engine: 'server', server: { baseUrl: m.server, model: m.serverModel }, timeoutMs: 30 * 60_000 };
  }
  return {};
}

export async function benchDraft(options: {
  split: 'train' | 'valid';
  template?: string;
  show?: number[];
  /** Print the concept misses of each note and their count per step (bench/draft-misses.ts). */
  misses?: boolean;
  shared?: string;
  settings?: BuiltinSettings;
  modelDir?: string;
  model?: ModelBenchOptions;
}): Promise<DraftBenchResult> {
  const shared = options.shared ?? sharedDir(REPO_ROOT);
  const encounters = readAciBench(shared, options.split).slice(0, options.model?.limit ?? Infinity);
  const concepts = ConceptMatcher.fromTerminology(
    join(shared, 'terminology'),
    readAciBench(shared, 'train').map((e) => e.note),
  );
  const drafter = createDrafter({
    engine: 'builtin',
    now: () => new Date(0),
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.modelDir ? { modelDir: options.modelDir } : {}),
    ...(options.model ? modelDrafterOptions(options.model) : {}),
  });
  const lm = { seconds: 0, tokens: 0, fallbacks: 0, flagged: 0, firstFallback: undefined as string | undefined };
  // Warm up (loads the model) so the per-note time is the drafting itself.
  await drafter.draft({ transcript: parseTranscriptText('[doctor] hello .\n[patient] hi .') });
  let r1 = 0,
    r2 = 0,
    rl = 0,
    unsupported = 0,
    recall = 0,
    ms = 0,
    words = 0;
  let cpu = 0;
  let withConcepts = 0;
  let withRef = 0;
  let spoken = 0,
    refSpoken = 0,
    fragments = 0,
    refFragments = 0;
  const grades: number[] = [];
  const refGrades: number[] = [];
  const missSteps = new Map<string, number>();
  for (const [i, e] of encounters.entries()) {
    const transcript = parseTranscriptText(e.dialogue);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const draft = await drafter.draft({
      transcript,
      ...(options.template ? { template: options.template } : {}),
      onGeneration: (g) => {
        lm.seconds += g.seconds;
        lm.tokens += g.tokens;
      },
    });
    if (draft.fallback) {
      lm.fallbacks++;
      lm.firstFallback ??= draft.fallback;
    }
    lm.flagged += draft.sections.reduce((k, sec) => k + sec.sentences.filter((x) => x.flags?.length).length, 0);
    const c1 = process.cpuUsage(c0);
    ms += performance.now() - t0;
    cpu += (c1.user + c1.system) / 1000;
    const text = renderDraftText(draft);
    if (options.show?.includes(i)) process.stdout.write(`----- ${e.id}\n${text}\n----- reference\n${e.note}\n-----\n`);
    if (options.misses) {
      for (const m of missTrace(e.dialogue, text, e.note, concepts)) {
        missSteps.set(m.step, (missSteps.get(m.step) ?? 0) + 1);
        process.stdout.write(`${e.id} «${m.concept}» ${m.step} [${m.speaker}] ${m.turn.slice(0, 240)}\n`);
      }
    }
    words += text.split(/\s+/).length;
    spoken += spokenSentenceShare(text).share;
    refSpoken += spokenSentenceShare(e.note).share;
    fragments += fragmentShare(text).share;
    refFragments += fragmentShare(e.note).share;
    const grade = fleschKincaidGrade(instructionsText(text));
    if (grade !== null) grades.push(grade);
    const refGrade = fleschKincaidGrade(instructionsText(e.note));
    if (refGrade !== null) refGrades.push(refGrade);
    r1 += rougeN(text, e.note, 1);
    r2 += rougeN(text, e.note, 2);
    rl += rougeLsum(text, e.note);
    const said = concepts.concepts(e.dialogue);
    const drafted = concepts.concepts(text);
    const reference = concepts.concepts(e.note);
    if (drafted.size) {
      unsupported += [...drafted].filter((c) => !said.has(c)).length / drafted.size;
      withConcepts++;
    }
    if (reference.size) {
      recall += [...reference].filter((c) => drafted.has(c)).length / reference.size;
      withRef++;
    }
  }
  if (options.misses)
    process.stdout.write(
      `misses by step: ${[...missSteps]
        .sort((a, b) => b[1] - a[1])
        .map(([step, k]) => `${step} ${k}`)
        .join(', ')}\n`,
    );
  const n = encounters.length;
  return {
    notes: n,
    rouge1: (100 * r1) / n,
    rouge2: (100 * r2) / n,
    rougeLsum: (100 * rl) / n,
    unsupportedShare: withConcepts ? unsupported / withConcepts : 0,
    conceptRecall: withRef ? recall / withRef : 0,
    msPerNote: ms / n,
    cpuMsPerNote: cpu / n,
    words: words / n,
    spokenShare: spoken / n,
    referenceSpokenShare: refSpoken / n,
    fragmentShare: fragments / n,
    referenceFragmentShare: refFragments / n,
    instructionsGrade: mean(grades),
    referenceInstructionsGrade: mean(refGrades),
    ...(options.model && options.model.engine !== 'builtin'
      ? {
          model: {
            secondsPerNote: ms / 1000 / n,
            tokensPerSecond: lm.seconds ? lm.tokens / lm.seconds : 0,
            fallbacks: lm.fallbacks,
            flaggedSentences: lm.flagged,
            ...(lm.firstFallback ? { firstFallback: lm.firstFallback } : {}),
          },
        }
      : {}),
  };
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

function grade(g: number | null): string {
  return g === null ? 'n/a' : g.toFixed(1);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const split = argv.includes('--split') ? (argv[argv.indexOf('--split') + 1] as 'train' | 'valid') : 'valid';
  const template = argv.includes('--template') ? argv[argv.indexOf('--template') + 1] : undefined;
  const show = argv.includes('--show') ? (argv[argv.indexOf('--show') + 1] ?? '').split(',').map(Number) : undefined;
  const flag = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const engine = (flag('--engine') ?? 'builtin') as DraftEngine;
  const limit = flag('--limit');
  const model: ModelBenchOptions | undefined =
    engine === 'builtin'
      ? undefined
      : {
          engine,
          ...(flag('--model') ? { model: flag('--model')! } : {}),
          ...(flag('--server') ? { server: flag('--server')! } : {}),
          ...(flag('--server-model') ? { serverModel: flag('--server-model')! } : {}),
          ...(limit ? { limit: Number(limit) } : {}),
        };
  const r = await benchDraft({
    split,
    ...(template ? { template } : {}),
    ...(show !== undefined ? { show } : {}),
    ...(argv.includes('--misses') ? { misses: true } : {}),
    ...(model ? { model } : {}),
  });
  process.stdout.write(
    `bench:draft aci-bench ${split} (${r.notes} notes, template ${template ?? 'general-visit'})\n` +
      `  ROUGE-1 ${r.rouge1.toFixed(2)}  ROUGE-2 ${r.rouge2.toFixed(2)}  ROUGE-Lsum ${r.rougeLsum.toFixed(2)}\n` +
      `  unsupported-concept share ${r.unsupportedShare.toFixed(3)}  concept recall ${r.conceptRecall.toFixed(3)}\n` +
      `  spoken-sentence share ${r.spokenShare.toFixed(3)} (reference notes ${r.referenceSpokenShare.toFixed(3)})\n` +
      `  fragment share ${r.fragmentShare.toFixed(3)} (reference notes ${r.referenceFragmentShare.toFixed(3)})\n` +
      `  instructions reading grade (Flesch-Kincaid) ${grade(r.instructionsGrade)} (reference notes ${grade(r.referenceInstructionsGrade)})\n` +
      `  ${r.msPerNote.toFixed(1)} ms per note (wall; ${r.cpuMsPerNote.toFixed(1)} ms CPU), ${r.words.toFixed(0)} words per note\n`,
  );
  if (r.model) {
    process.stdout.write(
      `  engine ${engine}: ${r.model.secondsPerNote.toFixed(2)} s per note, ${r.model.tokensPerSecond.toFixed(1)} tokens/s, ` +
        `${r.model.fallbacks} fallback(s) to the built-in draft, ${r.model.flaggedSentences} flagged sentence(s)\n` +
        (r.model.firstFallback ? `  first fallback: ${r.model.firstFallback}\n` : ''),
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:draft failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
