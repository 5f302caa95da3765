/**
 * `npm run bench:vault`: what encryption at rest costs during a visit (issue 7).
 *   - AES-256-GCM sealing throughput (MB/s), in memory;
 *   - added latency per 1-second audio chunk (32 kB of 16 kHz mono PCM16): sealing alone, and the whole
 *     `appendAudio` (seal + write + fdatasync) on the vault's real directory;
 *   - CPU share of the process during a simulated real-time 16 kHz recording (one chunk per second).
 * Targets: < 2 ms per chunk, < 5 % CPU. Uses the real OS keychain; outside a desktop session it re-runs
 * itself inside `dbus-run-session` with an unlocked gnome-keyring, as CI does.
 * Options: --seconds N (real-time recording length, default 20), --dir DIR (where the vault goes; default a temp dir).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openKeychain } from '../app/secrets/index.ts';
import { openVault } from '../app/vault/index.ts';
import { aadOf, seal } from '../app/vault/frames.ts';

const CHUNK_BYTES = 32_000;

if (!process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.SCRIBE_BENCH_IN_DBUS) {
  const self = fileURLToPath(import.meta.url);
  const inner = 'printf "\\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"';
  const child = spawnSync(
    'dbus-run-session',
    ['--', 'sh', '-c', inner, 'sh', process.execPath, ...process.execArgv, self, ...process.argv.slice(2)],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, SCRIBE_BENCH_IN_DBUS: '1' },
    },
  );
  process.exit(child.status ?? 1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarise(label: string, samplesMs: number[]): void {
  const s = [...samplesMs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  console.log(
    `${label.padEnd(44)} mean ${mean.toFixed(3)} ms   p50 ${percentile(s, 50).toFixed(3)}   p95 ${percentile(s, 95).toFixed(3)}   max ${s.at(-1)!.toFixed(3)}   (n=${s.length})`,
  );
}

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, dir: { type: 'string' } } });
const seconds = Math.max(3, Number(values.seconds));
const base = values.dir ? path.resolve(values.dir) : await mkdtemp(path.join(tmpdir(), 'scribe-bench-vault-'));
const dir = path.join(base, `vault-${process.pid}`);
const service = `org.scribe.bench.${randomBytes(4).toString('hex')}`;
const keychain = await openKeychain(service);

try {
  console.log(
    `Vault benchmark (Node ${process.version}, ${process.platform}/${process.arch}), vault in ${dir}, keychain: ${keychain.kind}`,
  );

  // 1. throughput: seal 256 MB in 1 MiB frames
  const key = randomBytes(32);
  const frame = randomBytes(1024 * 1024);
  for (let i = 0; i < 16; i += 1) seal(key, frame, aadOf('bench', i)); // warm-up
  const frames = 256;
  let t = process.hrtime.bigint();
  for (let i = 0; i < frames; i += 1) seal(key, frame, aadOf('bench', i));
  const sealSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(`AES-256-GCM seal throughput (1 MiB frames)     ${(frames / sealSeconds).toFixed(0)} MB/s`);

  // 2. per-chunk latency
  const chunk = randomBytes(CHUNK_BYTES);
  const sealOnly: number[] = [];
  for (let i = 0; i < 2000; i += 1) {
    t = process.hrtime.bigint();
    seal(key, chunk, aadOf('bench', i));
    sealOnly.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  summarise('seal one 1-s chunk (32 kB), added latency', sealOnly);

  const vault = await openVault({ dir, secrets: keychain });
  const visit = vault.visit('bench-visit');
  const appendMs: number[] = [];
  for (let i = 0; i < 300; i += 1) {
    t = process.hrtime.bigint();
    await visit.appendAudio(chunk);
    appendMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  summarise('appendAudio 32 kB (seal + write + fdatasync)', appendMs);
  t = process.hrtime.bigint();
  const all = await visit.readAudio();
  const readSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `readAudio ${(all.length / 1e6).toFixed(1)} MB (decrypt + verify every frame)   ${(all.length / 1e6 / readSeconds).toFixed(0)} MB/s`,
  );

  // 3. CPU share during a real-time recording: one 1-second chunk per second
  const live = vault.visit('bench-live');
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  for (let i = 0; i < seconds; i += 1) {
    const due = Number(wallStart) / 1e6 + (i + 1) * 1000;
    await live.appendAudio(randomBytes(CHUNK_BYTES));
    const wait = due - Number(process.hrtime.bigint()) / 1e6;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const cpu = process.cpuUsage(cpuStart);
  const wall = Number(process.hrtime.bigint() - wallStart) / 1e6;
  const share = ((cpu.user + cpu.system) / 1000 / wall) * 100;
  console.log(
    `CPU during a ${seconds}-s simulated 16 kHz recording         ${share.toFixed(2)} % of one core (user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms over ${(wall / 1000).toFixed(1)} s; includes generating the random PCM)`,
  );

  const p95Append = [...appendMs].sort((a, b) => a - b)[Math.floor(appendMs.length * 0.95)]!;
  const meanSeal = sealOnly.reduce((a, b) => a + b, 0) / sealOnly.length;
  console.log(
    `Targets: encryption < 2 ms per chunk: ${meanSeal < 2 ? 'met' : 'MISSED'} (${meanSeal.toFixed(3)} ms); whole durable append p95 ${p95Append.toFixed(2)} ms; CPU < 5 %: ${share < 5 ? 'met' : 'MISSED'} (${share.toFixed(2)} %)`,
  );
  await vault.close();
} finally {
  for (const account of await keychain.list()) await keychain.delete(account);
  await rm(values.dir ? dir : base, { recursive: true, force: true });
}
