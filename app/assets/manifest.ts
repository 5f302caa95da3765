import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The asset manifest (`models/manifest.json`): every model or data pack Scribe may install, with the
 * sha256 of each file and where that pin was taken from. Nothing is installed that is not listed here.
 */

/** A path inside an asset: relative, forward slashes, no `..`, no hidden tricks. */
const RelativePath = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      !/^[A-Za-z]:/.test(p) &&
      p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'a relative path inside the asset (no leading /, no .., no backslashes)',
  );

export const AssetFile = z.object({
  path: RelativePath,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lowercase hex digits'),
  /** Where to download this file; defaults to `<asset.baseUrl>/<path>`. https only. */
  url: z.string().url().optional(),
});
export type AssetFile = z.infer<typeof AssetFile>;

export const AssetEntry = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lowercase letters, digits, . _ -'),
  version: z.string().min(1),
  kind: z.enum(['terminology', 'asr-model', 'vad-model', 'diarization-model', 'draft-model', 'llm-model', 'other']),
  description: z.string(),
  licence: z.string().min(1),
  /** Where the content comes from (upstream project / publisher) and how it was assembled. */
  source: z.object({ url: z.string().min(1), provenance: z.string().min(1) }),
  /** Where each sha256 pin was taken from (upstream published hash, or computed from a named copy on a date). */
  pinnedFrom: z.string().min(1),
  /** Base URL files are downloaded from (https). Absent: the pack installs only with `--from DIR`. */
  baseUrl: z.string().url().optional(),
  files: z.array(AssetFile).min(1),
  /** llm-model packs: which file is the GGUF and what it needs to run (the hardware check reads this). */
  llm: z
    .object({
      file: z.string().min(1),
      parameters: z.string().min(1),
      quantization: z.string().min(1),
      /** Memory the model needs loaded with an 8k context (weights + KV cache + runtime), bytes. */
      memoryBytes: z.number().int().positive(),
    })
    .optional(),
});
export type AssetEntry = z.infer<typeof AssetEntry>;

export const Manifest = z
  .object({
    formatVersion: z.literal(1),
    assets: z.array(AssetEntry),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    for (const [i, a] of m.assets.entries()) {
      if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['assets', i, 'name'], message: `duplicate asset ${a.name}` });
      seen.add(a.name);
      const files = new Set<string>();
      for (const f of a.files) {
        if (files.has(f.path)) ctx.addIssue({ code: 'custom', path: ['assets', i, 'files'], message: `duplicate file ${f.path}` });
        files.add(f.path);
      }
    }
  });
export type Manifest = z.infer<typeof Manifest>;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `SCRIBE_ASSETS_MANIFEST`, else the manifest shipped with the app (`models/manifest.json`). */
export function manifestPath(): string {
  return process.env.SCRIBE_ASSETS_MANIFEST || path.join(repoRoot, 'models', 'manifest.json');
}

const cache = new Map<string, { mtimeMs: number; manifest: Manifest }>();

/** The manifest, parsed and validated (cached until the file changes). */
export function readManifest(file = manifestPath()): Manifest {
  let mtimeMs = -1;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    // reported below by the read
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.manifest;
  const manifest = parseManifest(file);
  cache.set(file, { mtimeMs, manifest });
  return manifest;
}

function parseManifest(file: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read the asset manifest ${file}: ${(e as Error).message}`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    throw new Error(`The asset manifest ${file} is invalid: ${issues}`);
  }
  return parsed.data;
}
