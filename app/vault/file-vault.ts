import { mkdir, open, readdir, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { KeychainUnavailableError } from '../secrets/index.ts';
import { isTemporaryFile, syncDirectory, writeFileAtomic } from './atomic-file.ts';
import {
  AUDIO_FRAME_MAX_PLAIN,
  AUDIO_MAGIC,
  VaultIntegrityError,
  aadOf,
  newKey,
  open as openBox,
  scanAudio,
  seal,
  sealAudioFrame,
  type AudioScan,
} from './frames.ts';
import { KEYRING_FILE, Keyring, randomName, scopeId, type RecordEntry, type ScopeEntry } from './keyring.ts';
import { AUDIO_RECORD, type AudioStatus, type OpenVaultOptions, type RecordStore, type Vault, type VisitVault } from './vault.ts';

// The vault on disk: one encrypted object file per record, a keyring sealed by the keychain's master key.
const RECORD_MAGIC = Buffer.from('SCRIBER1', 'ascii');
const OBJECTS_DIR = 'objects';
const LOCK_FILE = 'vault.lock';
const MAX_NAME_LENGTH = 200;

export class VaultBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(`The vault in ${dir} is in use by another Scribe process (pid ${pid}); close it first`);
    this.name = 'VaultBusyError';
  }
}

export async function openVault(opts: OpenVaultOptions): Promise<Vault> {
  if (opts.secrets.kind !== 'keychain' && !process.env.VITEST) {
    // The app refuses to keep PHI under a key that is not in the OS keychain; memory stores are for unit tests.
    throw new KeychainUnavailableError(
      new Error('only the OS keychain may hold the vault master key (an in-memory store is for unit tests)'),
    );
  }
  const dir = path.resolve(opts.dir);
  await mkdir(path.join(dir, OBJECTS_DIR), { recursive: true, mode: 0o700 });
  await takeLock(dir);
  try {
    const objects = await readdir(path.join(dir, OBJECTS_DIR));
    const keyring = await Keyring.open(dir, opts.secrets, objects.length > 0);
    const vault = new FileVault(dir, keyring, opts.rotateAfterShred ?? true);
    await vault.removeOrphans();
    return vault;
  } catch (error) {
    await releaseLock(dir);
    throw error;
  }
}

