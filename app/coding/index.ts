import { statSync } from 'node:fs';
import path from 'node:path';
import { INSTALL_RECORD, installAsset, requireAsset, type AssetLocation, type InstallOptions } from '../assets/index.ts';
import type { CodingHint } from '../contract/index.ts';
import { compileTerminologyIndex, hasCurrentIndex, INDEX_FILE } from './compile.ts';
import { suggestWith, type SuggestInput, type SuggestOptions } from './suggest.ts';
import { Terminology, type CodeSearchResult } from './terminology.ts';

/**
 * Auto-coding hints: ICD-10-CM diagnoses, RxNorm medications and LOINC vital signs, each with its
 * evidence, confidence and reason; and type-ahead search over every ICD-10-CM code.
 * The terminology comes from the `terminology` asset pack, compiled once into index.sqlite.
 */

export { Terminology, type CodeSearchResult } from './terminology.ts';
export type { SuggestInput, SuggestOptions } from './suggest.ts';
export {
  acceptedDiagnoses,
  createCodingService,
  diagnosisSectionText,
  type CodingService,
} from './service.ts';

export const TERMINOLOGY_ASSET = 'terminology';

/** Compiles the index inside a verified, staged terminology pack (the installer's prepare step). */
export async function prepareTerminology(stagedDir: string): Promise<void> {
  compileTerminologyIndex(stagedDir);
}

/** `scribe assets install terminology [--from DIR]`: copy/download, verify, compile, swap into place. */
export function installTerminology(options: Omit<InstallOptions, 'prepare'> = {}): Promise<string> {
  return installAsset(TERMINOLOGY_ASSET, { ...options, prepare: prepareTerminology });
}

const opened = new Map<string, { terminology: Terminology; stamp: number }>();

/** Changes when the pack is reinstalled (its folder is swapped in with a new install record and index). */
function installStamp(folder: string): number {
  try {
    return statSync(path.join(folder, INSTALL_RECORD)).mtimeMs + statSync(path.join(folder, INDEX_FILE)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Opens the compiled terminology of an installed pack (default: the installed `terminology` asset;
 * throws "not installed — run `scribe assets install terminology`" when missing). An index of an older
 * format is rebuilt once. Instances are shared per folder and reopened after a reinstall.
 */
export function loadTerminology(dir?: string, location: AssetLocation = {}): Terminology {
  const folder = dir ?? requireAsset(TERMINOLOGY_ASSET, location);
  const stamp = installStamp(folder);
  const cached = opened.get(folder);
  if (cached && cached.stamp === stamp) return cached.terminology;
  // After a reinstall the old instance is left to whoever still holds it (its file stays readable until closed).
  if (!hasCurrentIndex(folder)) compileTerminologyIndex(folder);
  const terminology = new Terminology(folder);
  opened.set(folder, { terminology, stamp: installStamp(folder) });
  return terminology;
}

export interface CodingOptions extends SuggestOptions {
  terminology?: Terminology;
}

/** Ranked coding hints for a draft and/or transcript, or a note's text. */
export function suggestCodes(input: SuggestInput, options: CodingOptions = {}): CodingHint[] {
  return suggestWith(options.terminology ?? loadTerminology(), input, options);
}

/** Type-ahead over all ICD-10-CM codes (FY2027 additions included, deletions never). */
export function searchCodes(query: string, options: { limit?: number; terminology?: Terminology } = {}): CodeSearchResult[] {
  return (options.terminology ?? loadTerminology()).searchCodes(query, options);
}
