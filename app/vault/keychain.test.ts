import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeychain } from '../secrets/index.ts';
import { openVault } from './index.ts';

/**
 * Against the real OS keychain (gnome-keyring's Secret Service through @napi-rs/keyring). CI runs the suite inside
 * `dbus-run-session` with an unlocked gnome-keyring; locally:
 *   dbus-run-session -- sh -c 'printf "\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run app/vault'
 * Outside such a session these tests are skipped with that hint, except under CI, where they must run.
 */
const haveSession = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const service = `org.scribe.test.${randomBytes(4).toString('hex')}`;

describe.skipIf(!haveSession)('vault with the real OS keychain', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    const keychain = await openKeychain(service);
    for (const account of await keychain.list()) await keychain.delete(account);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the master key in the keychain and only there, across reopen and rotation', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-vault-kc-'));
    dirs.push(dir);
    const keychain = await openKeychain(service);
    expect(keychain.kind).toBe('keychain');
    let vault = await openVault({ dir, secrets: keychain });
    await vault.visit('v1').write('transcript.json', 'the patient reports a cough');
    await vault.visit('v1').appendAudio(Buffer.alloc(32_000, 7));
    const accounts = await keychain.list();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatch(/^vault-master:[0-9a-f]{32}:1$/);
    expect(await readdir(dir)).not.toContain('master.key');

    await vault.rotateMasterKey();
    expect(await keychain.list()).toEqual([accounts[0]!.replace(/:1$/, ':2')]);
    await vault.close();

    vault = await openVault({ dir, secrets: await openKeychain(service) });
    expect((await vault.visit('v1').read('transcript.json'))?.toString()).toBe('the patient reports a cough');
    expect(await vault.visit('v1').audioBytes()).toBe(32_000);
    await vault.shredVisit('v1');
    expect(await keychain.list()).toEqual([accounts[0]!.replace(/:1$/, ':3')]);
    await vault.close();
  });

  it('refuses clearly, in a process whose keychain is unreachable, and writes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'scribe-vault-nokc-'));
    dirs.push(dir);
    const script = `
      import { openKeychain } from './app/secrets/index.ts';
      import { openVault } from './app/vault/index.ts';
      try {
        const secrets = await openKeychain(${JSON.stringify(service)});
        await openVault({ dir: ${JSON.stringify(path.join(dir, 'vault'))}, secrets });
        console.log('OPENED');
      } catch (error) {
        console.log(error.name + ': ' + error.message);
        process.exitCode = 3;
      }`;
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}`, VITEST: '' },
    });
    const outcome = await run.then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    expect(outcome.stdout).not.toContain('OPENED');
    expect(outcome.code).toBe(3);
    expect(outcome.stdout).toMatch(/^KeychainUnavailableError: The OS keychain is not available, so Scribe will not store patient data/m);
    expect(await readdir(dir)).toEqual([]);
  });
});
