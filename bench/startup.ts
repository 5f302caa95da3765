// npm run bench:startup — from process start to "ready to record" in the browser (today's schedule
// shown with its Start visit buttons), and the peak memory (VmHWM) of the core process. Median of runs.
import { readFileSync } from 'node:fs';
import { launchBrowser, openApp, removeDir, startApp } from '../e2e/harness.ts';

const RUNS = Number(process.env['RUNS'] ?? 5);

function peakMemoryMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const browser = await launchBrowser();
const ready: number[] = [];
const core: number[] = [];
const memory: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const app = await startApp();
    const tCore = performance.now();
    const page = await openApp(browser, app);
    await page.getByRole('button', { name: 'Start visit' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const tReady = performance.now();
    memory.push(peakMemoryMb(app.process.pid!));
    ready.push(tReady - t0);
    core.push(tCore - t0);
    await page.context().close();
    await app.stop();
    removeDir(app.dataDir);
    console.log(
      `run ${i + 1}: core listening ${(tCore - t0).toFixed(0)} ms, ready to record ${(tReady - t0).toFixed(0)} ms, core peak RSS ${memory.at(-1)!.toFixed(0)} MB`,
    );
  }
} finally {
  await browser.close();
}
console.log('');
console.log(
  `startup (median of ${RUNS}): core listening ${median(core).toFixed(0)} ms; ready to record in the browser ${median(ready).toFixed(0)} ms (target < 1500 ms)`,
);
console.log(`core peak memory (median VmHWM): ${median(memory).toFixed(0)} MB`);
