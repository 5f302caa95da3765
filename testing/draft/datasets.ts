import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAciBench, sharedDir, type AciEncounter } from '../../app/draft/training-data.ts';

/** Test access to the shared public data (../shared or SCRIBE_SHARED_DIR). */
export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const SHARED = sharedDir(REPO);

let cache: AciEncounter[] | null = null;
export function aciTrain(): AciEncounter[] {
  cache ??= readAciBench(SHARED, 'train');
  return cache;
}

/** The transcript line (without its [speaker] tag) of an ACI-Bench train encounter that matches. */
export function aciLine(encounterId: string, pattern: RegExp): string {
  const e = aciTrain().find((x) => x.id === encounterId);
  if (!e) throw new Error(`encounter ${encounterId} not in ACI-Bench train`);
  const line = e.dialogue.split('\n').find((l) => pattern.test(l));
  if (!line) throw new Error(`no line matching ${pattern} in ${encounterId}`);
  return line.replace(/^\[[a-z_]+\]\s*/, '');
}

/** The line after the one matching (the answer to a question). */
export function aciNextLine(encounterId: string, pattern: RegExp): string {
  const e = aciTrain().find((x) => x.id === encounterId)!;
  const lines = e.dialogue.split('\n');
  const i = lines.findIndex((l) => pattern.test(l));
  if (i < 0 || i + 1 >= lines.length) throw new Error(`no line after ${pattern} in ${encounterId}`);
  return lines[i + 1]!.replace(/^\[[a-z_]+\]\s*/, '');
}
