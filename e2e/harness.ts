import { chromium, test, type Browser, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Debian Chromium, optionally with a fake microphone that plays `micWav` once (then silence). */
export async function launchBrowser(opts: { micWav?: string } = {}): Promise<Browser> {
  const args = [...BASE_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];
  if (opts.micWav) args.push(`--use-file-for-fake-audio-capture=${opts.micWav}%noloop`);
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}

export interface RunningApp {
  url: string;
  origin: string;
  token: string;
  fhirBaseUrl: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `scribe web` (the real core, the sandbox EHR and the web bridge) as its own process, the way
 * `npm run dev:web` does, and waits for its ready line.
 */
export async function startApp(opts: { dataDir?: string; env?: Record<string, string>; args?: string[] } = {}): Promise<RunningApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-'));
  const child = spawn(
    process.execPath,
    [
      '--experimental-websocket',
      '--no-warnings=ExperimentalWarning',
      path.join(repoRoot, 'bin', 'scribe.mjs'),
      'web',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      ...(opts.args ?? []),
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const ready = await new Promise<{ url: string; origin: string; token: string; fhirBaseUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scribe web did not start in 90 s:\n${log}`)), 90_000);
    const onData = () => {
      const m = /SCRIBE_READY (\{.*\})/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(JSON.parse(m[1]!));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`scribe web exited with ${code}:\n${log}`));
    });
  });
  return {
    ...ready,
    dataDir,
    process: child,
    output: () => log,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      // A core that does not stop within 20 s is killed, so a hang shows as a failure, not a stuck suite.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Speech for the fake microphone: flite's voice, 16 kHz mono 16-bit, with a second of silence after. */
export function speechWav(text: string, file: string, voice = 'slt'): string {
  const raw = file.replace(/\.wav$/, '.raw.wav');
  execFileSync('flite', ['-voice', voice, '-t', text, '-o', raw]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', file, 'pad', '0.5', '1.5']);
  rmSync(raw, { force: true });
  if (!existsSync(file)) throw new Error(`could not synthesise ${file}`);
  return file;
}

export function wavSeconds(file: string): number {
  return Number(execFileSync('soxi', ['-D', file]).toString().trim());
}

/** Open the app page in a fresh browser context (the token travels in the URL fragment). */
export async function openApp(browser: Browser, app: RunningApp): Promise<Page> {
  const context = await browser.newContext();
  await context.grantPermissions(['microphone'], { origin: app.origin });
  const page = await context.newPage();
  await page.goto(app.url);
  return page;
}

/** A FHIR read against the sandbox, as the tests' independent check of what reached the EHR. */
export async function fhirRead<T = Record<string, unknown>>(app: RunningApp, ref: string, token?: string): Promise<T> {
  const res = await fetch(`${app.fhirBaseUrl}/${ref}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`GET ${ref} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * One `scribe web` for all the tests of a file: started before them, stopped (its data removed) after.
 * The returned object stands for the running app once the tests run.
 */
export function appPerFile(opts: Parameters<typeof startApp>[0] = {}): RunningApp {
  let running: RunningApp | null = null;
  test.beforeAll(async () => {
    running = await startApp(opts);
  });
  test.afterAll(async () => {
    await running?.stop();
    if (running) removeDir(running.dataDir);
  });
  return new Proxy({} as RunningApp, {
    get(_target, prop) {
      if (!running) throw new Error('the app is started in beforeAll: use it inside a test');
      return (running as unknown as Record<string | symbol, unknown>)[prop];
    },
  });
}

/**
 * Sign from the visit or queue screen: press Sign, read the review (tick "I have read…" when it lists
 * anything), confirm. Returns the review dialog's text, for tests that check what it listed.
 */
export async function signThroughReview(page: Page, signButton = 'sign'): Promise<string> {
  await page.getByTestId(signButton).click();
  const review = page.getByTestId('sign-review');
  await review.waitFor();
  const text = await review.innerText();
  const confirm = review.getByTestId('review-confirm');
  if (await confirm.count()) await confirm.check();
  await review.getByTestId('sign-confirm').click();
  return text;
}
