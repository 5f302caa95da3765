import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ScribeError } from '../contract/index.ts';
import { readManifest, type AssetEntry, type AssetFile, type Manifest } from './manifest.ts';

export { AssetEntry, AssetFile, Manifest, readManifest } from './manifest.ts';

/**
 * Model and data packs (speech models, terminology) installed on this workstation.
 * Every file is verified against the sha256 pinned in `models/manifest.json`; an install is staged in a
 * temporary folder beside the destination and renamed into place only when every file checks out, so a
 * failed or interrupted install never leaves a half-installed pack. See docs/decisions/0040.
 */

/** The user's data folder for Scribe: `SCRIBE_DATA_DIR`, else the OS convention. */
export function scribeDataDir(): string {
  if (process.env.SCRIBE_DATA_DIR) return path.resolve(process.env.SCRIBE_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Scribe');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Scribe');
  return path.join(process.env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'Scribe');
}

/** Where installed assets live: `SCRIBE_ASSETS_DIR`, else `<data dir>/assets`. */
export function assetsDir(): string {
  return process.env.SCRIBE_ASSETS_DIR ? path.resolve(process.env.SCRIBE_ASSETS_DIR) : path.join(scribeDataDir(), 'assets');
}

/** Written into an installed asset's folder last: its presence means the install completed. */
export const INSTALL_RECORD = 'installed.json';

export interface InstallRecord {
  name: string;
  version: string;
  installedAt: string;
  from: string;
  files: AssetFile[];
}

export interface AssetProgress {
  asset: string;
  phase: 'copy' | 'download' | 'prepare' | 'done';
  file?: string;
  /** Bytes of this asset transferred and verified so far, and the asset's total. */
  bytesDone: number;
  bytesTotal: number;
}

export interface AssetLocation {
  /** Folder holding installed assets (default `assetsDir()`). */
  dir?: string;
  /** Manifest to use (default `readManifest()`). */
  manifest?: Manifest;
}

export interface InstallOptions extends AssetLocation {
  /** Copy the files from this folder (an IT share, a USB stick, ../shared/...) instead of downloading. */
  from?: string;
  onProgress?: (p: AssetProgress) => void;
  /**
   * Runs on the verified staged folder before it is moved into place (e.g. compiling the terminology
   * index). Throwing aborts the install and nothing is installed.
   */
  prepare?: (stagedDir: string, entry: AssetEntry) => Promise<void>;
  /** Extra CA certificates for downloads (a clinic's TLS-inspecting proxy; tests). */
  ca?: string | Buffer;
}

/** A pack is missing: the message tells the admin exactly what to run. */
export class AssetNotInstalledError extends ScribeError {
  constructor(
    public readonly asset: string,
    detail = 'is not installed',
  ) {
    super(
      'unavailable',
      `The ${asset} asset ${detail} — run \`scribe assets install ${asset}\` (add --from DIR on an air-gapped workstation).`,
    );
    this.name = 'AssetNotInstalledError';
  }
}

/** A file did not match its pinned size or sha256: nothing was installed. */
export class AssetVerificationError extends ScribeError {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'AssetVerificationError';
  }
}

function findEntry(manifest: Manifest, name: string): AssetEntry {
  const entry = manifest.assets.find((a) => a.name === name);
  if (!entry) {
    const known = manifest.assets.map((a) => a.name).join(', ') || '(none)';
    throw new ScribeError('not_found', `No asset named "${name}" in the manifest. Known assets: ${known}.`);
  }
  return entry;
}

/** Streams `source` into `target`, hashing as it goes; returns sha256 hex and byte count. */
async function copyVerified(
  source: NodeJS.ReadableStream,
  target: string,
  limit: number,
  onBytes: (n: number) => void,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const out: WriteStream = createWriteStream(target, { flags: 'wx' });
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit)
        throw new AssetVerificationError(`${path.basename(target)} is larger than the ${limit} bytes pinned in the manifest`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      onBytes(chunk.length);
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return { sha256: hash.digest('hex'), size };
}

function httpsStream(url: string, ca: string | Buffer | undefined, redirects = 5): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'https:') {
      reject(new ScribeError('bad_request', `Refusing to download ${url}: only https URLs are allowed`));
      return;
    }
    const req = https.get(u, { ca, timeout: 30_000, headers: { 'user-agent': 'scribe-assets' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) reject(new ScribeError('unavailable', `Too many redirects downloading ${url}`));
        else httpsStream(new URL(res.headers.location, u).toString(), ca, redirects - 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new ScribeError('unavailable', `Download of ${url} failed: HTTP ${status}`));
        return;
      }
      resolve(res);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) =>
      reject(new ScribeError('unavailable', `Download of ${url} failed: ${e.message}. On a workstation without internet use --from DIR.`)),
    );
  });
}

