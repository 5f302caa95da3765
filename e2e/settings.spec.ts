import { expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openAuditLog } from '../app/audit/index.ts';
import { launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';

// The Settings screen against the real core: a change of engine is saved and survives a reload, the
// sandbox EHR is checked for real (CapabilityStatement + SMART configuration), retention changes, every
// change lands in the audit log, and what an EHR says about itself is shown as text.

let app: RunningApp;
let browser: Browser;
let hostile: Server;
let hostileUrl: string;
const IMG = '<img src=x onerror="window.__xss=1">';

test.beforeAll(async () => {
  hostile = createServer((req, res) => {
    if (req.url === '/fhir/metadata') {
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(
        JSON.stringify({
          resourceType: 'CapabilityStatement',
          fhirVersion: '4.0.1',
          software: { name: IMG },
          rest: [{ mode: 'server', resource: [{ type: 'Patient' }] }],
        }),
      );
    } else if (req.url === '/fhir/.well-known/smart-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          authorization_endpoint: 'https://auth.example.org/authorize',
          token_endpoint: 'https://auth.example.org/token',
          code_challenge_methods_supported: ['S256'],
          capabilities: [`launch-standalone ${IMG}`],
        }),
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/fhir`;
  app = await startApp();
  browser = await launchBrowser();
});

test.afterAll(async () => {
  await browser?.close();
  await app?.stop();
  hostile?.close();
  if (app) removeDir(app.dataDir);
});

/** Switch profile and wait for it to land: it sends the app home, which would close Settings. */
async function useProfile(page: Page, id: string): Promise<void> {
  const select = page.getByTestId('profile-select');
  await expect(select).toHaveValue(/.+/);
  if ((await select.inputValue()) === id) return;
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/call/session.useProfile')), select.selectOption(id)]);
  await expect(select).toHaveValue(id);
}

async function openSettings(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-screen')).toBeVisible();
}

test('change the engine, check the sandbox EHR, change retention; all saved, reloaded and audited', async () => {
  const page = await openApp(browser, app);
  // A clinician: recognition is theirs to change, the EHR connection and retention are not.
  await useProfile(page, 'dana-reyes');
  await openSettings(page);

  // Speech recognition: installed packs are listed with their install command; pick sherpa and save.
  await expect(page.getByTestId('settings-assets')).toBeVisible();
  await expect(page.getByTestId('settings-assets').locator('code').first()).toContainText('scribe assets install');
  await expect(page.getByTestId('settings-engine')).toHaveValue('sphinx');
  await page.getByTestId('settings-engine').selectOption('sherpa');
  // The model field follows the engine once the window has re-rendered.
  await expect(page.getByTestId('settings-model')).toHaveValue(/^sherpa-/);
  const model = await page.getByTestId('settings-model').inputValue();
  await expect(page.getByTestId('settings-model-missing')).toContainText(`scribe assets install ${model}`);
  await page.getByTestId('settings-recognition-save').click();
  await expect(page.getByTestId('settings-recognition-status')).toContainText('next visit');

  // Saved on disk and after a reload.
  const saved = JSON.parse(readFileSync(path.join(app.dataDir, 'workstation-settings.json'), 'utf8')) as {
    recognition: { engine: string; model: string; server: unknown };
  };
  // No transcription server was ever set: the file says so (`server: null`) rather than leaving it out.
  expect(saved.recognition).toEqual({ engine: 'sherpa', model, server: null });
  await page.reload();
  await openSettings(page);
  await expect(page.getByTestId('settings-engine')).toHaveValue('sherpa');
  await expect(page.getByTestId('settings-model')).toHaveValue(model);

  // EHR: the sandbox in use is checked for real.
  await expect(page.getByTestId('settings-ehr-in-use')).toContainText(app.fhirBaseUrl);
  await page.getByTestId('settings-ehr-check').click();
  const result = page.getByTestId('settings-ehr-check-result');
  await expect(result).toContainText('FHIR 4.0.1');
  await expect(result).toContainText('Scribe sandbox EHR');
  await expect(result).toContainText('/oauth/token');
  // How notes would be written to it, from its CapabilityStatement (decision 0150).
  await expect(page.getByTestId('settings-ehr-write-plan')).toHaveAttribute('data-mode', 'full');
  await expect(page.getByTestId('settings-ehr-write-plan')).toContainText('one transaction');

  // The EHR connection is the practice manager's, not a clinician's (issue 15): the clinician sees it
  // read-only, told so in plain words next to it, and the core refuses the change if it is sent anyway.
  await expect(page.getByTestId('settings-ehr-readonly')).toContainText('Only the practice manager');
  await expect(page.getByTestId('settings-ehr-mode')).toBeDisabled();
  await expect(page.getByTestId('settings-ehr-mode')).toHaveAttribute('aria-describedby', 'settings-ehr-readonly');
  await expect(page.getByTestId('settings-ehr-save')).toHaveCount(0);
  await page.screenshot({ path: path.join(os.tmpdir(), 'scribe-e2e-settings-clinician.png'), fullPage: true });
  const refused = await page.evaluate(async (baseUrl) => {
    const res = await fetch('/api/call/settings.set', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionStorage.getItem('scribe.token') ?? ''}` },
      body: JSON.stringify({ ehr: { mode: 'fhir', baseUrl, clientId: 'scribe-desktop' } }),
    });
    return (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
  }, hostileUrl);
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('practice manager') } });

  // Retention: the practice manager's policy (a clinician sees it read-only).
  await expect(page.getByTestId('settings-retention-readonly')).toBeVisible();
  await expect(page.getByTestId('settings-audio-days')).toBeDisabled();
  await useProfile(page, 'morgan-manager');
  await openSettings(page);

  // A FHIR EHR that does not answer: a clear error; an http address off this machine is refused on save.
  await expect(page.getByTestId('settings-ehr-readonly')).toHaveCount(0);
  await page.getByTestId('settings-ehr-mode').selectOption('fhir');
  await page.getByTestId('settings-ehr-url').fill('http://127.0.0.1:9/fhir');
  await page.getByTestId('settings-ehr-client').fill('scribe-desktop');
  await page.getByTestId('settings-ehr-check').click();
  await expect(page.getByTestId('settings-ehr-check-error')).toContainText('cannot be reached');
  await page.getByTestId('settings-ehr-url').fill('http://ehr.example.org/fhir');
  await page.getByTestId('settings-ehr-save').click();
  await expect(page.getByTestId('settings-ehr-status')).toContainText('must use https');

  // What an EHR says about itself is text, never markup.
  await page.getByTestId('settings-ehr-url').fill(hostileUrl);
  await page.getByTestId('settings-ehr-check').click();
  await expect(result).toContainText(IMG);
  await expect(result).toContainText('Not listed by the server: Encounter');
  expect(await result.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  // Retention, as the practice manager.
  await page.getByTestId('settings-audio-days').fill('3');
  await page.getByTestId('settings-draft-days').fill('30');
  await page.getByTestId('settings-retention-save').click();
  await expect(page.getByTestId('settings-retention-status')).toContainText('Retention saved');
  await page.reload();
  await openSettings(page);
  await expect(page.getByTestId('settings-audio-days')).toHaveValue('3');
  await expect(page.getByTestId('settings-draft-days')).toHaveValue('30');
  await expect(page.getByTestId('settings-transcript-days')).toHaveValue('');

  const changed = (await openAuditLog({ dir: path.join(app.dataDir, 'audit') }).records())
    .filter((r) => r.action === 'settings.changed')
    .map((r) => (r.details as { key: string }).key);
  expect(changed).toEqual(
    expect.arrayContaining(['recognition.engine', 'recognition.model', 'retention.audioDays', 'retention.draftDays']),
  );
});

