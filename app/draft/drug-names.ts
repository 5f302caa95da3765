import { existsSync, readFileSync } from 'node:fs';
import { ScribeError } from '../contract/index.ts';
import { DrugLexicon } from './rules/medication.ts';

/**
 * Loads the drug-name lexicon the trainer writes (models/drafter/drug-names.txt: one lowercase name a line,
 * from RxNorm ingredients/brands and the ICD-10-CM Table of Drugs, filtered of everyday words).
 */
export function loadDrugLexicon(file: string): DrugLexicon {
  return loadTermList(file);
}

/** A one-name-a-line term list (drug names, clinical terms) as a longest-match lexicon. */
export function loadTermList(file: string): DrugLexicon {
  if (!existsSync(file)) throw new ScribeError('unavailable', `the term list ${file} is missing: run \`npm run train:drafter\``);
  return new DrugLexicon(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
  );
}