async function takeLock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) throw new VaultBusyError(dir, pid);
  } catch (error) {
    if (error instanceof VaultBusyError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeFile(file, String(process.pid), { mode: 0o600 });
}

async function releaseLock(dir: string): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  try {
    if (Number.parseInt(await readFile(file, 'utf8'), 10) === process.pid) await rm(file, { force: true });
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function checkName(what: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || name.includes('\u0000')) {
    throw new TypeError(`${what} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
}

interface AudioState {
  handle: FileHandle;
  length: number;
  frames: number;
  bytes: number;
}

class FileVault implements Vault {
  private keyringQueue: Promise<unknown> = Promise.resolve();
  private readonly audioQueues = new Map<string, Promise<unknown>>();
  private readonly audio = new Map<string, AudioState>();
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly keyring: Keyring,
    private readonly rotateAfterShred: boolean,
  ) {}

  // ── serialisation ─────────────────────────────────────────────────────────
  private withKeyring<T>(task: () => Promise<T>): Promise<T> {
    const run = this.keyringQueue.then(task, task);
    this.keyringQueue = run.catch(() => undefined);
    return run;
  }

  private withAudio<T>(scope: string, task: () => Promise<T>): Promise<T> {
    const previous = this.audioQueues.get(scope) ?? Promise.resolve();
    const run = previous.then(task, task);
    this.audioQueues.set(
      scope,
      run.catch(() => undefined),
    );
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The vault is closed');
  }

  // ── paths and keys ────────────────────────────────────────────────────────
  private scopeDir(scope: ScopeEntry): string {
    return path.join(this.dir, OBJECTS_DIR, scope.dir);
  }

  private recordPath(scope: ScopeEntry, record: RecordEntry): string {
    return path.join(this.scopeDir(scope), record.file);
  }

  private recordAad(record: RecordEntry): Buffer {
    return Buffer.concat([RECORD_MAGIC, aadOf('scribe-vault/record/1', this.keyring.vaultId, record.file)]);
  }

  private lookup(id: string, name: string): { scope: ScopeEntry; record: RecordEntry } | null {
    const scope = this.keyring.content.scopes[id];
    const record = scope?.records[name];
    return scope && record ? { scope, record } : null;
  }

  /** The record's entry, creating (and persisting) its scope and data key on first use. */
  private ensureRecord(kind: ScopeEntry['kind'], scopeName: string, name: string): Promise<{ scope: ScopeEntry; record: RecordEntry }> {
    const id = scopeId(kind, scopeName);
    const existing = this.lookup(id, name);
    if (existing) return Promise.resolve(existing);
    return this.withKeyring(async () => {
      this.assertOpen();
      const again = this.lookup(id, name);
      if (again) return again;
      const now = new Date().toISOString();
      const scope = this.keyring.content.scopes[id] ?? { kind, name: scopeName, dir: randomName(), createdAt: now, records: {} };
      const record: RecordEntry = { file: randomName(), key: newKey().toString('base64'), createdAt: now };
      this.keyring.content.scopes[id] = { ...scope, records: { ...scope.records, [name]: record } };
      try {
        await this.keyring.save();
      } catch (error) {
        if (Object.keys(scope.records).length === 0) delete this.keyring.content.scopes[id];
        else this.keyring.content.scopes[id] = scope;
        throw error;
      }
      await mkdir(this.scopeDir(scope), { recursive: true, mode: 0o700 });
      return { scope: this.keyring.content.scopes[id]!, record };
    });
  }

  // ── records ───────────────────────────────────────────────────────────────
  async writeRecord(kind: ScopeEntry['kind'], scopeName: string, name: string, data: Uint8Array | string): Promise<void> {
    this.assertOpen();
    checkName('A record key', name);
    const { scope, record } = await this.ensureRecord(kind, scopeName, name);
    const plain = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const sealed = seal(Buffer.from(record.key, 'base64'), plain, this.recordAad(record));
    await writeFileAtomic(this.recordPath(scope, record), Buffer.concat([RECORD_MAGIC, sealed]));
  }

  async readRecord(kind: ScopeEntry['kind'], scopeName: string, name: string): Promise<Buffer | null> {
    this.assertOpen();
    checkName('A record key', name);
    const found = this.lookup(scopeId(kind, scopeName), name);
    if (!found) return null;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.recordPath(found.scope, found.record));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const what = `Record "${name}" of ${kind} ${scopeName}`;
    if (!bytes.subarray(0, RECORD_MAGIC.length).equals(RECORD_MAGIC)) throw new VaultIntegrityError(what);
    return openBox(Buffer.from(found.record.key, 'base64'), bytes.subarray(RECORD_MAGIC.length), this.recordAad(found.record), what);
  }

  async listRecords(kind: ScopeEntry['kind'], scopeName: string): Promise<string[]> {
    this.assertOpen();
    const scope = this.keyring.content.scopes[scopeId(kind, scopeName)];
    if (!scope) return [];
    let present: Set<string>;
    try {
      present = new Set(await readdir(this.scopeDir(scope)));
    } catch {
      return [];
    }
    return Object.entries(scope.records)
      .filter(([name, record]) => (kind !== 'visit' || name !== AUDIO_RECORD) && present.has(record.file))
      .map(([name]) => name)
      .sort();
  }

  /** Removes data keys from the keyring (persisted), then their files. Returns whether anything was removed. */
  private forget(kind: ScopeEntry['kind'], scopeName: string, name: string | null): Promise<boolean> {
    const id = scopeId(kind, scopeName);
    return this.withKeyring(async () => {
      this.assertOpen();
      const scope = this.keyring.content.scopes[id];
      if (!scope) return false;
      const removeScope = name === null || Object.keys(scope.records).every((n) => n === name);
      const record = name === null ? undefined : scope.records[name];
      if (name !== null && !record) return false;
      if (removeScope) delete this.keyring.content.scopes[id];
      else {
        const { [name!]: _removed, ...rest } = scope.records;
        this.keyring.content.scopes[id] = { ...scope, records: rest };
      }
      try {
        await this.keyring.save();
      } catch (error) {
        this.keyring.content.scopes[id] = scope;
        throw error;
      }
      if (kind === 'visit' && (name === null || name === AUDIO_RECORD)) await this.dropAudioState(id);
      if (removeScope) await rm(this.scopeDir(scope), { recursive: true, force: true });
      else await rm(this.recordPath(scope, record!), { force: true });
      await syncDirectory(path.join(this.dir, OBJECTS_DIR));
      return true;
    });
  }

  async deleteRecord(kind: ScopeEntry['kind'], scopeName: string, name: string): Promise<void> {
    checkName('A record key', name);
    await this.forget(kind, scopeName, name);
  }

  // ── audio ─────────────────────────────────────────────────────────────────
  private async dropAudioState(id: string): Promise<void> {
    const state = this.audio.get(id);
    this.audio.delete(id);
    await state?.handle.close().catch(() => undefined);
  }

  private async scanAudioFile(scope: ScopeEntry, record: RecordEntry, keepFrames: boolean, visitId: string): Promise<AudioScan> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.recordPath(scope, record));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      bytes = Buffer.alloc(0);
    }
    return scanAudio(Buffer.from(record.key, 'base64'), record.file, bytes, keepFrames, `The audio of visit ${visitId}`);
  }

  /** Opens the audio file for appending, cutting off a torn last frame left by a crash. */
  private async audioForAppend(visitId: string): Promise<{ state: AudioState; record: RecordEntry }> {
    const id = scopeId('visit', visitId);
    const { scope, record } = await this.ensureRecord('visit', visitId, AUDIO_RECORD);
    const cached = this.audio.get(id);
    if (cached) return { state: cached, record };
    const scan = await this.scanAudioFile(scope, record, false, visitId);
    const file = this.recordPath(scope, record);
    const handle = await open(file, scan.intactLength === 0 ? 'w+' : 'r+', 0o600);
    try {
      let length = scan.intactLength;
      if (length === 0) {
        await handle.truncate(0);
        await handle.write(AUDIO_MAGIC, 0, AUDIO_MAGIC.length, 0);
        length = AUDIO_MAGIC.length;
        await handle.sync();
        await syncDirectory(this.scopeDir(scope));
      } else if (scan.tornBytes > 0) {
        await handle.truncate(length);
        await handle.sync();
      }
      const state: AudioState = { handle, length, frames: scan.frameCount, bytes: scan.plainBytes };
      this.audio.set(id, state);
      return { state, record };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  appendAudio(visitId: string, pcm: Uint8Array): Promise<void> {
    this.assertOpen();
    const id = scopeId('visit', visitId);
    return this.withAudio(id, async () => {
      if (pcm.length === 0) return;
      const { state, record } = await this.audioForAppend(visitId);
      const key = Buffer.from(record.key, 'base64');
      const parts: Buffer[] = [];
      let frames = state.frames;
      for (let offset = 0; offset < pcm.length; offset += AUDIO_FRAME_MAX_PLAIN) {
        parts.push(sealAudioFrame(key, record.file, frames, pcm.subarray(offset, offset + AUDIO_FRAME_MAX_PLAIN)));
        frames += 1;
      }
      const chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      try {
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await state.handle.write(chunk, written, chunk.length - written, state.length + written);
          written += bytesWritten;
        }
        await state.handle.datasync();
      } catch (error) {
        // Unknown state on disk: the next append rescans (and cuts a torn frame).
        await this.dropAudioState(id);
        throw error;
      }
      state.length += chunk.length;
      state.frames = frames;
      state.bytes += pcm.length;
    });
  }

  readAudio(visitId: string): Promise<Buffer> {
    this.assertOpen();
    const id = scopeId('visit', visitId);
    return this.withAudio(id, async () => {
      const found = this.lookup(id, AUDIO_RECORD);
      if (!found) return Buffer.alloc(0);
      const scan = await this.scanAudioFile(found.scope, found.record, true, visitId);
      return Buffer.concat(scan.frames);
    });
  }

  audioStatus(visitId: string): Promise<AudioStatus> {
    this.assertOpen();
    const id = scopeId('visit', visitId);
    return this.withAudio(id, async () => {
      const cached = this.audio.get(id);
      if (cached) return { bytes: cached.bytes, frames: cached.frames, tornBytes: 0 };
      const found = this.lookup(id, AUDIO_RECORD);
      if (!found) return { bytes: 0, frames: 0, tornBytes: 0 };
      const scan = await this.scanAudioFile(found.scope, found.record, false, visitId);
      return { bytes: scan.plainBytes, frames: scan.frameCount, tornBytes: scan.tornBytes };
    });
  }

  // ── Vault ─────────────────────────────────────────────────────────────────
  visit(visitId: string): VisitVault {
    checkName('A visit id', visitId);
    const records = this.recordStore('visit', visitId);
    const refuseAudio = (key: string): void => {
      if (key === AUDIO_RECORD) throw new TypeError(`"${AUDIO_RECORD}" is the visit's audio: use appendAudio/readAudio`);
    };
    return {
      visitId,
      ...records,
      write: (key, data) => (refuseAudio(key), records.write(key, data)),
      read: (key) => (refuseAudio(key), records.read(key)),
      readJson: <T>(key: string) => (refuseAudio(key), records.readJson<T>(key)),
      writeJson: (key, value) => (refuseAudio(key), records.writeJson(key, value)),
      delete: (key) => (refuseAudio(key), records.delete(key)),
      appendAudio: (pcm) => this.appendAudio(visitId, pcm),
      readAudio: () => this.readAudio(visitId),
      audioBytes: async () => (await this.audioStatus(visitId)).bytes,
      audioStatus: () => this.audioStatus(visitId),
      hasAudio: async () => this.lookup(scopeId('visit', visitId), AUDIO_RECORD) !== null,
    };
  }

  namespace(name: string): RecordStore {
    checkName('A namespace name', name);
    return this.recordStore('namespace', name);
  }

  private recordStore(kind: ScopeEntry['kind'], scopeName: string): RecordStore {
    return {
      write: (key, data) => this.writeRecord(kind, scopeName, key, data),
      read: (key) => this.readRecord(kind, scopeName, key),
      readJson: async <T>(key: string) => {
        const bytes = await this.readRecord(kind, scopeName, key);
        return bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as T);
      },
      writeJson: (key, value) => this.writeRecord(kind, scopeName, key, JSON.stringify(value)),
      delete: (key) => this.deleteRecord(kind, scopeName, key),
      list: () => this.listRecords(kind, scopeName),
    };
  }

  shredVisit(visitId: string): Promise<void> {
    return this.shred(visitId, null);
  }

  shredRecord(visitId: string, name: string): Promise<void> {
    checkName('A record key', name);
    return this.shred(visitId, name);
  }

  private async shred(visitId: string, name: string | null): Promise<void> {
    checkName('A visit id', visitId);
    await this.withAudio(scopeId('visit', visitId), async () => {
      const removed = await this.forget('visit', visitId, name);
      if ((removed || this.rotationPending) && this.rotateAfterShred) {
        // The data is gone once its key left the keyring; rotating the master only retires old keyring
        // copies. If the keychain refuses now, the shred still stands and the next shred retries.
        try {
          await this.rotateMasterKey();
          this.rotationPending = false;
        } catch (error) {
          this.rotationPending = true;
          console.error(
            `[vault] master key rotation after a shred failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    });
  }

  /** True while a rotation owed after a shred has not succeeded yet. */
  rotationPending = false;

  rotateMasterKey(): Promise<void> {
    return this.withKeyring(async () => {
      this.assertOpen();
      await this.keyring.rotate();
    });
  }

  async listVisits(): Promise<string[]> {
    return this.scopeNames('visit');
  }

  async listNamespaces(): Promise<string[]> {
    return this.scopeNames('namespace');
  }

  private scopeNames(kind: ScopeEntry['kind']): string[] {
    this.assertOpen();
    return Object.values(this.keyring.content.scopes)
      .filter((s) => s.kind === kind)
      .map((s) => s.name)
      .sort();
  }

  /** Deletes leftovers of interrupted work: temporary files, and files whose keys were already shredded. */
  async removeOrphans(): Promise<void> {
    const objects = path.join(this.dir, OBJECTS_DIR);
    const scopes = new Map(Object.values(this.keyring.content.scopes).map((s) => [s.dir, s]));
    for (const dirName of await readdir(objects)) {
      const scope = scopes.get(dirName);
      if (!scope) {
        await rm(path.join(objects, dirName), { recursive: true, force: true });
        continue;
      }
      const files = new Set(Object.values(scope.records).map((r) => r.file));
      for (const file of await readdir(path.join(objects, dirName))) {
        if (isTemporaryFile(file) || !files.has(file)) await rm(path.join(objects, dirName, file), { force: true });
      }
    }
    for (const file of await readdir(this.dir)) {
      if (file.startsWith(`${KEYRING_FILE}.tmp-`)) await rm(path.join(this.dir, file), { force: true });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.keyringQueue;
    await Promise.all([...this.audioQueues.values()]);
    this.closed = true;
    for (const id of [...this.audio.keys()]) await this.dropAudioState(id);
    await releaseLock(this.dir);
  }
}
