import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../secrets/index.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { KEY_BYTES, aadOf, newKey, open, seal } from './frames.ts';

/**
 * The keyring: every data key of the vault and the (PHI-bearing) names that go with them, in ONE file
 * (`keyring.enc`) sealed with the master key. The master key lives only in the OS keychain. Wrapping all
 * data keys in one file makes creation, crypto-shredding and master-key rotation single atomic renames.
 *
 * File: MAGIC(8) | vaultId(16) | masterVersion(u32 BE) | sealed JSON (AAD = magic, vault id, version).
 */
const MAGIC = Buffer.from('SCRIBEK1', 'ascii');
const HEADER_BYTES = MAGIC.length + 16 + 4;
export const KEYRING_FILE = 'keyring.enc';

export class VaultKeyMissingError extends Error {
  constructor(account: string) {
    super(
      `The master key of this Scribe vault (${account}) is not in the OS keychain, so its patient data cannot be decrypted. ` +
        'Restore the keychain this workstation used, or ask IT; Scribe will not create a new key over existing data.',
    );
    this.name = 'VaultKeyMissingError';
  }
}

export interface RecordEntry {
  /** Random file name (hex): names on disk never carry PHI. */
  file: string;
  /** Base64 AES-256 data key of this record. */
  key: string;
  createdAt: string;
}

export interface ScopeEntry {
  kind: 'visit' | 'namespace';
  /** The visit id or namespace name (kept only inside the sealed keyring). */
  name: string;
  /** Random directory name (hex). */
  dir: string;
  createdAt: string;
  records: Record<string, RecordEntry>;
}

export interface KeyringContent {
  format: 1;
  scopes: Record<string, ScopeEntry>;
}

export function scopeId(kind: ScopeEntry['kind'], name: string): string {
  return `${kind}:${name}`;
}

export function randomName(): string {
  return randomBytes(16).toString('hex');
}

function masterAccount(vaultId: string, version: number): string {
  return `vault-master:${vaultId}:${version}`;
}

function keyringAad(vaultId: string, version: number): Buffer {
  return Buffer.concat([MAGIC, aadOf('scribe-vault/keyring/1', vaultId, version)]);
}

export class Keyring {
  private constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
    readonly vaultId: string,
    private masterVersion: number,
    private master: Buffer,
    public content: KeyringContent,
  ) {}

  get version(): number {
    return this.masterVersion;
  }

  /** Opens the keyring of `dir`, or creates a new vault when the directory holds none yet. */
  static async open(dir: string, secrets: SecretStore, hasExistingData: boolean): Promise<Keyring> {
    const file = path.join(dir, KEYRING_FILE);
    let bytes: Buffer | null = null;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (!bytes) {
      if (hasExistingData) {
        throw new Error(
          `The vault in ${dir} has encrypted records but its keyring (${KEYRING_FILE}) is missing; refusing to start a new one over them`,
        );
      }
      return Keyring.create(dir, file, secrets);
    }
    if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new Error(`${file} is not a Scribe keyring`);
    }
    const vaultId = bytes.subarray(MAGIC.length, MAGIC.length + 16).toString('hex');
    const version = bytes.readUInt32BE(MAGIC.length + 16);
    const account = masterAccount(vaultId, version);
    const encoded = await secrets.get(account);
    if (!encoded) throw new VaultKeyMissingError(account);
    const master = Buffer.from(encoded, 'base64');
    if (master.length !== KEY_BYTES) throw new VaultKeyMissingError(account);
    const json = open(master, bytes.subarray(HEADER_BYTES), keyringAad(vaultId, version), 'The vault keyring');
    const content = JSON.parse(json.toString('utf8')) as KeyringContent;
    const keyring = new Keyring(file, secrets, vaultId, version, master, content);
    await keyring.forgetStaleMasters();
    return keyring;
  }

  private static async create(dir: string, file: string, secrets: SecretStore): Promise<Keyring> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const vaultId = randomName();
    const master = newKey();
    await secrets.set(masterAccount(vaultId, 1), master.toString('base64'));
    const keyring = new Keyring(file, secrets, vaultId, 1, master, { format: 1, scopes: {} });
    await keyring.save();
    return keyring;
  }

  /** Persists the keyring atomically: after this resolves, a crash cannot undo it. */
  async save(): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(header, 0);
    Buffer.from(this.vaultId, 'hex').copy(header, MAGIC.length);
    header.writeUInt32BE(this.masterVersion, MAGIC.length + 16);
    const body = seal(this.master, Buffer.from(JSON.stringify(this.content), 'utf8'), keyringAad(this.vaultId, this.masterVersion));
    await writeFileAtomic(this.file, Buffer.concat([header, body]));
  }

  /**
   * New master key: stored in the keychain first, then the keyring is re-sealed under it (one atomic
   * rename), then the old master is deleted from the keychain. A crash at any point leaves a readable vault.
   */
  async rotate(): Promise<void> {
    const next = this.masterVersion + 1;
    const nextMaster = newKey();
    await this.secrets.set(masterAccount(this.vaultId, next), nextMaster.toString('base64'));
    const previous = this.masterVersion;
    const previousMaster = this.master;
    this.masterVersion = next;
    this.master = nextMaster;
    try {
      await this.save();
    } catch (error) {
      // The save can fail AFTER its rename (the directory fsync): the keyring on disk may already be sealed
      // under the new key. Then the new key must stay (deleting it would make the vault unreadable), and
      // the old one too (the rename may not survive a power loss); the next open forgets whichever is unused.
      if ((await this.versionOnDisk().catch(() => null)) === next) {
        throw error;
      }
      this.masterVersion = previous;
      this.master = previousMaster;
      await this.secrets.delete(masterAccount(this.vaultId, next)).catch(() => false);
      throw error;
    }
    previousMaster.fill(0);
    await this.secrets.delete(masterAccount(this.vaultId, previous));
  }

  /** The master-key version the keyring file on disk is sealed under. */
  private async versionOnDisk(): Promise<number> {
    const bytes = await readFile(this.file);
    return bytes.readUInt32BE(MAGIC.length + 16);
  }

  /** Cleans up after a rotation that crashed between its steps. */
  private async forgetStaleMasters(): Promise<void> {
    for (const version of [this.masterVersion - 1, this.masterVersion + 1]) {
      if (version < 1) continue;
      const account = masterAccount(this.vaultId, version);
      if ((await this.secrets.get(account)) !== null) await this.secrets.delete(account);
    }
  }

  /** Removes this vault's master key from the keychain (used when an admin wipes the vault). */
  async destroyMaster(): Promise<void> {
    this.master.fill(0);
    await this.secrets.delete(masterAccount(this.vaultId, this.masterVersion));
  }
}
