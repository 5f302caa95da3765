import { expect, test, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTranscriptionServer, type TestTranscriptionServer } from '../testing/transcribe/transcription-server.ts';
import { launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';

// Settings → Speech recognition → the practice transcription server: the https rule refuses plain http to
// a clinic address IT has not allowed (in words, nothing saved); a loopback server is saved and survives a reload.

let app: RunningApp;
let browser: Browser;
let asr: TestTranscriptionServer;

test.beforeAll(async () => {
  asr = await startTranscriptionServer('ok');
  app = await startApp();
  browser = await launchBrowser();
});

test.afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await asr?.close();
  if (app) removeDir(app.dataDir);
});

test('choose the transcription server: plain http to the network is refused, a loopback server is saved', async () => {
  const page = await openApp(browser, app);
  await expect(page.getByTestId('profile-select')).toHaveValue(/.+/);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-screen')).toBeVisible();

  await page.getByTestId('settings-engine').selectOption('server');
  await page.getByTestId('settings-asr-server').fill('http://10.20.30.40:8000');
  await page.getByTestId('settings-asr-model').fill('Systran/faster-whisper-small.en');
  await page.getByTestId('settings-recognition-save').click();
  await expect(page.getByTestId('settings-recognition-status')).toContainText('only go to a practice server over https');
  const file = path.join(app.dataDir, 'workstation-settings.json');
  const savedBefore = (() => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  })();
  expect(savedBefore).not.toContain('10.20.30.40');

  await page.getByTestId('settings-asr-server').fill(asr.url);
  await page.getByTestId('settings-recognition-save').click();
  await expect(page.getByTestId('settings-recognition-status')).toContainText('Saved');
  await page.screenshot({ path: path.join('test-results', 'transcription-server-settings.png'), fullPage: true });
  expect(JSON.parse(readFileSync(file, 'utf8')).recognition).toEqual({
    engine: 'server',
    model: null,
    server: { baseUrl: asr.url, model: 'Systran/faster-whisper-small.en', allowedPlainHosts: [] },
  });

  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-engine')).toHaveValue('server');
  await expect(page.getByTestId('settings-asr-server')).toHaveValue(asr.url);
});
