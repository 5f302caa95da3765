import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { openKeychain } from './index.ts';

/**
 * Against the real OS keychain (gnome-keyring's Secret Service). Run inside `scripts/with-keyring.sh`
 * (CI does); outside a D-Bus session these tests are skipped, except under CI, where they must run.
 */
const haveSession = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);
const service = `org.scribe.test.secrets.${randomBytes(4).toString('hex')}`;
const require = createRequire(import.meta.url);

/** The archived binding an older Scribe stored its keys with (an optional dependency, kept to read them). */
interface Keytar {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
}

describe.skipIf(!haveSession)('the keychain through @napi-rs/keyring', () => {
  afterAll(async () => {
    const keychain = await openKeychain(service);
    for (const account of await keychain.list()) await keychain.delete(account);
  });

  it('stores, reads, lists and deletes a secret in the Secret Service', async () => {
    const keychain = await openKeychain(service);
    expect(keychain.kind).toBe('keychain');
    expect(await keychain.get('a')).toBeNull();
    await keychain.set('a', 'first');
    await keychain.set('b', 'second');
    await keychain.set('a', 'first, replaced');
    expect(await keychain.get('a')).toBe('first, replaced');
    expect(await keychain.list()).toEqual(['a', 'b']);
    expect(await (await openKeychain(service)).get('b')).toBe('second');
    expect(await keychain.delete('a')).toBe(true);
    expect(await keychain.delete('a')).toBe(false);
    expect(await keychain.list()).toEqual(['b']);
  });

  it('carries over keys an older installation stored with keytar, and removes the old entries', async () => {
    const keytar = require('keytar') as Keytar;
    const legacyService = `${service}.legacy`;
    const master = 'vault-master:00112233445566778899aabbccddeeff:3';
    const token = 'smart-refresh-token:https://ehr.example|scribe';
    const masterKey = randomBytes(32).toString('base64');
    await keytar.setPassword(legacyService, master, masterKey);
    await keytar.setPassword(legacyService, token, '{"refreshToken":"r1"}');
    await keytar.setPassword(legacyService, 'signed-out', 'stale');

    const keychain = await openKeychain(legacyService);
    try {
      // The new binding cannot see keytar's items by itself (different Secret Service attributes).
      expect(await keychain.list()).toEqual([]);
      expect(await keychain.get(master)).toBe(masterKey);
      expect(await keychain.get(token)).toBe('{"refreshToken":"r1"}');
      expect(await keychain.list()).toEqual([token, master].sort());
      expect(await keytar.getPassword(legacyService, master)).toBeNull();
      expect(await keytar.getPassword(legacyService, token)).toBeNull();
      // A later process reads the carried-over key from the new binding.
      expect(await (await openKeychain(legacyService)).get(master)).toBe(masterKey);
      // Deleting a key never read since removes the old entry too, so it cannot come back.
      expect(await keychain.delete('signed-out')).toBe(true);
      expect(await keytar.getPassword(legacyService, 'signed-out')).toBeNull();
      expect(await keychain.get('signed-out')).toBeNull();
    } finally {
      for (const account of await keychain.list()) await keychain.delete(account);
    }
  });
});
