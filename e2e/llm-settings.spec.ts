import { expect, test, type Browser } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatServer } from '../testing/llm/chat-server.ts';
import { launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';
import { startTinyPracticeServer, type TinyPracticeServer } from './llm-harness.ts';

// Settings → Note drafting against the real core: a plain-http address off this machine is refused beside
// the address field in words; the practice server (a real loopback server running node-llama-cpp on a tiny
// generated model) is checked with a real generation that names the model and the seconds; the API key is
// stored in the OS keychain and only its state comes back; the choice is saved and survives a reload.

let app: RunningApp;
let browser: Browser;
let server: TinyPracticeServer;
let chat: ChatServer;
let modelDir: string;

test.beforeAll(async () => {
  modelDir = mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-llm-settings-'));
  server = await startTinyPracticeServer(modelDir, { seed: 3 });
  chat = server.chat;
  app = await startApp();
  browser = await launchBrowser();
});

test.afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.close();
  if (app) removeDir(app.dataDir);
  if (modelDir) removeDir(modelDir);
});

test('the practice server: https rule beside the field, Check runs a real generation, key kept in the keychain', async () => {
  const page = await openApp(browser, app);
  await expect(page.getByTestId('profile-select')).toHaveValue(/.+/);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-screen')).toBeVisible();

  await expect(page.getByTestId('settings-draft-engine')).toHaveValue('builtin');
  // The local engine shows the hardware check and its recommendation (the manifest's packs).
  await page.getByTestId('settings-draft-engine').selectOption('llm');
  await expect(page.getByTestId('settings-draft-hardware')).toContainText(/of memory, \d+ cores/);
  await expect(page.getByTestId('settings-draft-model').locator('option')).not.toHaveCount(0);
  const section = page.locator('section[aria-labelledby="settings-drafting"]');
  await section.screenshot({ path: path.join(os.tmpdir(), 'scribe-llm-settings-packs.png') });

  await page.getByTestId('settings-draft-engine').selectOption('server');
  await page.getByTestId('settings-draft-url').fill('http://10.1.2.3:8000');
  await page.getByTestId('settings-draft-server-model').fill('tiny-served');
  await page.getByTestId('settings-draft-check').click();
  const urlError = page.getByTestId('settings-draft-url-error');
  await expect(urlError).toContainText('may only go to a practice server over https');
  await expect(page.getByTestId('settings-draft-url')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('settings-draft-save').click();
  await expect(urlError).toContainText('may only go to a practice server over https');
  await expect(page.getByTestId('settings-draft-status')).toHaveCount(0);
  expect(chat.requests).toHaveLength(0);
  await section.screenshot({ path: path.join(os.tmpdir(), 'scribe-llm-settings-url-error.png') });

  // The API key goes to the keychain; the screen only ever learns "set".
  await expect(page.getByTestId('settings-draft-key-state')).toHaveText('Not set');
  await page.getByTestId('settings-draft-key').fill('sk-test-practice-key');
  await page.getByTestId('settings-draft-key-save').click();
  await expect(page.getByTestId('settings-draft-key-state')).toContainText('Set (kept in the OS keychain)');
  await expect(page.getByTestId('settings-draft-key')).toHaveValue('');

  // The real loopback server: Check runs a tiny generation on node-llama-cpp and reports it in words.
  await page.getByTestId('settings-draft-url').fill(chat.url);
  await expect(urlError).toHaveCount(0);
  await page.getByTestId('settings-draft-check').click();
  const result = page.getByTestId('settings-draft-check-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(result).toContainText(/tiny-served \(served by 127\.0\.0\.1:\d+\) answered on the practice server in \d+\.\d s/);
  expect(chat.requests.at(-1)).toMatchObject({ model: 'tiny-served' });
  await section.screenshot({ path: path.join(os.tmpdir(), 'scribe-llm-settings-check.png') });

  await page.getByTestId('settings-draft-save').click();
  await expect(page.getByTestId('settings-draft-status')).toContainText('next draft');
  const saved = JSON.parse(readFileSync(path.join(app.dataDir, 'workstation-settings.json'), 'utf8')) as {
    drafting: { engine: string; server: { baseUrl: string; model: string } };
  };
  expect(saved.drafting).toMatchObject({ engine: 'server', server: { baseUrl: chat.url, model: 'tiny-served' } });
  expect(readFileSync(path.join(app.dataDir, 'workstation-settings.json'), 'utf8')).not.toContain('sk-test-practice-key');

  // A server that stops answering: Check says so in words.
  chat.behaviour = { kind: 'status', status: 500 };
  await page.getByTestId('settings-draft-check').click();
  await expect(result).toHaveAttribute('data-ok', 'false');
  await expect(result).toContainText('answered 500');
  chat.behaviour = { kind: 'model' };

  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-draft-engine')).toHaveValue('server');
  await expect(page.getByTestId('settings-draft-url')).toHaveValue(chat.url);
  await expect(page.getByTestId('settings-draft-key-state')).toContainText('Set');
});
