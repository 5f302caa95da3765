import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScribeError } from '../contract/index.ts';
import type { Draft, DraftSection, Transcript } from '../contract/index.ts';
import { BuiltinDrafter, DEFAULT_SETTINGS, type BuiltinSettings, type DraftContext } from './builtin.ts';
import { loadDrugLexicon, loadTermList } from './drug-names.ts';
import { assertDraftSupported, findEvidenceDefects, type EvidenceDefect } from './evidence-guard.ts';
import { composeModelDraft } from './llm/compose.ts';
import { GenerationError, type ModelGenerator } from './llm/generator.ts';
import { LocalModel } from './llm/local.ts';
import { ServerModel, type ServerModelOptions } from './llm/server.ts';
import type { DrugLexicon } from './rules/medication.ts';
import { loadSectionModel } from './section-model.ts';
import { BUILTIN_TEMPLATES_DIR, DEFAULT_TEMPLATE, readTemplates, type DraftTemplate, type TemplateListing } from './templates.ts';

export { parseTranscriptText } from './transcript-text.ts';
export { renderDraftMarkdown, renderDraftText } from './markdown.ts';
export type { EvidenceDefect, DraftTemplate, TemplateListing, DraftContext, ModelGenerator, ServerModelOptions };
export { unreviewedFlags } from './evidence-guard.ts';
export { LocalModel, ServerModel };
export { GenerationError, type ModelIdentity } from './llm/generator.ts';
export { checkDraftingEngine, type DraftingCheckResult } from './llm/check.ts';
export { describeHardware, packReport, type PackReport } from './llm/model-packs.ts';
export { checkHardware, llmPacks, packFits, recommendPack, resolveModelFile, type Hardware, type PackFit } from './llm/model-packs.ts';
import { resolveModelFile } from './llm/model-packs.ts';
export { DEFAULT_TEMPLATE };

/** What the drafter is asked to do. */
export interface DraftInput {
  transcript: Transcript;
  /** Template name (default general-visit). */
  template?: string;
  /** What the chart already knows. Used only to order/label, never written as if said in the visit. */
  context?: DraftContext;
  /** The previous draft: its sections with edited=true are kept verbatim; its version is incremented. */
  keep?: Draft;
  /** Language-model engines: each section as soon as the model has finished it (the editor shows it). */
  onSection?: (section: DraftSection) => void;
  /** Language-model engines: how long generation took and how many tokens it produced. */
  onGeneration?: (stats: { tokens: number; seconds: number; dropped: number }) => void;
  /** Stops a language-model generation (the built-in draft is returned instead, reason "cancelled"). */
  signal?: AbortSignal;
}

export type DraftEngine = 'builtin' | 'llm' | 'server';
export const DRAFT_ENGINES: readonly DraftEngine[] = ['builtin', 'llm', 'server'];

export interface NoteDrafter {
  readonly engine: DraftEngine;
  /** Drafts a note. Every sentence of a non-edited section cites transcript segments and passes the evidence guard. */
  draft(input: DraftInput): Promise<Draft>;
  /** Defects of any draft against a transcript (empty = may be shown). */
  check(draft: Draft, transcript: Transcript): Promise<EvidenceDefect[]>;
  /** Throws ScribeError('conflict') when a draft states a number, drug, dose or laterality its evidence lacks. */
  assertSupported(draft: Draft, transcript: Transcript): Promise<void>;
}

export interface DrafterOptions {
  engine: DraftEngine;
  /** engine llm: the GGUF file and how to run it. */
  llm?: { modelPath: string; threads?: number; contextSize?: number; cpuOnly?: boolean };
  /** engine server: the practice's OpenAI-compatible server. */
  server?: ServerModelOptions;
  /** A ready generator (tests, a shared loaded model); replaces llm/server. */
  generator?: ModelGenerator;
  /** Longest a language model may take before the built-in draft is shown instead (default 120 s). */
  timeoutMs?: number;
  /** Folder with section-classifier.onnx and drug-names.txt (default: models/drafter of this checkout, or env SCRIBE_DRAFTER_DIR). */
  modelDir?: string;
  /** The clinic's editable templates folder (JSON files; same name overrides a built-in template). */
  templatesDir?: string;
  /** Clock for generatedAt (tests pin it). */
  now?: () => Date;
  settings?: BuiltinSettings;
}

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const ENGINE_VERSION = 'builtin-1';

