import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Hardware } from '../../draft/index.ts';
import run from './assets.ts';

// The hardware check in `scribe assets list|install` with injected hardware figures: the real manifest
// reader, installer (from a folder, sha256-verified) and fit rule; only the machine's figures are given.

const GB = 1e9;
const laptop: Hardware = { totalMemoryBytes: 8 * GB, freeMemoryBytes: 4 * GB, cores: 4, gpu: false, gpuMemoryBytes: 0 };
const gpuBox: Hardware = { totalMemoryBytes: 8 * GB, freeMemoryBytes: 4 * GB, cores: 8, gpu: 'cuda', gpuMemoryBytes: 12 * GB };
const tiny: Hardware = { totalMemoryBytes: 2 * GB, freeMemoryBytes: 1 * GB, cores: 2, gpu: false, gpuMemoryBytes: 0 };

let dir: string;
let out: string[];
let err: string[];

function pack(name: string, parameters: string, memoryBytes: number, content: string) {
  writeFileSync(path.join(dir, 'src', `${name}.gguf`), content);
  return {
    name,
    version: '1',
    kind: 'llm-model',
    description: 'test model',
    licence: 'CC0',
    pinnedFrom: 'computed by the test',
    source: { url: 'https://example.org', provenance: 'test' },
    files: [{ path: `${name}.gguf`, size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') }],
    llm: { file: `${name}.gguf`, parameters, quantization: 'Q4_K_M', memoryBytes },
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-assets-hw-'));
  mkdirSync(path.join(dir, 'src'));
  const manifest = path.join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      formatVersion: 1,
      assets: [pack('small-4b', '4B', 3.9 * GB, 'GGUF small'), pack('big-8b', '8B', 6.6 * GB, 'GGUF big')],
    }),
  );
  vi.stubEnv('SCRIBE_ASSETS_MANIFEST', manifest);
  vi.stubEnv('SCRIBE_ASSETS_DIR', path.join(dir, 'assets'));
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('scribe assets and the hardware check', () => {
  it('list marks which language models fit and recommends the largest that does', async () => {
    expect(await run(['list'], { hardware: async () => laptop })).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/small-4b .*missing {2}\(recommended for this workstation\)/);
    expect(text).toMatch(/big-8b .*missing {2}\(will not fit this workstation\)/);
    expect(text).toContain(
      'Language models: this workstation has 8.0 GB of memory, 4 cores, no usable GPU. Recommended: small-4b (scribe assets install small-4b).',
    );

    out = [];
    expect(await run(['list'], { hardware: async () => gpuBox })).toBe(0);
    expect(out.join('\n')).toMatch(/big-8b .*\(recommended for this workstation\)/);
    expect(out.join('\n')).toContain('cuda GPU with 12.0 GB');

    out = [];
    expect(await run(['list', '--json'], { hardware: async () => tiny })).toBe(0);
    const listed = JSON.parse(out.join('\n')) as Array<{ name: string; fits: boolean; recommended: boolean; hardwareWarning: string }>;
    expect(listed.map((p) => [p.name, p.fits, p.recommended])).toEqual([
      ['small-4b', false, false],
      ['big-8b', false, false],
    ]);
    expect(listed[0]!.hardwareWarning).toContain('needs about 3.9 GB of memory; this workstation has 2.0 GB and no usable GPU');
  });

  it('says when no pack fits', async () => {
    expect(await run(['list'], { hardware: async () => tiny })).toBe(0);
    expect(out.join('\n')).toContain('No language-model pack fits: draft with the built-in drafter or a practice server.');
  });

  it('install refuses a pack that will not fit, in words, unless --ignore-hardware', async () => {
    const from = path.join(dir, 'src');
    expect(await run(['install', 'big-8b', '--from', from], { hardware: async () => laptop })).toBe(1);
    expect(err.join('\n')).toContain(
      'scribe assets install big-8b: this model will not fit this workstation: it needs about 6.6 GB of memory; this workstation has 8.0 GB and no usable GPU: it will fail to load or be very slow. Nothing was installed; the recommended pack here is small-4b. To install it anyway, add --ignore-hardware.',
    );
    expect(existsSync(path.join(dir, 'assets', 'big-8b'))).toBe(false);

    err = [];
    expect(await run(['install', 'big-8b', '--from', from, '--ignore-hardware'], { hardware: async () => laptop })).toBe(0);
    expect(err.join('\n')).toContain('warning: this model will not fit this workstation');
    expect(out.join('\n')).toContain(`big-8b: installed in ${path.join(dir, 'assets', 'big-8b')}`);

    err = [];
    expect(await run(['install', 'small-4b', '--from', from], { hardware: async () => laptop })).toBe(0);
    expect(err.join('\n')).not.toContain('will not fit');
    expect(await run(['install', 'big-8b', '--from', from], { hardware: async () => gpuBox })).toBe(0);
  });
});
