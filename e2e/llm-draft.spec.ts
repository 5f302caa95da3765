import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDrafter, parseTranscriptText } from '../app/draft/index.ts';
import type { ChatServer } from '../testing/llm/chat-server.ts';
import { SHORT_TEMPLATE, writeShortTemplate } from '../testing/llm/short-template.ts';
import { openKeychain } from '../app/secrets/index.ts';
import { openVault } from '../app/vault/index.ts';
import { fhirRead, launchBrowser, openApp, removeDir, startApp, type RunningApp } from './harness.ts';
import { startTinyPracticeServer, type TinyPracticeServer, writeServerDraftingSettings } from './llm-harness.ts';

// A visit redrafted by the practice-server engine in Chromium: the sentence stating a drug the visit never
// mentioned is flagged, Sign opens a review that blocks until the clinician decides, and the posted
// Provenance names the engine and the model.

let app: RunningApp;
let dataDir: string;
let server: TinyPracticeServer;
let chat: ChatServer;
const visitId = 'v-llm-e2e-1';
const transcript = parseTranscriptText(
  [
    '[doctor] what brings you in today ?',
    '[patient] i have had a headache on the left side for 3 days .',
    '[doctor] are you taking anything for it ?',
    '[patient] ibuprofen 400 mg twice a day .',
    '[doctor] let us get a ct of the head and follow up in 2 weeks .',
  ].join('\n'),
);

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-llm-'));
  server = await startTinyPracticeServer(dataDir, { seed: 1 });
  chat = server.chat;
  chat.behaviour = {
    kind: 'content',
    content: JSON.stringify({
      hpi: [{ text: 'Left-sided headache for 3 days.', turns: [2] }],
      assessment_plan: [
        { text: 'Start lisinopril 20 mg daily.', turns: [5] },
        { text: 'CT of the head; follow up in 2 weeks.', turns: [5] },
      ],
    }),
  };
  const templatesDir = writeShortTemplate(path.join(dataDir, 'templates'));
  const draft = await createDrafter({ engine: 'builtin', templatesDir }).draft({ transcript, template: SHORT_TEMPLATE });
  const vault = await openVault({ dir: path.join(dataDir, 'vault'), secrets: await openKeychain() });
  const now = new Date().toISOString();
  await vault.visit(visitId).writeJson('visit.json', {
    id: visitId,
    consent: 'agreed',
    clinicianId: 'dana-reyes',
    encounterId: 'enc-today-1',
    patientId: 'maria-gonzalez',
    patientName: 'Maria Gonzalez',
    visitType: 'Follow-up',
    status: 'draft',
    startedAt: now,
    stoppedAt: now,
    audioSeconds: 5,
    transcript,
    draft,
    post: null,
  });
  await vault.close();
  writeServerDraftingSettings(dataDir, server);
  app = await startApp({ dataDir });
});

test.afterAll(async () => {
  await app?.stop();
  await server?.close();
  if (dataDir) removeDir(dataDir);
});

test('a flagged model sentence blocks Sign until the clinician decides; Provenance names the model', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await page.getByTestId('recent-visits').getByRole('button').first().click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft');
    // Redraft through the practice server: the template picker regenerates with the engine in force.
    await page.getByTestId('template-select').selectOption('general-visit');
    await expect(page.getByTestId('draft-origin')).toHaveText(/practice server/);
    await page.getByTestId('template-select').selectOption(SHORT_TEMPLATE);
    await expect(page.getByTestId('draft-origin')).toHaveText(/practice server \(tiny-served\)/);
    const flagged = page.getByTestId('flagged-assessment_plan-0');
    await expect(flagged).toContainText('Start lisinopril 20 mg daily.');
    await expect(flagged).toContainText('drug “lisinopril”');
    await page.screenshot({ path: path.join(dataDir, '..', 'scribe-llm-flagged.png'), fullPage: true });

    await page.getByTestId('sign').click();
    const dialog = page.getByTestId('flag-review');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('sign-reviewed')).toBeDisabled();
    await page.screenshot({ path: path.join(dataDir, '..', 'scribe-llm-review.png') });
    await dialog.getByTestId('flag-keep').click();
    await expect(dialog.getByTestId('sign-reviewed')).toBeEnabled();
    await dialog.getByTestId('sign-reviewed').click();
    // Then the Sign review every note goes through (unedited AI text, hints, chart differences).
    const review = page.getByTestId('sign-review');
    await review.waitFor();
    const confirm = review.getByTestId('review-confirm');
    if (await confirm.count()) await confirm.check();
    await review.getByTestId('sign-confirm').click();

    const status = page.getByTestId('post-status');
    await expect(status).toHaveAttribute('data-status', 'posted', { timeout: 30_000 });
    const docId = await status.getAttribute('data-server-id');
    const bundle = await fhirRead<{ entry: Array<{ resource: { agent: Array<{ who: { display?: string } }> } }> }>(
      app,
      `Provenance?target=DocumentReference/${docId}`,
    );
    expect(bundle.entry[0]!.resource.agent.map((a) => a.who.display ?? '')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Scribe drafter server openai-compatible-1 \(tiny-served/)]),
    );
  } finally {
    await browser.close();
  }
});
