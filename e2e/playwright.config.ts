import { defineConfig } from '@playwright/test';

// Real Debian Chromium against the real core (through the loopback web bridge). Browsers are launched
// by e2e/harness.ts so each test can feed its own fake-microphone WAV.
export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: '../test-results/e2e',
});
