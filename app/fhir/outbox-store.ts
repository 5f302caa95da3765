import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where the outbox keeps its records. The vault's `vault.namespace('outbox')` fits as is (encrypted at
 * rest); `createFileOutboxStore` is a plain-file one for tests and tools.
 */
export interface OutboxStore {
  readJson<T>(key: string): Promise<T | null>;
  /** Must be durable (fsync) and atomic (a crash leaves the old or the new record, never half). */
  writeJson(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  list(): Promise<string[]>;
}

/** Plain JSON files, atomically replaced (tmp + fsync + rename). No encryption: tests and tools only. */
export function createFileOutboxStore(dir: string): OutboxStore {
  const file = (key: string) => path.join(dir, `${encodeURIComponent(key)}.json`);
  let ready: Promise<unknown> | null = null;
  const ensureDir = () => (ready ??= mkdir(dir, { recursive: true, mode: 0o700 }));
  return {
    async readJson<T>(key: string): Promise<T | null> {
      try {
        return JSON.parse(await readFile(file(key), 'utf8')) as T;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async writeJson(key: string, value: unknown): Promise<void> {
      await ensureDir();
      const target = file(key);
      const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      const handle = await open(tmp, 'w', 0o600);
      try {
        await handle.writeFile(JSON.stringify(value));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
    },
    async delete(key: string): Promise<void> {
      await rm(file(key), { force: true });
    },
    async list(): Promise<string[]> {
      await ensureDir();
      return (await readdir(dir)).filter((f) => f.endsWith('.json')).map((f) => decodeURIComponent(f.slice(0, -5)));
    },
  };
}
