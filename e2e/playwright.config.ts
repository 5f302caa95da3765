import { defineConfig } from '@playwright/test';

// Real Debian Chromium against the real core (through the loopback web bridge). Browsers are launched
// by e2e/harness.ts so each test can feed its own fake-microphone WAV.
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  // One retry on CI only: a loaded 2-core runner occasionally starves a browser test; a retried pass is
  // reported as "flaky" in the output, never hidden.
  retries: process.env['CI'] ? 1 : 0,
  reporter: [['list']],
  outputDir: '../test-results/e2e',
});