test('Settings is offered to clinician and manager, not to a scribe', async () => {
  const page = await openApp(browser, app);
  const select = page.getByTestId('profile-select');
  await expect(select).toBeVisible();
  await expect(page.getByTestId('nav-settings')).toBeVisible();
  await select.selectOption('sam-scribe');
  await expect(page.getByTestId('nav-settings')).toHaveCount(0);
  await select.selectOption('morgan-manager');
  await openSettings(page);
  await expect(page.getByTestId('settings-engine')).toBeEnabled();
});

test('a saved EHR connection is used at the next start', async () => {
  // A second Scribe's sandbox plays the clinic's FHIR EHR (with SMART sign-in) on this machine.
  const clinicEhr = await startApp();
  try {
    const page = await openApp(browser, app);
    // The EHR connection is the practice manager's (issue 15).
    await useProfile(page, 'morgan-manager');
    await openSettings(page);
    await page.getByTestId('settings-ehr-mode').selectOption('fhir');
    await page.getByTestId('settings-ehr-url').fill(clinicEhr.fhirBaseUrl);
    await page.getByTestId('settings-ehr-client').fill('scribe-desktop');
    await page.getByTestId('settings-ehr-idbase').fill('https://riverside.example.org/fhir/identifier');
    await page.getByTestId('settings-ehr-org').fill('Organization/riverside-family-medicine');
    await page.getByTestId('settings-ehr-port').fill('53682');
    await page.getByTestId('settings-ehr-check').click();
    await expect(page.getByTestId('settings-ehr-check-result')).toContainText('FHIR 4.0.1');
    await page.screenshot({ path: path.join(os.tmpdir(), 'scribe-e2e-settings-ehr.png'), fullPage: true });
    await page.getByTestId('settings-ehr-save').click();
    await expect(page.getByTestId('settings-ehr-status')).toContainText('next time it starts');
    const saved = JSON.parse(readFileSync(path.join(app.dataDir, 'workstation-settings.json'), 'utf8')) as { ehr: Record<string, unknown> };
    expect(saved.ehr).toMatchObject({
      identifierBase: 'https://riverside.example.org/fhir/identifier',
      organization: 'Organization/riverside-family-medicine',
      redirectPort: 53682,
      name: null,
    });
    // This run stays on its sandbox until restarted.
    await expect(page.getByTestId('settings-ehr-in-use')).toContainText(app.fhirBaseUrl);
    await page.context().close();

    await app.stop();
    app = await startApp({ dataDir: app.dataDir });
    expect(app.fhirBaseUrl).toBe(clinicEhr.fhirBaseUrl);
    const after = await openApp(browser, app);
    await expect(after.getByTestId('ehr-badge')).not.toContainText('Sandbox');
    // The header names the EHR (from its CapabilityStatement: no name was set), not its address.
    await expect(after.getByTestId('ehr-badge')).toHaveText('Scribe sandbox EHR');
    await expect(after.getByTestId('ehr-sign-in')).toBeVisible();
  } finally {
    await clinicEhr.stop();
    removeDir(clinicEhr.dataDir);
  }
});
