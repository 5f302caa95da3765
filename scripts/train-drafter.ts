/**
 * npm run train:drafter — trains the builtin drafter's utterance -> section classifier from public data and
 * writes models/drafter/{section-classifier.onnx, drug-names.txt, MODEL_CARD.md}.
 *
 * Data: ../shared/data/aci-bench (train split) and ../shared/data/mts-dialog (training set), both CC BY 4.0;
 * drug names from ../shared/terminology (RxNorm prescribable, ICD-10-CM Table of Drugs). SCRIBE_SHARED_DIR
 * overrides where ../shared is. Reproducible: fixed seed, stable ordering, no timestamps, so two runs give the
 * same bytes.
 *
 * Flags: --out DIR (default models/drafter), --epochs N, --quick (small config, for the reproducibility test),
 *        --no-card (skip the model card's draft-quality scores).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FEATURE_DIM, SECTION_CLASSES, utteranceFeatures, type SectionClass } from '../app/draft/features.ts';
import { encodeSectionModel } from '../app/draft/onnx-file.ts';
import { ConceptMatcher } from '../bench/draft-metrics.ts';
import { readTsv } from '../app/coding/compile.ts';
import { referenceProbabilities } from '../app/draft/section-model.ts';
import type { ClassScores } from './drafter-model-card.ts';
import {
  buildIdf,
  labelDialogue,
  MTS_SECTION_CLASS,
  noteSectionsByClass,
  readAciBench,
  readMtsDialog,
  sharedDir,
  STOPWORDS,
  type LabelledUtterance,
} from '../app/draft/training-data.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

export interface TrainOptions {
  shared: string;
  out: string;
  epochs: number;
  /** Use only this many ACI-Bench / MTS-Dialog items (the quick reproducibility config). */
  limit?: number;
  seed: number;
}

interface Example {
  ids: number[];
  weights: number[];
  label: number;
  /** How much the example counts (MTS-Dialog snippets count less: they lack visit position and mix sections). */
  sampleWeight: number;
}

/** Weight of MTS-Dialog examples relative to ACI-Bench ones. */
export const MTS_WEIGHT = 0.3;

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

export function toExamples(labelled: LabelledUtterance[]): Example[] {
  return labelled.map((l) => {
    const f = utteranceFeatures(l.utterance, l.withPosition);
    return { ids: f.ids, weights: f.weights, label: SECTION_CLASSES.indexOf(l.label), sampleWeight: l.withPosition ? 1 : MTS_WEIGHT };
  });
}

export function labelledData(shared: string, limit?: number): { train: LabelledUtterance[]; valid: LabelledUtterance[] } {
  const aciTrain = readAciBench(shared, 'train').slice(0, limit);
  const aciValid = readAciBench(shared, 'valid');
  const mts = readMtsDialog(shared).slice(0, limit === undefined ? undefined : limit * 10);
  const idf = buildIdf([...aciTrain.map((e) => e.dialogue), ...mts.map((m) => m.dialogue)]);
  const train: LabelledUtterance[] = [];
  for (const e of aciTrain) train.push(...labelDialogue(e.dialogue, noteSectionsByClass(e.note), idf, true));
  for (const m of mts) {
    const cls = MTS_SECTION_CLASS[m.section];
    if (!cls) continue;
    train.push(...labelDialogue(m.dialogue, new Map<SectionClass, string>([[cls, m.sectionText]]), idf, false));
  }
  const valid: LabelledUtterance[] = [];
  for (const e of aciValid) valid.push(...labelDialogue(e.dialogue, noteSectionsByClass(e.note), idf, true));
  return { train, valid };
}

/** Multinomial logistic regression by SGD in a seeded order (float64 arithmetic, then rounded to float32). */
export function trainSectionWeights(
  examples: Example[],
  epochs: number,
  seed: number,
  baseRate = 0.5,
): { weights: Float32Array; bias: Float32Array } {
  const k = SECTION_CLASSES.length;
  const W = new Float64Array(FEATURE_DIM * k);
  const b = new Float64Array(k);
  const counts = new Array<number>(k).fill(0);
  for (const e of examples) counts[e.label]!++;
  // Balance classes softly: rare sections weigh more, 'none' (the bulk) less.
  const classWeight = counts.map((c) => (c === 0 ? 0 : Math.min(4, Math.sqrt(examples.length / (k * c)))));
  const random = mulberry32(seed);
  const order = examples.map((_, i) => i);
  const l2 = 1e-6;
  const logits = new Float64Array(k);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = baseRate / (1 + 0.5 * epoch);
    for (const idx of order) {
      const e = examples[idx]!;
      for (let c = 0; c < k; c++) logits[c] = b[c]!;
      for (let j = 0; j < e.ids.length; j++) {
        const row = e.ids[j]! * k;
        const w = e.weights[j]!;
        for (let c = 0; c < k; c++) logits[c] = logits[c]! + W[row + c]! * w;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logits[c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) {
        logits[c] = Math.exp(logits[c]! - max);
        sum += logits[c]!;
      }
      const cw = classWeight[e.label]! * e.sampleWeight;
      for (let c = 0; c < k; c++) {
        const g = cw * (logits[c]! / sum - (c === e.label ? 1 : 0));
        b[c] = b[c]! - lr * g * 0.1;
        for (let j = 0; j < e.ids.length; j++) {
          const at = e.ids[j]! * k + c;
          W[at] = W[at]! - lr * (g * e.weights[j]! + l2 * W[at]!);
        }
      }
    }
  }
  return { weights: Float32Array.from(W), bias: Float32Array.from(b) };
}

