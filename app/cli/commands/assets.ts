import path from 'node:path';
import {
  assetsDir,
  assetStatus,
  installAsset,
  pinFiles,
  readManifest,
  type AssetProgress,
  type InstallOptions,
} from '../../assets/index.ts';
import { prepareTerminology, TERMINOLOGY_ASSET } from '../../coding/index.ts';
import type { Hardware, PackReport } from '../../draft/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';

export const summary = 'Install, list and pin model and terminology packs (sha256-verified, from the manifest)';

const HELP = `Usage:
  scribe assets list [--json]
      Every pack in models/manifest.json: installed, outdated or missing, with size and licence; for the
      language-model packs, whether each fits this workstation and which one the hardware check recommends.
  scribe assets install NAME... [--from DIR] [--ignore-hardware]
      Downloads (https) or copies from DIR each file, verifies its size and sha256 against the manifest,
      refuses on any mismatch and installs nothing half-way. The terminology pack is then compiled once
      into its local index. A language-model pack that will not fit this workstation's memory (or GPU) is
      refused with the reason unless --ignore-hardware is given.
      Example: scribe assets install terminology --from ../shared/terminology
  scribe assets pin --from DIR FILE...
      Prints manifest "files" entries (path, size, sha256) for files in DIR, to add a pack to the manifest.
Installed packs live in ${assetsDir()} (SCRIBE_ASSETS_DIR, or <SCRIBE_DATA_DIR>/assets).`;

/** Asset-specific steps run on the verified staged folder before it is moved into place. */
const PREPARE: Record<string, NonNullable<InstallOptions['prepare']>> = {
  [TERMINOLOGY_ASSET]: prepareTerminology,
};

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(0)} kB`;
  return `${n} B`;
}

function progressPrinter(): (p: AssetProgress) => void {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  let lastPhase = '';
  return (p) => {
    const pct = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
    if (p.phase === 'prepare') {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}${p.asset}: verified ${formatBytes(p.bytesTotal)}; compiling…\n`);
    } else if (p.phase === 'done') {
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}${p.asset}: installed\n`);
    } else if (tty && (pct !== lastPct || p.phase !== lastPhase)) {
      process.stderr.write(
        `\r\x1b[K${p.asset}: ${p.phase} ${pct}% (${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}) ${p.file ?? ''}`,
      );
    } else if (!tty && Math.floor(pct / 25) !== Math.floor(lastPct / 25)) {
      process.stderr.write(`${p.asset}: ${p.phase} ${pct}%\n`);
    }
    lastPct = pct;
    lastPhase = p.phase;
  };
}

export interface AssetsDeps {
  /** The hardware check (node-llama-cpp's view of memory, cores and GPU); tests inject figures. */
  hardware?: () => Promise<Hardware>;
}

/** The language-model packs' fit on this workstation, or null when the manifest lists none (no probe then). */
async function llmFit(
  deps: AssetsDeps,
): Promise<{ hw: Hardware; packs: Map<string, PackReport>; recommended: string | null; describe: string } | null> {
  if (!readManifest().assets.some((a) => a.kind === 'llm-model' && a.llm)) return null;
  const draft = await import('../../draft/index.ts');
  const hw = await (deps.hardware ?? draft.checkHardware)();
  const { packs, recommended } = draft.packReport(hw);
  return { hw, packs: new Map(packs.map((p) => [p.name, p])), recommended, describe: draft.describeHardware(hw) };
}

export default async function run(argv: string[], deps: AssetsDeps = {}): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 2;
  }
  const spec = {
    command: `assets ${sub}`,
    usage: HELP,
    argv: rest,
    options: { from: { type: 'string' }, json: { type: 'boolean' }, 'ignore-hardware': { type: 'boolean' } },
    positionals: { name: sub === 'install' ? 'asset NAME' : 'FILE', max: sub === 'list' ? 0 : Infinity },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  if (sub === 'list') {
    const status = assetStatus();
    const fit = await llmFit(deps);
    if (values.json) {
      // Language-model packs gain `fits`, `recommended` and `hardwareWarning` (additive: other fields unchanged).
      console.log(
        JSON.stringify(
          status.map((s) => {
            const f = fit?.packs.get(s.name);
            return f ? { ...s, fits: f.fits, recommended: s.name === fit!.recommended, hardwareWarning: f.warning } : s;
          }),
          null,
          2,
        ),
      );
      return 0;
    }
    if (!status.length) console.log('The manifest lists no assets.');
    for (const s of status) {
      const state = s.state === 'outdated' ? `outdated (installed ${s.installedVersion})` : s.state;
      const f = fit?.packs.get(s.name);
      const note = !f
        ? ''
        : s.name === fit!.recommended
          ? '  (recommended for this workstation)'
          : f.fits
            ? '  (fits this workstation)'
            : '  (will not fit this workstation)';
      console.log(
        `${s.name.padEnd(24)} ${s.kind.padEnd(18)} ${s.version.padEnd(16)} ${formatBytes(s.sizeBytes).padStart(9)}  ${state}${note}`,
      );
    }
    if (fit) {
      console.log(
        `\nLanguage models: this workstation has ${fit.describe}. ${
          fit.recommended
            ? `Recommended: ${fit.recommended} (scribe assets install ${fit.recommended}).`
            : 'No language-model pack fits: draft with the built-in drafter or a practice server.'
        }`,
      );
    }
    return 0;
  }
  if (sub === 'install') {
    if (!positionals.length) return usageError(spec, 'name at least one asset (see `scribe assets list`).');
    const manifest = readManifest();
    const from = values.from ? path.resolve(values.from) : undefined;
    let failed = 0;
    const fit = positionals.some((n) => manifest.assets.some((a) => a.name === n && a.kind === 'llm-model')) ? await llmFit(deps) : null;
    for (const name of positionals) {
      const f = fit?.packs.get(name);
      if (f && !f.fits) {
        const instead = fit!.recommended
          ? `the recommended pack here is ${fit!.recommended}`
          : 'no pack fits here: draft with the built-in drafter or a practice server';
        if (!values['ignore-hardware']) {
          failed++;
          console.error(
            `scribe assets install ${name}: this model will not fit this workstation: it ${f.warning}. Nothing was installed; ${instead}. To install it anyway, add --ignore-hardware.`,
          );
          continue;
        }
        console.error(
          `scribe assets install ${name}: warning: this model will not fit this workstation: it ${f.warning}. Installing anyway (--ignore-hardware).`,
        );
      }
      try {
        const dir = await installAsset(name, {
          manifest,
          ...(from ? { from } : {}),
          onProgress: progressPrinter(),
          ...(PREPARE[name] ? { prepare: PREPARE[name] } : {}),
        });
        console.log(`${name}: installed in ${dir}`);
      } catch (e) {
        failed++;
        console.error(`scribe assets install ${name}: ${(e as Error).message}`);
      }
    }
    return failed ? 1 : 0;
  }
  if (sub === 'pin') {
    if (!values.from || !positionals.length) return usageError(spec, '--from DIR and at least one FILE are required.');
    console.log(JSON.stringify(await pinFiles(path.resolve(values.from), positionals), null, 2));
    return 0;
  }
  return usageError({ command: 'assets', usage: HELP }, `unknown subcommand '${sub}'`);
}
