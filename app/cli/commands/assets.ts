import path from 'node:path';
import { assetsDir, assetStatus, installAsset, pinFiles, readManifest, type AssetProgress, type InstallOptions } from '../../assets/index.ts';
import { prepareTerminology, TERMINOLOGY_ASSET } from '../../coding/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';

export const summary = 'Install, list and pin model and terminology packs (sha256-verified, from the manifest)';

const HELP = `Usage:
  scribe assets list [--json]
      Every pack in models/manifest.json: installed, outdated or missing, with size and licence.
  scribe assets install NAME... [--from DIR]
      Downloads (https) or copies from DIR each file, verifies its size and sha256 against the manifest,
      refuses on any mismatch and installs nothing half-way. The terminology pack is then compiled once
      into its local index. Example: scribe assets install terminology --from ../shared/terminology
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
      process.stderr.write(`\r\x1b[K${p.asset}: ${p.phase} ${pct}% (${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}) ${p.file ?? ''}`);
    } else if (!tty && Math.floor(pct / 25) !== Math.floor(lastPct / 25)) {
      process.stderr.write(`${p.asset}: ${p.phase} ${pct}%\n`);
    }
    lastPct = pct;
    lastPhase = p.phase;
  };
}

export default async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 2;
  }
  const spec = {
    command: `assets ${sub}`, usage: HELP, argv: rest,
    options: { from: { type: 'string' }, json: { type: 'boolean' } },
    positionals: { name: sub === 'install' ? 'asset NAME' : 'FILE', max: sub === 'list' ? 0 : Infinity },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  if (sub === 'list') {
    const status = assetStatus();
    if (values.json) {
      console.log(JSON.stringify(status, null, 2));
      return 0;
    }
    if (!status.length) console.log('The manifest lists no assets.');
    for (const s of status) {
      const state = s.state === 'outdated' ? `outdated (installed ${s.installedVersion})` : s.state;
      console.log(`${s.name.padEnd(24)} ${s.kind.padEnd(18)} ${s.version.padEnd(16)} ${formatBytes(s.sizeBytes).padStart(9)}  ${state}`);
    }
    return 0;
  }
  if (sub === 'install') {
    if (!positionals.length) return usageError(spec, 'name at least one asset (see `scribe assets list`).');
    const manifest = readManifest();
    const from = values.from ? path.resolve(values.from) : undefined;
    let failed = 0;
    for (const name of positionals) {
      try {
        const dir = await installAsset(name, { manifest, ...(from ? { from } : {}), onProgress: progressPrinter(), ...(PREPARE[name] ? { prepare: PREPARE[name] } : {}) });
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
