import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'scribe.mjs');

describe('scribe command', () => {
  it('lists its commands with a summary each', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: scribe <command>/);
    expect(out).toMatch(/\n {2}web +Run Scribe in a browser/);
  });

  it('refuses an unknown or path-like command with exit code 2 and the usage', () => {
    for (const name of ['frobnicate', '../main', 'WEB']) {
      const run = spawnSync(process.execPath, [bin, name], { encoding: 'utf8' });
      expect(run.status, name).toBe(2);
      expect(run.stderr).toMatch(/unknown command/);
    }
  });
});
