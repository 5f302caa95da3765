import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract } from '../../contract/index.ts';
import type { CoreServices } from '../services.ts';
import { assetsHandlers } from './assets.ts';

const saved = { dir: process.env.SCRIBE_ASSETS_DIR, manifest: process.env.SCRIBE_ASSETS_MANIFEST };
afterEach(() => {
  for (const [key, value] of [
    ['SCRIBE_ASSETS_DIR', saved.dir],
    ['SCRIBE_ASSETS_MANIFEST', saved.manifest],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('assets.list', () => {
  it('lists the manifest packs with their state and the command that installs them, without paths', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-assets-list-'));
    process.env.SCRIBE_ASSETS_DIR = dir;
    const list = await assetsHandlers({} as CoreServices)['assets.list']({}, { user: null });
    const parsed = contract['assets.list'].output.parse(list);
    const terminology = parsed.find((a) => a.name === 'terminology');
    expect(terminology).toMatchObject({ kind: 'terminology', state: 'missing', installCommand: 'scribe assets install terminology' });
    expect(JSON.stringify(list)).not.toContain(dir);
  });

  it('fails clearly on a broken manifest', async () => {
    const manifest = path.join(mkdtempSync(path.join(os.tmpdir(), 'scribe-manifest-')), 'manifest.json');
    writeFileSync(manifest, '{"formatVersion": 2}');
    process.env.SCRIBE_ASSETS_MANIFEST = manifest;
    await expect(async () => assetsHandlers({} as CoreServices)['assets.list']({}, { user: null })).rejects.toThrow(
      /asset manifest .* is invalid/,
    );
  });
});
