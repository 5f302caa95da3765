import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'scribe.mjs');

describe('scribe assets', () => {
  it('installs from a folder with progress, lists it, pins files, and refuses a tampered copy', () => {
    const src = mkdtempSync(path.join(os.tmpdir(), 'scribe-assets-cli-src-'));
    const assets = mkdtempSync(path.join(os.tmpdir(), 'scribe-assets-cli-'));
    const content = 'tokens\n'.repeat(1000);
    writeFileSync(path.join(src, 'tokens.txt'), content);
    const manifest = path.join(src, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        formatVersion: 1,
        assets: [
          {
            name: 'tiny',
            version: '1',
            kind: 'other',
            description: 'test',
            licence: 'CC0',
            pinnedFrom: 'computed by the test',
            source: { url: 'https://example.org', provenance: 'test' },
            files: [{ path: 'tokens.txt', size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') }],
          },
        ],
      }),
    );
    const env = { ...process.env, SCRIBE_ASSETS_DIR: assets, SCRIBE_ASSETS_MANIFEST: manifest };
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'assets', ...args], { env, encoding: 'utf8' });

    expect(run('list').stdout).toMatch(/tiny\s+other\s+1\s+.*missing/);
    const install = run('install', 'tiny', '--from', src);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).toMatch(/tiny: copy 100%/);
    expect(install.stdout).toContain(`tiny: installed in ${path.join(assets, 'tiny')}`);
    expect(run('list').stdout).toMatch(/tiny\s+.*installed/);
    const pinned = JSON.parse(run('pin', '--from', src, 'tokens.txt').stdout) as { sha256: string }[];
    expect(pinned[0]!.sha256).toBe(createHash('sha256').update(content).digest('hex'));

    writeFileSync(path.join(src, 'tokens.txt'), content.replace('tokens', 'Tokens'));
    const refused = run('install', 'tiny', '--from', src);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/sha256 .* does not match the pinned .*nothing was installed/);
    expect(readdirSync(assets)).toEqual(['tiny']);
    expect(run('install', 'nope', '--from', src).stderr).toMatch(/No asset named "nope"/);
    expect(run('install').status).toBe(2);
    expect(existsSync(path.join(assets, 'tiny', 'installed.json'))).toBe(true);
  });
});