export function defaultModelDir(): string {
  return process.env['SCRIBE_DRAFTER_DIR'] || join(REPO_ROOT, 'models', 'drafter');
}

export const SECTION_MODEL_FILE = 'section-classifier.onnx';
export const DRUG_NAMES_FILE = 'drug-names.txt';
export const CLINICAL_TERMS_FILE = 'clinical-terms.txt';

/** Templates a clinician can choose from (built-in + the clinic's folder), and files that are broken. */
export function listTemplates(options: { templatesDir?: string } = {}): TemplateListing {
  return readTemplates([BUILTIN_TEMPLATES_DIR, ...(options.templatesDir ? [options.templatesDir] : [])]);
}

function findTemplate(name: string, templatesDir: string | undefined): DraftTemplate {
  const listing = listTemplates(templatesDir ? { templatesDir } : {});
  const t = listing.templates.find((x) => x.name === name);
  if (t) return t;
  const broken = listing.problems.find((p) => p.file.endsWith(`${name}.json`));
  if (broken) throw new ScribeError('bad_request', broken.error);
  throw new ScribeError('not_found', `no note template named "${name}" (have: ${listing.templates.map((x) => x.name).join(', ')})`);
}

export function createDrafter(options: DrafterOptions = { engine: 'builtin' }): NoteDrafter {
  if (!DRAFT_ENGINES.includes(options.engine))
    throw new ScribeError('unsupported', `unknown drafting engine "${String(options.engine)}" (choose ${DRAFT_ENGINES.join(', ')})`);
  const builtin = createBuiltinDrafter(options);
  if (options.engine === 'builtin') return builtin;
  return createModelDrafter(options, builtin);
}

export const DEFAULT_MODEL_TIMEOUT_MS = 120_000;
export const LLM_ENGINE_VERSION = 'node-llama-cpp-3.21.1';
export const SERVER_ENGINE_VERSION = 'openai-compatible-1';

function generatorFor(options: DrafterOptions): ModelGenerator {
  if (options.generator) return options.generator;
  if (options.engine === 'llm') {
    if (!options.llm?.modelPath)
      throw new ScribeError('bad_request', 'the llm engine needs a model: install a model pack or give --model PATH');
    return new LocalModel(options.llm);
  }
  if (!options.server) throw new ScribeError('bad_request', 'the server engine needs a server: give its base URL and model name');
  return new ServerModel(options.server);
}

/** A language-model drafter that falls back to the built-in draft, with the reason in words, on any failure. */
function createModelDrafter(
  options: DrafterOptions,
  builtin: NoteDrafter & { resources(): Promise<{ lexicon: DrugLexicon; clinicalTerms: DrugLexicon }> },
): NoteDrafter {
  const generator = generatorFor(options);
  const now = options.now ?? (() => new Date());
  const engine = options.engine;
  return {
    engine,
    async draft(input) {
      const template = findTemplate(input.template ?? input.keep?.template ?? DEFAULT_TEMPLATE, options.templatesDir);
      const { lexicon, clinicalTerms } = await builtin.resources();
      try {
        const outcome = await composeModelDraft({
          generator,
          template,
          transcript: input.transcript,
          ...(input.context ? { context: input.context } : {}),
          ...(input.keep ? { keep: input.keep } : {}),
          ...(input.signal ? { signal: input.signal } : {}),
          ...(input.onSection ? { onSection: input.onSection } : {}),
          lexicon,
          clinicalTerms,
          generatedAt: now().toISOString(),
          engineVersion: engine === 'llm' ? LLM_ENGINE_VERSION : SERVER_ENGINE_VERSION,
          timeoutMs: options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
        });
        input.onGeneration?.({ tokens: outcome.tokens, seconds: outcome.seconds, dropped: outcome.dropped });
        return outcome.draft;
      } catch (err) {
        const { onSection: _s, signal: _a, ...rest } = input;
        const fallback = await builtin.draft(rest);
        return { ...fallback, fallback: fallbackReason(engine, err) };
      }
    },
    check: builtin.check,
    assertSupported: builtin.assertSupported,
  };
}

function fallbackReason(engine: DraftEngine, err: unknown): string {
  const what = engine === 'llm' ? 'The local language model' : 'The practice language-model server';
  if (err instanceof GenerationError && err.reason === 'cancelled')
    return `Drafting by ${what.replace(/^The/, 'the')} was stopped; nothing it had written was kept. This is the built-in draft.`;
  const message = err instanceof Error ? err.message : String(err);
  return `${what} could not draft this note (${message}); this is the built-in draft.`;
}

