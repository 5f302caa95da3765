import { cpus, freemem, totalmem } from 'node:os';
import { join } from 'node:path';
import { ScribeError } from '../../contract/index.ts';
import { assetStatus, readManifest, requireAsset, type AssetEntry, type AssetLocation } from '../../assets/index.ts';

/**
 * Model packs: open instruction models in GGUF listed in models/manifest.json (kind llm-model), installed
 * by `scribe assets install NAME`. A setting or --model names either a pack or a .gguf file path.
 */

export function llmPacks(location: AssetLocation = {}): AssetEntry[] {
  const manifest = location.manifest ?? readManifest();
  return manifest.assets.filter((a) => a.kind === 'llm-model' && a.llm);
}

/** The GGUF file a model setting names: a path (anything with a / or ending .gguf) or an installed pack. */
export function resolveModelFile(nameOrPath: string, location: AssetLocation = {}): string {
  if (nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.gguf')) return nameOrPath;
  const manifest = location.manifest ?? readManifest();
  const entry = manifest.assets.find((a) => a.name === nameOrPath);
  if (!entry)
    throw new ScribeError(
      'not_found',
      `no model pack named "${nameOrPath}" (have: ${
        llmPacks({ manifest })
          .map((a) => a.name)
          .join(', ') || 'none'
      })`,
    );
  if (entry.kind !== 'llm-model') throw new ScribeError('bad_request', `"${nameOrPath}" is a ${entry.kind} pack, not a language model`);
  const file = entry.llm?.file ?? entry.files.find((f) => f.path.endsWith('.gguf'))?.path;
  if (!file) throw new ScribeError('bad_request', `the model pack "${nameOrPath}" lists no .gguf file`);
  return join(requireAsset(nameOrPath, { ...location, manifest }), file);
}

export interface Hardware {
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  cores: number;
  /** What node-llama-cpp reports: the GPU backend it can use (false = CPU only) and its memory. */
  gpu: string | false;
  gpuMemoryBytes: number;
}

/** Memory, cores and GPU as node-llama-cpp sees them (its GPU probe loads only the builds installed). */
export async function checkHardware(): Promise<Hardware> {
  const base = { totalMemoryBytes: totalmem(), freeMemoryBytes: freemem(), cores: cpus().length };
  try {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error });
    const vram = llama.gpu ? await llama.getVramState() : { total: 0 };
    const gpu = llama.gpu;
    await llama.dispose();
    return { ...base, gpu, gpuMemoryBytes: vram.total };
  } catch {
    return { ...base, gpu: false, gpuMemoryBytes: 0 };
  }
}

export interface PackFit {
  name: string;
  parameters: string;
  memoryBytes: number;
  fits: boolean;
  /** Why it will not run well here, in words (empty when it fits). */
  warning: string;
}

/** A model fits when its memory need is within the GPU's memory, or within 3/4 of the machine's memory on CPU. */
export function packFits(packs: AssetEntry[], hw: Hardware): PackFit[] {
  const budget = Math.max(hw.gpuMemoryBytes, hw.totalMemoryBytes * 0.75);
  const gb = (n: number): string => `${(n / 1e9).toFixed(1)} GB`;
  return packs.map((p) => {
    const need = p.llm!.memoryBytes;
    const fits = need <= budget;
    return {
      name: p.name,
      parameters: p.llm!.parameters,
      memoryBytes: need,
      fits,
      warning: fits
        ? ''
        : `needs about ${gb(need)} of memory; this workstation has ${gb(hw.totalMemoryBytes)}${hw.gpu ? ` and ${gb(hw.gpuMemoryBytes)} on its ${hw.gpu} GPU` : ' and no usable GPU'}: it will fail to load or be very slow`,
    };
  });
}

/** The largest pack that fits (null when none does: use the built-in drafter or a practice server). */
export function recommendPack(fits: PackFit[]): string | null {
  const ok = fits.filter((f) => f.fits).sort((a, b) => b.memoryBytes - a.memoryBytes);
  return ok[0]?.name ?? null;
}

/** The hardware in words, e.g. "15.6 GB of memory, 8 cores, no usable GPU". */
export function describeHardware(hw: Hardware): string {
  const gb = (n: number): string => `${(n / 1e9).toFixed(1)} GB`;
  return `${gb(hw.totalMemoryBytes)} of memory, ${hw.cores} cores, ${hw.gpu ? `${hw.gpu} GPU with ${gb(hw.gpuMemoryBytes)}` : 'no usable GPU'}`;
}

export interface PackReport extends PackFit {
  sizeBytes: number;
  installed: boolean;
}

/** Every language-model pack of the manifest: installed or not, whether it fits this hardware, and the one recommended. */
export function packReport(hw: Hardware, location: AssetLocation = {}): { packs: PackReport[]; recommended: string | null } {
  const manifest = location.manifest ?? readManifest();
  const status = new Map(assetStatus({ ...location, manifest }).map((s) => [s.name, s]));
  const fits = packFits(llmPacks({ manifest }), hw);
  const packs = fits.map((f) => ({
    ...f,
    sizeBytes: status.get(f.name)?.sizeBytes ?? 0,
    installed: status.get(f.name)?.state === 'installed',
  }));
  return { packs, recommended: recommendPack(fits) };
}