function fileUrl(entry: AssetEntry, file: AssetFile): string | undefined {
  if (file.url) return file.url;
  if (!entry.baseUrl) return undefined;
  return `${entry.baseUrl.replace(/\/+$/, '')}/${file.path.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Installs (or reinstalls) one asset: copies from `from` or downloads every file, verifies size and
 * sha256, runs `prepare`, then atomically replaces `<dir>/<name>`. On any failure nothing changes.
 * Returns the installed folder.
 */
export async function installAsset(name: string, options: InstallOptions = {}): Promise<string> {
  const manifest = options.manifest ?? readManifest();
  const entry = findEntry(manifest, name);
  const root = options.dir ?? assetsDir();
  await mkdir(root, { recursive: true });
  const finalDir = path.join(root, entry.name);
  const staging = path.join(root, `.staging-${entry.name}-${randomBytes(6).toString('hex')}`);
  const bytesTotal = entry.files.reduce((s, f) => s + f.size, 0);
  let bytesDone = 0;
  const report = (phase: AssetProgress['phase'], file?: string) =>
    options.onProgress?.({ asset: entry.name, phase, file, bytesDone, bytesTotal });

  if (!options.from) {
    const missingUrl = entry.files.find((f) => !fileUrl(entry, f));
    if (missingUrl) {
      throw new ScribeError(
        'unsupported',
        `The ${entry.name} asset has no download location; install it from a folder: \`scribe assets install ${entry.name} --from DIR\`.`,
      );
    }
  }
  try {
    await mkdir(staging, { recursive: true });
    for (const file of entry.files) {
      const target = path.join(staging, ...file.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      let source: NodeJS.ReadableStream;
      const phase = options.from ? 'copy' : 'download';
      if (options.from) {
        const src = path.join(options.from, ...file.path.split('/'));
        if (!existsSync(src)) throw new AssetVerificationError(`${file.path} is missing from ${options.from}; nothing was installed.`);
        source = createReadStream(src);
      } else {
        source = await httpsStream(fileUrl(entry, file)!, options.ca);
      }
      report(phase, file.path);
      const got = await copyVerified(source, target, file.size, (n) => {
        bytesDone += n;
        report(phase, file.path);
      });
      if (got.size !== file.size) {
        throw new AssetVerificationError(`${file.path}: ${got.size} bytes, but the manifest pins ${file.size}; nothing was installed.`);
      }
      if (got.sha256 !== file.sha256) {
        throw new AssetVerificationError(
          `${file.path}: sha256 ${got.sha256} does not match the pinned ${file.sha256}; nothing was installed.`,
        );
      }
    }
    if (options.prepare) {
      report('prepare');
      await options.prepare(staging, entry);
    }
    const record: InstallRecord = {
      name: entry.name,
      version: entry.version,
      installedAt: new Date().toISOString(),
      from: options.from ? 'folder' : 'download',
      files: entry.files,
    };
    await writeFile(path.join(staging, INSTALL_RECORD), JSON.stringify(record, null, 2));
    // Swap into place: the old install (if any) is moved aside first, then removed.
    const aside = `${finalDir}.old-${randomBytes(6).toString('hex')}`;
    const hadOld = existsSync(finalDir);
    if (hadOld) await rename(finalDir, aside);
    try {
      await rename(staging, finalDir);
    } catch (e) {
      if (hadOld) await rename(aside, finalDir);
      throw e;
    }
    if (hadOld) await rm(aside, { recursive: true, force: true });
    report('done');
    return finalDir;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export interface AssetStatus {
  name: string;
  kind: AssetEntry['kind'];
  version: string;
  /** installed: this version, all files recorded; outdated: another version; missing: not installed. */
  state: 'installed' | 'outdated' | 'missing';
  installedVersion?: string;
  installedAt?: string;
  dir: string;
  sizeBytes: number;
  licence: string;
}

function readRecord(dir: string): InstallRecord | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, INSTALL_RECORD), 'utf8')) as InstallRecord;
  } catch {
    return null;
  }
}

function sameFiles(a: AssetFile[], b: AssetFile[]): boolean {
  if (a.length !== b.length) return false;
  const pins = new Map(a.map((f) => [f.path, f.sha256]));
  return b.every((f) => pins.get(f.path) === f.sha256);
}

/** Every asset in the manifest, installed or not. */
export function assetStatus(location: AssetLocation = {}): AssetStatus[] {
  const manifest = location.manifest ?? readManifest();
  const root = location.dir ?? assetsDir();
  return manifest.assets.map((entry) => {
    const dir = path.join(root, entry.name);
    const record = readRecord(dir);
    const state: AssetStatus['state'] = !record
      ? 'missing'
      : record.version === entry.version && sameFiles(record.files, entry.files)
        ? 'installed'
        : 'outdated';
    return {
      name: entry.name,
      kind: entry.kind,
      version: entry.version,
      state,
      ...(record ? { installedVersion: record.version, installedAt: record.installedAt } : {}),
      dir,
      sizeBytes: entry.files.reduce((s, f) => s + f.size, 0),
      licence: entry.licence,
    };
  });
}

/** The installed folder of `name`, or AssetNotInstalledError naming the command to run. */
export function requireAsset(name: string, location: AssetLocation = {}): string {
  const root = location.dir ?? assetsDir();
  const dir = path.join(root, name);
  const record = readRecord(dir);
  if (!record) throw new AssetNotInstalledError(name);
  const manifest =
    location.manifest ??
    (() => {
      try {
        return readManifest();
      } catch {
        return null;
      }
    })();
  const entry = manifest?.assets.find((a) => a.name === name);
  if (entry && (record.version !== entry.version || !sameFiles(record.files, entry.files))) {
    throw new AssetNotInstalledError(name, `is installed at version ${record.version} but this Scribe needs ${entry.version}`);
  }
  return dir;
}

/** Size and sha256 of every file under `dir` (for writing manifest pins): `scribe assets pin`. */
export async function pinFiles(dir: string, files: string[]): Promise<AssetFile[]> {
  const out: AssetFile[] = [];
  for (const rel of files) {
    const full = path.join(dir, ...rel.split('/'));
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(full) as AsyncIterable<Buffer>) hash.update(chunk);
    out.push({ path: rel, size: (await stat(full)).size, sha256: hash.digest('hex') });
  }
  return out;
}