function createBuiltinDrafter(
  options: DrafterOptions,
): NoteDrafter & { resources(): Promise<{ lexicon: DrugLexicon; clinicalTerms: DrugLexicon }> } {
  const dir = options.modelDir ?? defaultModelDir();
  const now = options.now ?? (() => new Date());
  type Loaded = { drafter: BuiltinDrafter; lexicon: DrugLexicon; clinicalTerms: DrugLexicon; version: string };
  let ready: Promise<Loaded> | null = null;
  const load = (): Promise<Loaded> => {
    ready ??= (async () => {
      const modelFile = join(dir, SECTION_MODEL_FILE);
      const model = await loadSectionModel(modelFile);
      const lexicon = loadDrugLexicon(join(dir, DRUG_NAMES_FILE));
      const clinicalTerms = loadTermList(join(dir, CLINICAL_TERMS_FILE));
      const hash = existsSync(modelFile) ? createHash('sha256').update(readFileSync(modelFile)).digest('hex').slice(0, 12) : 'none';
      return {
        drafter: new BuiltinDrafter({ model, lexicon, clinicalTerms, settings: options.settings ?? DEFAULT_SETTINGS }),
        lexicon,
        clinicalTerms,
        version: `${ENGINE_VERSION}+${hash}`,
      };
    })();
    ready.catch(() => {
      ready = null;
    });
    return ready;
  };
  return {
    engine: 'builtin',
    async resources() {
      const { lexicon, clinicalTerms } = await load();
      return { lexicon, clinicalTerms };
    },
    async draft(input) {
      const template = findTemplate(input.template ?? input.keep?.template ?? DEFAULT_TEMPLATE, options.templatesDir);
      const { drafter, lexicon, version } = await load();
      const draft = await drafter.compose({
        transcript: input.transcript,
        template,
        ...(input.context ? { context: input.context } : {}),
        ...(input.keep ? { keep: input.keep } : {}),
        generatedAt: now().toISOString(),
        engineVersion: version,
      });
      // The drafter only emits guarded sentences; checking the whole draft again is the guard's promise.
      assertDraftSupported(draft, input.transcript, lexicon);
      return draft;
    },
    async check(draft, transcript) {
      const { lexicon } = await load();
      return findEvidenceDefects(draft, transcript, lexicon);
    },
    async assertSupported(draft, transcript) {
      const { lexicon } = await load();
      assertDraftSupported(draft, transcript, lexicon);
    },
  };
}

/** The keychain account holding the practice server's API key (set in Settings; never in a file). */
export const DRAFTING_SERVER_KEY_ACCOUNT = 'drafting-server-api-key';

export interface DraftingChoice {
  engine: DraftEngine;
  /** llm: a model pack name or a .gguf path. */
  model: string | null;
  server: { baseUrl: string; model: string; allowedPlainHosts?: readonly string[] } | null;
}

/**
 * The drafter a workstation setting asks for. A setting that cannot be honoured (pack not installed,
 * nothing configured) still drafts: the built-in draft, with the reason in words.
 */
export function createDrafterForChoice(
  choice: DraftingChoice,
  options: { templatesDir?: string; apiKey?: string; timeoutMs?: number; threads?: number } = {},
): NoteDrafter {
  const common = {
    ...(options.templatesDir ? { templatesDir: options.templatesDir } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  try {
    if (choice.engine === 'llm') {
      if (!choice.model) throw new Error('no model pack or .gguf file is chosen in Settings');
      return createDrafter({
        ...common,
        engine: 'llm',
        llm: { modelPath: resolveModelFile(choice.model), ...(options.threads ? { threads: options.threads } : {}) },
      });
    }
    if (choice.engine === 'server') {
      if (!choice.server) throw new Error('no practice server is set in Settings');
      return createDrafter({
        ...common,
        engine: 'server',
        server: { ...choice.server, ...(options.apiKey ? { apiKey: options.apiKey } : {}) },
      });
    }
    return createDrafter({ ...common, engine: 'builtin' });
  } catch (err) {
    const builtin = createDrafter({ ...common, engine: 'builtin' });
    const reason = fallbackReason(choice.engine, err);
    return { ...builtin, engine: choice.engine, draft: async (input) => ({ ...(await builtin.draft(input)), fallback: reason }) };
  }
}
