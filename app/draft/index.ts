import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScribeError } from '../contract/index.ts';
import type { Draft, Transcript } from '../contract/index.ts';
import { BuiltinDrafter, DEFAULT_SETTINGS, type BuiltinSettings, type DraftContext } from './builtin.ts';
import { loadDrugLexicon, loadTermList } from './drug-names.ts';
import { assertDraftSupported, findEvidenceDefects, type EvidenceDefect } from './evidence-guard.ts';
import type { DrugLexicon } from './rules/medication.ts';
import { loadSectionModel } from './section-model.ts';
import { BUILTIN_TEMPLATES_DIR, DEFAULT_TEMPLATE, readTemplates, type DraftTemplate, type TemplateListing } from './templates.ts';

export { parseTranscriptText } from './transcript-text.ts';
export { renderDraftMarkdown, renderDraftText } from './markdown.ts';
export type { EvidenceDefect, DraftTemplate, TemplateListing, DraftContext };
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
}

export interface NoteDrafter {
  readonly engine: 'builtin';
  /** Drafts a note. Every sentence of a non-edited section cites transcript segments and passes the evidence guard. */
  draft(input: DraftInput): Promise<Draft>;
  /** Defects of any draft against a transcript (empty = may be shown). */
  check(draft: Draft, transcript: Transcript): Promise<EvidenceDefect[]>;
  /** Throws ScribeError('conflict') when a draft states a number, drug, dose or laterality its evidence lacks. */
  assertSupported(draft: Draft, transcript: Transcript): Promise<void>;
}

export interface DrafterOptions {
  engine: 'builtin';
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
  if (options.engine !== 'builtin') throw new ScribeError('unsupported', `unknown drafting engine "${String(options.engine)}"`);
  const dir = options.modelDir ?? defaultModelDir();
  const now = options.now ?? (() => new Date());
  let ready: Promise<{ drafter: BuiltinDrafter; lexicon: DrugLexicon; version: string }> | null = null;
  const load = (): Promise<{ drafter: BuiltinDrafter; lexicon: DrugLexicon; version: string }> => {
    ready ??= (async () => {
      const modelFile = join(dir, SECTION_MODEL_FILE);
      const model = await loadSectionModel(modelFile);
      const lexicon = loadDrugLexicon(join(dir, DRUG_NAMES_FILE));
      const clinicalTerms = loadTermList(join(dir, CLINICAL_TERMS_FILE));
      const hash = existsSync(modelFile) ? createHash('sha256').update(readFileSync(modelFile)).digest('hex').slice(0, 12) : 'none';
      return { drafter: new BuiltinDrafter({ model, lexicon, clinicalTerms, settings: options.settings ?? DEFAULT_SETTINGS }), lexicon, version: `${ENGINE_VERSION}+${hash}` };
    })();
    ready.catch(() => {
      ready = null;
    });
    return ready;
  };
  return {
    engine: 'builtin',
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
