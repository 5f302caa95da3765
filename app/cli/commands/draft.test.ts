import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import run from './draft.ts';
import { Draft } from '../../contract/index.ts';
import { aciTrain } from '../../../testing/draft/datasets.ts';

let dir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scribe-draft-'));
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('scribe draft', () => {
  it('prints the note of one ACI-Bench transcript to stdout', async () => {
    const f = join(dir, 'visit.txt');
    writeFileSync(f, aciTrain()[0]!.dialogue);
    expect(await run([f])).toBe(0);
    const md = out.join('');
    expect(md).toMatch(/^## Chief complaint/m);
    expect(md).toMatch(/^## Assessment and plan/m);
  });

  it('writes NAME.md and NAME.json for several files (Doctor:/Patient: text and Transcript JSON)', async () => {
    const a = join(dir, 'a.txt');
    const b = join(dir, 'b.json');
    writeFileSync(
      a,
      'Doctor: What brings you in today?\nPatient: I have had a sore throat for three days.\nDoctor: Any fever?\nPatient: No.',
    );
    writeFileSync(
      b,
      JSON.stringify({
        engine: 'sphinx',
        segments: [{ id: 'q1', start: 0, end: 2, speaker: 'clinician', text: 'your lungs are clear and your heart sounds normal' }],
      }),
    );
    const dest = join(dir, 'notes');
    expect(await run([a, b, '--out', dest, '--json', '--template', 'soap-follow-up'])).toBe(0);
    expect(readFileSync(join(dest, 'a.md'), 'utf8')).toMatch(/## Subjective/);
    const draft = Draft.parse(JSON.parse(readFileSync(join(dest, 'b.json'), 'utf8')));
    expect(draft.template).toBe('soap-follow-up');
    expect(draft.sections.flatMap((s) => s.sentences).every((s) => s.evidence.includes('q1'))).toBe(true);
    expect(existsSync(join(dest, 'b.md'))).toBe(true);
  });

  it('fails clearly on a missing file, bad JSON, an unknown template, or several files without --out', async () => {
    const good = join(dir, 'g.txt');
    writeFileSync(good, '[doctor] any cough ?\n[patient] no .');
    expect(await run([join(dir, 'missing.txt')])).toBe(1);
    expect(err.join('\n')).toMatch(/cannot read/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "engine": ');
    expect(await run([bad])).toBe(1);
    expect(err.join('\n')).toMatch(/does not parse/);
    expect(await run([good, '--template', 'nope'])).toBe(1);
    expect(err.join('\n')).toMatch(/no note template named "nope"/);
    expect(await run([good, good])).toBe(2);
  });
});
