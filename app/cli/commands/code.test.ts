import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodingHint } from '../../contract/index.ts';
import { testTerminologyAssets } from '../../../testing/coding/terminology.ts';
import { readCodingInput } from './code.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'scribe.mjs');
let env: NodeJS.ProcessEnv;
const dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-code-cli-'));

beforeAll(async () => {
  env = { ...process.env, SCRIBE_ASSETS_DIR: (await testTerminologyAssets()).assetsDir };
}, 300_000);

describe('scribe code', () => {
  it('prints ranked hints with code, display, confidence and evidence offsets for a note', () => {
    const note = path.join(dir, 'note.txt');
    writeFileSync(
      note,
      'ASSESSMENT AND PLAN\n1. Hypertension. Denies chest pain.\n2. Type 2 diabetes with hyperglycemia.\nContinue lisinopril 20 mg daily. BP 142/90.\n',
    );
    const out = execFileSync(process.execPath, [bin, 'code', note, '--top', '5'], { env, encoding: 'utf8' });
    expect(out).toMatch(/ICD-10-CM\n\s+E11\.65\s+0\.\d\d\s+Type 2 diabetes mellitus with hyperglycemia/);
    expect(out).toMatch(/I10\s+0\.\d\d\s+Essential \(primary\) hypertension\n\s+"Hypertension" \(text:assessment-and-plan @\d+-\d+\)/);
    expect(out).toMatch(/RxNorm\n\s+314077 .*lisinopril 20 MG Oral Tablet/);
    expect(out).toMatch(/8480-6 .*Systolic blood pressure = 142 mm\[Hg\]/);
    expect(out).not.toMatch(/R07/);
  });

  it('reads a dialogue transcript and prints JSON hints', () => {
    const file = path.join(dir, 'dialogue.txt');
    writeFileSync(
      file,
      '[doctor] how is your blood pressure?\n[patient] i have hypertension and take lisinopril 10 mg.\n[patient] my father had diabetes.\n',
    );
    const hints = JSON.parse(execFileSync(process.execPath, [bin, 'code', file, '--json'], { env, encoding: 'utf8' })) as unknown[];
    const parsed = hints.map((h) => CodingHint.parse(h));
    const htn = parsed.find((h) => h.code === 'I10')!;
    expect(htn.evidence).toMatchObject({ source: 'transcript', segmentIds: ['t2'] });
    expect(parsed.some((h) => h.code?.startsWith('E11'))).toBe(false);
  });

  it('refuses bad arguments and unreadable or malformed files with clear errors', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"visit": ');
    for (const [args, pattern, status] of [
      [['code'], /Usage: scribe code FILE/, 2],
      [['code', bad], /looks like JSON but does not parse/, 1],
      [['code', path.join(dir, 'missing.txt')], /cannot read/, 1],
      [['code', bad, '--top', 'zero'], /--top must be a whole number/, 2],
    ] as const) {
      const run = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
      expect(run.status, args.join(' ')).toBe(status);
      expect(run.stderr).toMatch(pattern);
    }
    const none = spawnSync(process.execPath, [bin, 'code', bad], { env: { ...env, SCRIBE_ASSETS_DIR: dir }, encoding: 'utf8' });
    expect(none.stderr).toMatch(/not installed|does not parse/);
  });

  it('recognizes Draft, Transcript and Visit JSON', () => {
    const transcript = { engine: 'x', segments: [{ id: 'a', start: 0, end: 1, text: 'hypertension' }] };
    expect(readCodingInput(JSON.stringify(transcript)).transcript?.segments).toHaveLength(1);
    const draft = {
      template: 't',
      engine: 'e',
      engineVersion: '1',
      generatedAt: '2026-01-01',
      version: 1,
      sections: [{ id: 'ap', title: 'Plan', text: 'HTN', sentences: [] }],
    };
    expect(readCodingInput(JSON.stringify(draft)).draft?.sections[0]!.text).toBe('HTN');
    expect(() => readCodingInput('{"x": 1}')).toThrow(/neither a Visit, a Draft nor a Transcript/);
    expect(readCodingInput('Plain note.').text).toBe('Plain note.');
  });
});
