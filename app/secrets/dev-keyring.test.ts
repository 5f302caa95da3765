import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run dev:web` on a machine without a desktop keyring: the development keyring is kept with the data
// folder (private), so a second run finds the vault's master key; tests keep their throw-away keyrings.
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = path.join(repo, 'scripts', 'with-keyring.sh');
const dir = mkdtempSync(path.join(os.tmpdir(), 'scribe-dev-keyring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs node inside scripts/with-keyring.sh as a headless machine would (no desktop D-Bus session). */
function inKeyring(code: string, keyringDir?: string): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['DBUS_SESSION_BUS_ADDRESS'];
  delete env['SCRIBE_PRIVATE_KEYRING'];
  delete env['SCRIBE_KEYRING_DIR'];
  if (keyringDir) env['SCRIBE_KEYRING_DIR'] = keyringDir;
  return execFileSync(script, [process.execPath, '-e', code], { cwd: repo, env, encoding: 'utf8', timeout: 60_000 }).trim();
}

const set = "require('keytar').setPassword('scribe-dev-test','master','k-123').then(() => console.log('set'))";
const get = "require('keytar').getPassword('scribe-dev-test','master').then((v) => console.log(String(v)))";

describe('the development keyring', () => {
  it('kept with the data folder: a second run reads what the first stored; the folder is private', () => {
    const keyring = path.join(dir, 'data', 'dev-keyring');
    expect(inKeyring(set, keyring)).toBe('set');
    expect(inKeyring(get, keyring)).toBe('k-123');
    expect(statSync(keyring).mode & 0o777).toBe(0o700);
  }, 120_000);

  it('throw-away by default (tests): a second run starts with an empty keyring', () => {
    expect(inKeyring(set)).toBe('set');
    expect(inKeyring(get)).toBe('null');
  }, 120_000);
});
