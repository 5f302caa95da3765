import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scribeDataDir } from '../assets/index.ts';

/**
 * Where the recognizers' run-time files go (docs/decisions/0124-recognizer-files-private.md): a folder
 * private to this process (0700, random name) inside Scribe's data folder, never a shared, predictable
 * place in /tmp where another local user could read a patient's vocabulary or plant a file the engine
 * loads. Files that carry PHI (a visit's vocabulary, hotwords) get random names and are deleted as soon
 * as the engine has read them; the folder goes when the process exits, and a crashed process's folder at
 * the next start (`removeStaleScratch`).
 */
const byRoot = new Map<string, string>();
const exitHooks = new Set<string>();

export function defaultScratchRoot(): string {
  return path.join(scribeDataDir(), 'scratch');
}

function assertPrivateRoot(root: string): void {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const st = lstatSync(root);
  const uid = process.getuid?.();
  if (
    !st.isDirectory() ||
    st.isSymbolicLink() ||
    (uid !== undefined && st.uid !== uid) ||
    (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
  ) {
    throw new Error(
      `${root} is not a private folder of this user (a symlink, someone else's, or open to others); remove it and start again`,
    );
  }
}

/** This process's private scratch folder under `root` (created on first use). */
export function privateScratchDir(root = defaultScratchRoot()): string {
  const base = path.resolve(root);
  const known = byRoot.get(base);
  if (known) {
    try {
      if (lstatSync(known).isDirectory()) return known;
    } catch {
      // removed meanwhile: make a new one
    }
  }
  assertPrivateRoot(base);
  const dir = mkdtempSync(path.join(base, `p${process.pid}-`)); // mkdtemp: 0700, random suffix
  byRoot.set(base, dir);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `content` to a new, randomly named 0600 file in this process's scratch folder; returns its path. */
export function writePrivateFile(content: string, root?: string, extension = ''): string {
  const file = path.join(privateScratchDir(root), `${randomBytes(12).toString('hex')}${extension}`);
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Removes this process's scratch folders under `root` (at core close; worker threads make their own). */
export function removeOwnScratch(root = defaultScratchRoot()): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const name of entries) if (name.startsWith(`p${process.pid}-`)) rmSync(path.join(root, name), { recursive: true, force: true });
  byRoot.delete(path.resolve(root));
}

/**
 * Removes the scratch folders of processes that are no longer running (after a crash), and makes sure
 * this process's own go when it exits (a recognizer worker stopped mid-load cannot clean up after itself).
 */
export function removeStaleScratch(root = defaultScratchRoot()): void {
  if (!exitHooks.has(root)) {
    exitHooks.add(root);
    process.once('exit', () => removeOwnScratch(root));
  }
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^p(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
