import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openKeychain } from '../secrets/index.ts';
import { openVault } from './index.ts';

// #15: a directory fsync that fails during master-key rotation (after the keyring's rename) used to make
// the rotation delete the NEW master key although the keyring on disk was already sealed under it: the
// vault became unreadable. Real keychain (scripts/with-keyring.sh), real vault; only the fsync fails.

const faults = vi.hoisted(() => ({ failDirectorySync: false }));
vi.mock('./atomic-file.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./atomic-file.ts')>();
  const { open, rename, rm: remove } = await import('node:fs/promises');
  const { randomBytes: random } = await import('node:crypto');
  return {
    ...original,
    async writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
      const tmp = `${file}.tmp-${random(6).toString('hex')}`;
      const handle = await open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await remove(tmp, { force: true });
        throw error;
      }
      await handle.close();
      await rename(tmp, file);
      if (faults.failDirectorySync) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      await original.syncDirectory(path.dirname(file));
    },
  };
});

describe('master-key rotation when the directory fsync fails', () => {
  const service = `org.scribe.test.rotate-${randomBytes(4).toString('hex')}`;
  let dir = '';
  afterAll(async () => {
    const keychain = await openKeychain(service);
    for (const account of await keychain.list()) await keychain.delete(account);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the key the keyring is sealed under: the vault stays readable, now and after reopening', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-rotate-fsync-'));
    const secrets = await openKeychain(service);
    const vault = await openVault({ dir, secrets });
    await vault.visit('v-1').write('visit.json', Buffer.from('{"patient":"Ada Lovelace"}'));
    faults.failDirectorySync = true;
    await expect(vault.rotateMasterKey()).rejects.toThrow(/EIO/);
    faults.failDirectorySync = false;
    expect((await vault.visit('v-1').read('visit.json'))?.toString()).toContain('Ada Lovelace');
    await vault.close();
    const reopened = await openVault({ dir, secrets });
    expect((await reopened.visit('v-1').read('visit.json'))?.toString()).toContain('Ada Lovelace');
    // The unused old master is forgotten at the open: exactly one master key of this vault remains.
    expect((await secrets.list()).filter((a) => a.startsWith('vault-master:'))).toHaveLength(1);
    await reopened.close();
  });
});
