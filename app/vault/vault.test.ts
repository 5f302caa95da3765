import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySecretStore, type SecretStore } from '../secrets/index.ts';
import { AUDIO_RECORD, VaultIntegrityError, VaultKeyMissingError, openVault, type Vault } from './index.ts';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(entry.parentPath ?? dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

/** The one audio file of the vault (the only file starting with the audio magic). */
async function audioFileOf(dir: string): Promise<string> {
  for (const file of await filesUnder(dir)) {
    if ((await readFile(file)).subarray(0, 8).toString('ascii') === 'SCRIBEA1') return file;
  }
  throw new Error('no audio file');
}

function pcmSecond(seed: number): Buffer {
  const pcm = Buffer.alloc(32_000);
  for (let i = 0; i < pcm.length; i += 2) pcm.writeInt16LE(Math.round(8000 * Math.sin((i + seed * 977) / 17)), i);
  return pcm;
}

describe('vault', () => {
  let dir: string;
  let secrets: SecretStore;
  let vault: Vault;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-vault-'));
    secrets = createMemorySecretStore();
    vault = await openVault({ dir, secrets });
  });
  afterEach(async () => {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips records, JSON and lists them across a reopen', async () => {
    const visit = vault.visit('visit-1');
    await visit.write('transcript.json', 'Patient Jane Roe reports chest pain since Tuesday');
    await visit.writeJson('draft.json', { sections: [{ id: 'hpi', text: 'Chest pain x3 days' }] });
    await vault.namespace('outbox').write('entry-1', new Uint8Array([1, 2, 3]));
    await vault.close();

    vault = await openVault({ dir, secrets });
    const again = vault.visit('visit-1');
    expect((await again.read('transcript.json'))?.toString()).toBe('Patient Jane Roe reports chest pain since Tuesday');
    expect(await again.readJson('draft.json')).toEqual({ sections: [{ id: 'hpi', text: 'Chest pain x3 days' }] });
    expect(await again.list()).toEqual(['draft.json', 'transcript.json']);
    expect(await again.read('missing.json')).toBeNull();
    expect([...(await vault.namespace('outbox').read('entry-1'))!]).toEqual([1, 2, 3]);
    expect(await vault.listVisits()).toEqual(['visit-1']);
    expect(await vault.listNamespaces()).toEqual(['outbox']);

    await again.write('transcript.json', 'replaced');
    expect((await again.read('transcript.json'))?.toString()).toBe('replaced');
    await again.delete('draft.json');
    expect(await again.read('draft.json')).toBeNull();
    expect(await again.list()).toEqual(['transcript.json']);
  });

  it('detects a flipped byte in a record with a clear error', async () => {
    await vault.visit('v').write('note.json', 'Assessment: hypertension');
    const [file] = await filesUnder(path.join(dir, 'objects'));
    const bytes = await readFile(file!);
    bytes[bytes.length - 3]! ^= 0x01;
    await writeFile(file!, bytes);
    await expect(vault.visit('v').read('note.json')).rejects.toThrow(VaultIntegrityError);
    await expect(vault.visit('v').read('note.json')).rejects.toThrow(/Record "note.json" of visit v failed authentication/);
  });

  it('detects a record file swapped for another record', async () => {
    const visit = vault.visit('v');
    await visit.write('a.json', 'first');
    await visit.write('b.json', 'second');
    const files = await filesUnder(path.join(dir, 'objects'));
    expect(files).toHaveLength(2);
    await writeFile(files[0]!, await readFile(files[1]!));
    const results = await Promise.allSettled([visit.read('a.json'), visit.read('b.json')]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('appends audio frames durably and drops only a torn last frame', async () => {
    const visit = vault.visit('rec');
    const seconds = [pcmSecond(1), pcmSecond(2), pcmSecond(3)];
    for (const s of seconds) await visit.appendAudio(s);
    expect(await visit.audioBytes()).toBe(96_000);
    expect((await visit.readAudio()).equals(Buffer.concat(seconds))).toBe(true);
    await vault.close();

    // A crash mid-write: the last frame is only half on disk.
    const file = await audioFileOf(dir);
    const size = (await stat(file)).size;
    await truncate(file, size - 20_000);
    vault = await openVault({ dir, secrets });
    const recovered = vault.visit('rec');
    expect(await recovered.audioStatus()).toEqual({ bytes: 64_000, frames: 2, tornBytes: 32_032 - 20_000 });
    expect((await recovered.readAudio()).equals(Buffer.concat(seconds.slice(0, 2)))).toBe(true);

    // Recording continues after recovery: the torn frame is replaced, not kept in front of new audio.
    await recovered.appendAudio(pcmSecond(4));
    expect((await recovered.readAudio()).equals(Buffer.concat([seconds[0]!, seconds[1]!, pcmSecond(4)]))).toBe(true);
  });

  it('treats a zero-filled tail (power loss) as torn', async () => {
    const visit = vault.visit('rec');
    await visit.appendAudio(pcmSecond(1));
    await vault.close();
    await appendFile(await audioFileOf(dir), Buffer.alloc(4096));
    vault = await openVault({ dir, secrets });
    expect((await vault.visit('rec').readAudio()).equals(pcmSecond(1))).toBe(true);
  });

  it('refuses audio whose middle frame was altered or whose frames were reordered', async () => {
    const visit = vault.visit('rec');
    for (const n of [1, 2, 3]) await visit.appendAudio(pcmSecond(n));
    await vault.close();
    const file = await audioFileOf(dir);
    const original = await readFile(file);
    const frame = 4 + 28 + 32_000;

    const flipped = Buffer.from(original);
    flipped[8 + frame + 100]! ^= 0x80;
    await writeFile(file, flipped);
    vault = await openVault({ dir, secrets });
    await expect(vault.visit('rec').readAudio()).rejects.toThrow(/audio of visit rec \(frame 1\) failed authentication/);
    await vault.close();

    const swapped = Buffer.concat([
      original.subarray(0, 8),
      original.subarray(8 + frame, 8 + 2 * frame),
      original.subarray(8, 8 + frame),
      original.subarray(8 + 2 * frame),
    ]);
    await writeFile(file, swapped);
    vault = await openVault({ dir, secrets });
    await expect(vault.visit('rec').readAudio()).rejects.toThrow(VaultIntegrityError);
  });

  it('crypto-shreds a visit: keys gone, files gone, old keyring unreadable after rotation', async () => {
    const visit = vault.visit('gone');
    await visit.write('transcript.json', 'secret words');
    await visit.appendAudio(pcmSecond(1));
    await vault.visit('kept').write('transcript.json', 'kept words');
    const oldKeyring = await readFile(path.join(dir, 'keyring.enc'));
    const oldFiles = new Map<string, Buffer>();
    for (const f of await filesUnder(path.join(dir, 'objects'))) oldFiles.set(f, await readFile(f));

    await vault.shredVisit('gone');
    expect(await vault.listVisits()).toEqual(['kept']);
    expect(await vault.visit('gone').read('transcript.json')).toBeNull();
    expect((await vault.visit('gone').readAudio()).length).toBe(0);
    expect((await vault.visit('kept').read('transcript.json'))?.toString()).toBe('kept words');
    const remaining = await filesUnder(path.join(dir, 'objects'));
    expect(remaining).toHaveLength(1);
    await vault.close();

    // Someone restores the old keyring and the old files from a backup: the master that sealed it is gone.
    await writeFile(path.join(dir, 'keyring.enc'), oldKeyring);
    for (const [f, bytes] of oldFiles) {
      await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(f), { recursive: true }));
      await writeFile(f, bytes);
    }
    await expect(openVault({ dir, secrets })).rejects.toThrow(VaultKeyMissingError);
    vault = await openVault({ dir: await mkdtemp(path.join(tmpdir(), 'scribe-vault-')), secrets });
  });

  it('shreds only the audio of a visit, keeping its note', async () => {
    const visit = vault.visit('v');
    await visit.appendAudio(pcmSecond(1));
    await visit.write('draft.json', 'note');
    await vault.shredRecord('v', AUDIO_RECORD);
    expect(await visit.audioBytes()).toBe(0);
    expect((await visit.readAudio()).length).toBe(0);
    expect((await visit.read('draft.json'))?.toString()).toBe('note');
    expect(await vault.listVisits()).toEqual(['v']);
    // a new recording after shredding starts a fresh key and file
    await visit.appendAudio(pcmSecond(2));
    expect((await visit.readAudio()).equals(pcmSecond(2))).toBe(true);
  });

  it('a shred stands even when the keychain refuses the rotation that follows it (retried next time)', async () => {
    await vault.visit('a').appendAudio(pcmSecond(1));
    await vault.visit('b').appendAudio(pcmSecond(2));
    const set = secrets.set;
    secrets.set = async () => {
      throw new Error('keychain locked');
    };
    await vault.shredRecord('a', AUDIO_RECORD);
    expect(await vault.visit('a').hasAudio()).toBe(false);
    secrets.set = set;
    const accountsBefore = await secrets.list();
    await vault.shredRecord('b', AUDIO_RECORD);
    const accountsAfter = await secrets.list();
    expect(accountsAfter).toHaveLength(1);
    expect(accountsAfter).not.toEqual(accountsBefore);
  });

  it('rotating the master key keeps everything readable and retires the old key', async () => {
    const visit = vault.visit('v');
    await visit.write('transcript.json', 'words');
    await visit.appendAudio(pcmSecond(1));
    const before = await readFile(path.join(dir, 'keyring.enc'));
    await vault.rotateMasterKey();
    await vault.rotateMasterKey();
    const after = await readFile(path.join(dir, 'keyring.enc'));
    expect(after.equals(before)).toBe(false);
    await vault.close();
    vault = await openVault({ dir, secrets });
    expect((await vault.visit('v').read('transcript.json'))?.toString()).toBe('words');
    expect((await vault.visit('v').readAudio()).equals(pcmSecond(1))).toBe(true);
    await vault.visit('v').appendAudio(pcmSecond(2));
    expect(await vault.visit('v').audioBytes()).toBe(64_000);
  });

  it('leaves no plaintext and no PHI-bearing names on disk', async () => {
    const words = 'metformin five hundred milligrams twice daily';
    const visit = vault.visit('encounter-JaneRoe-1985');
    await visit.write('transcript-JaneRoe.json', `Patient Jane Roe: ${words}`);
    await vault.namespace('outbox').writeJson('note', { patient: 'Jane Roe', text: words });
    const pcm = Buffer.alloc(32_000, 0);
    pcm.write('RIFF-like marker MARKER-42', 100);
    await visit.appendAudio(pcm);
    for (const file of [...(await filesUnder(dir))]) {
      expect(file).not.toMatch(/JaneRoe|transcript|outbox|encounter|note/);
      const bytes = await readFile(file);
      for (const needle of ['Jane Roe', 'metformin', 'MARKER-42', 'JaneRoe', 'outbox']) {
        expect(bytes.includes(Buffer.from(needle)), `${needle} in ${file}`).toBe(false);
      }
    }
  });

  it('refuses to open when the master key left the keychain, and does not start over the data', async () => {
    await vault.visit('v').write('x', 'y');
    await vault.close();
    await expect(openVault({ dir, secrets: createMemorySecretStore() })).rejects.toThrow(
      /master key of this Scribe vault .* is not in the OS keychain/,
    );
    await rm(path.join(dir, 'keyring.enc'));
    await expect(openVault({ dir, secrets })).rejects.toThrow(/keyring .* is missing; refusing/);
    await rm(dir, { recursive: true });
    vault = await openVault({ dir, secrets });
  });

  it('refuses an in-memory secret store outside unit tests', async () => {
    const saved = process.env.VITEST;
    delete process.env.VITEST;
    try {
      await expect(openVault({ dir: path.join(dir, 'other'), secrets })).rejects.toThrow(/OS keychain is not available/);
    } finally {
      process.env.VITEST = saved;
    }
  });

  it('serialises concurrent appends and writes', async () => {
    const visit = vault.visit('busy');
    const chunks = Array.from({ length: 20 }, (_, i) => pcmSecond(i));
    await Promise.all([...chunks.map((c) => visit.appendAudio(c)), ...Array.from({ length: 10 }, (_, i) => visit.write(`r${i}`, `v${i}`))]);
    expect((await visit.readAudio()).equals(Buffer.concat(chunks))).toBe(true);
    expect(await visit.list()).toHaveLength(10);
  });
});