export function scoreClassifier(weights: Float32Array, bias: Float32Array, examples: Example[]): ClassScores {
  const k = SECTION_CLASSES.length;
  const tp = new Array<number>(k).fill(0);
  const fp = new Array<number>(k).fill(0);
  const fn = new Array<number>(k).fill(0);
  let correct = 0;
  for (const e of examples) {
    const p = referenceProbabilities(weights, bias, { ids: e.ids, weights: e.weights });
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c]! > p[best]!) best = c;
    if (best === e.label) {
      correct++;
      tp[best]!++;
    } else {
      fp[best]!++;
      fn[e.label]!++;
    }
  }
  const perClass = SECTION_CLASSES.map((cls, c) => {
    const precision = tp[c]! + fp[c]! === 0 ? 0 : tp[c]! / (tp[c]! + fp[c]!);
    const recall = tp[c]! + fn[c]! === 0 ? 0 : tp[c]! / (tp[c]! + fn[c]!);
    return {
      cls,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      support: tp[c]! + fn[c]!,
    };
  });
  return { accuracy: examples.length ? correct / examples.length : 0, perClass, macroF1: perClass.reduce((s, x) => s + x.f1, 0) / k };
}

/** Drug names for recognition: RxNorm ingredients and brands, ICD-10-CM drug-table substances (1-3 words). */
export function buildDrugNames(shared: string): string[] {
  const ingredients = new Set<string>();
  const others = new Set<string>();
  const norm = (raw: string): string | null => {
    const n = raw
      .toLowerCase()
      .replace(/\([^)]*\)/g, ' ')
      .replace(/[^a-z0-9 -]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    const words = n.split(' ');
    if (n.length < 4 || words.length > 3 || STOPWORDS.has(n) || EVERYDAY.has(n) || /^\d/.test(n)) return null;
    return n;
  };
  for (const row of readTsv(join(shared, 'terminology', 'medications-rxnorm.tsv'))) {
    const n = norm(row['name'] ?? '');
    if (n) (row['name_type'] === 'ingredient' ? ingredients : others).add(n);
  }
  for (const row of readTsv(join(shared, 'terminology', 'icd10cm-drug-table.tsv'))) {
    const n = row['level'] === '0' ? norm(row['term'] ?? '') : null;
    if (n) others.add(n);
  }
  for (const raw of COMMON_DRUGS_NOT_IN_SOURCES) {
    const n = norm(raw);
    if (n) ingredients.add(n);
  }
  // Brand and drug-table names that are everyday words ("correct", "perform", "cardiac") are spoken in many visits
  // without meaning a drug: a name (not an ingredient) heard in 1% or more of the training conversations is dropped.
  const dialogues = [...readAciBench(shared, 'train').map((e) => e.dialogue), ...readMtsDialog(shared).map((m) => m.dialogue)];
  const df = new Map<string, number>();
  for (const d of dialogues) {
    const tokens = d
      .toLowerCase()
      .replace(/[^a-z0-9 -]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    const grams = new Set<string>();
    for (let i = 0; i < tokens.length; i++)
      for (let k = 1; k <= 3 && i + k <= tokens.length; k++) grams.add(tokens.slice(i, i + k).join(' '));
    for (const g of grams) if (others.has(g)) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const names = new Set(ingredients);
  for (const n of others) if ((df.get(n) ?? 0) < dialogues.length * 0.01) names.add(n);
  return [...names].sort();
}

/**
 * Common outpatient drugs the shared terminology lacks (its RxNorm snapshot misses ingredients starting with
 * "A" and their brands; see ../shared/terminology/SOURCES.md). Typed from public drug labelling.
 */
const COMMON_DRUGS_NOT_IN_SOURCES = (
  'amlodipine atorvastatin apixaban aripiprazole alendronate allopurinol alprazolam anastrozole azithromycin acyclovir ' +
  'adalimumab amitriptyline amiodarone amoxicillin albuterol aspirin acetaminophen atenolol azelastine adapalene ' +
  'norvasc lipitor amoxil augmentin abilify tylenol zithromax proair ventolin eliquis humira keflex flexeril xanax ' +
  'zoloft ativan adderall advil aleve ambien aricept flonase zyrtec claritin allegra synthroid coumadin xarelto plavix ' +
  'januvia ozempic jardiance farxiga trulicity lantus humalog novolog toradol medrol zofran protonix prilosec nexium ' +
  'pepcid lexapro prozac wellbutrin cymbalta effexor neurontin lyrica mobic celebrex ultram norco percocet valtrex fosamax'
).split(' ');

/**
 * Specific clinical terms (ICD-10-CM index main terms and first-level subterms, RxNorm ingredients, drug-table
 * substances; at most 3 words; not in more than a quarter of the training notes): sentences naming them are
 * salient. The list is built from terminology and training notes only.
 */
export function buildClinicalTerms(shared: string): string[] {
  const notes = readAciBench(shared, 'train').map((e) => e.note);
  return [...ConceptMatcher.fromTerminology(join(shared, 'terminology'), notes).terms].sort();
}

/** Everyday words that the drug table lists as substances: not drug names in a visit's conversation. */
const EVERYDAY = new Set(
  (
    'water air food coffee tea milk salt sugar soap paint wood smoke gas dust glue ink oil wine beer alcohol tobacco ' +
    'plant plants grass fish meat bread rice fruit vegetable cola soda juice honey corn wheat oats cotton paper ' +
    'plastic rubber glass metal iron steel lead silver gold copper tin zinc nickel acid base sand clay stone rock ' +
    'dirt mud snow ice fire heat cold light color dye hair nail nails skin bone blood urine stool sweat tears ' +
    'help care relief advance alert bonine control daily dawn day night complete simple total balance cure clear ' +
    'fresh pure quick rapid smart sleep calm energy focus prime plus ultra max extra super natural active basic ' +
    'cool warm hot pain aches allergy cough cold flu sinus stress tired rest dragon dax today black white yellow cardiac ' +
    'correct perform hormone liver ovarian spray tablets tablet tear intravenous oxygen my way ferritin vitamin'
  ).split(' '),
);

function parseArgs(argv: string[]): { out: string; epochs: number; quick: boolean; card: boolean } {
  let out = join(REPO_ROOT, 'models', 'drafter');
  let epochs = 10;
  let quick = false;
  let card = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = resolve(argv[++i] ?? out);
    else if (a === '--epochs') epochs = Number(argv[++i] ?? epochs);
    else if (a === '--quick') quick = true;
    else if (a === '--no-card') card = false;
  }
  return { out, epochs, quick, card };
}

export async function train(
  options: TrainOptions,
): Promise<{ modelSha256: string; valid: ClassScores; trainCount: number; validCount: number; labelCounts: Record<string, number> }> {
  const { train: trainSet, valid: validSet } = labelledData(options.shared, options.limit);
  const trainExamples = toExamples(trainSet);
  const validExamples = toExamples(validSet);
  const { weights, bias } = trainSectionWeights(trainExamples, options.epochs, options.seed);
  const valid = scoreClassifier(weights, bias, validExamples);
  const bytes = encodeSectionModel(
    { weights, bias },
    `Scribe utterance-to-section classifier (multinomial logistic regression over ${FEATURE_DIM} hashed features). ` +
      'Trained on ACI-Bench train and MTS-Dialog train (CC BY 4.0).',
  );
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'section-classifier.onnx'), bytes);
  writeFileSync(join(options.out, 'drug-names.txt'), `${buildDrugNames(options.shared).join('\n')}\n`);
  writeFileSync(join(options.out, 'clinical-terms.txt'), `${buildClinicalTerms(options.shared).join('\n')}\n`);
  const labelCounts: Record<string, number> = {};
  for (const l of trainSet) labelCounts[l.label] = (labelCounts[l.label] ?? 0) + 1;
  return {
    modelSha256: createHash('sha256').update(bytes).digest('hex'),
    valid,
    trainCount: trainExamples.length,
    validCount: validExamples.length,
    labelCounts,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const shared = sharedDir(REPO_ROOT);
  const started = Date.now();
  const result = await train({
    shared,
    out: args.out,
    epochs: args.quick ? 2 : args.epochs,
    seed: 20261125,
    ...(args.quick ? { limit: 5 } : {}),
  });
  process.stdout.write(
    `trained on ${result.trainCount} sentences in ${((Date.now() - started) / 1000).toFixed(1)} s; valid accuracy ${(result.valid.accuracy * 100).toFixed(1)}%, macro-F1 ${(result.valid.macroF1 * 100).toFixed(1)}\n`,
  );
  for (const c of result.valid.perClass)
    process.stdout.write(
      `  ${c.cls.padEnd(8)} P ${(c.precision * 100).toFixed(1)} R ${(c.recall * 100).toFixed(1)} F1 ${(c.f1 * 100).toFixed(1)} (n=${c.support})\n`,
    );
  process.stdout.write(`section-classifier.onnx sha256 ${result.modelSha256}\n`);
  if (args.card && !args.quick) {
    const { writeModelCard } = await import('./drafter-model-card.ts');
    await writeModelCard({ out: args.out, shared, result });
    process.stdout.write(`model card written to ${join(args.out, 'MODEL_CARD.md')}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`train:drafter failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
