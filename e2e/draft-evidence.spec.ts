import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDrafter, parseTranscriptText } from '../app/draft/index.ts';
import { readAciBench, sharedDir } from '../app/draft/training-data.ts';
import type { Draft } from '../app/contract/index.ts';
import { openKeychain } from '../app/secrets/index.ts';
import { openVault } from '../app/vault/index.ts';
import { launchBrowser, openApp, removeDir, repoRoot, startApp, type RunningApp } from './harness.ts';

// A real visit conversation (ACI-Bench D2N001) drafted by the builtin drafter: in Chromium, placing the cursor in a
// drafted sentence highlights exactly the transcript turns it cites, and the evidence bar shows the sentence, the
// turns and a button to play their audio.

let app: RunningApp;
let dataDir: string;
let draft: Draft;
const visitId = 'v-draft-evidence-1';

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-evidence-'));
  const encounter = readAciBench(sharedDir(repoRoot), 'train').find((e) => e.id === 'D2N001')!;
  const transcript = parseTranscriptText(encounter.dialogue);
  draft = await createDrafter({ engine: 'builtin' }).draft({ transcript });
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
    audioSeconds: transcript.segments.length,
    transcript,
    draft,
    post: null,
  });
  await vault.close();
  app = await startApp({ dataDir });
});

test.afterAll(async () => {
  await app?.stop();
  if (dataDir) removeDir(dataDir);
});

test('selecting a drafted sentence highlights its evidence turns and offers their audio', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    await page.getByTestId('recent-visits').getByRole('button').first().click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft');
    await expect(page.getByTestId('evidence-bar')).toHaveAttribute('data-evidence-count', '0');

    const plan = draft.sections.find((s) => s.id === 'assessment_plan')!;
    expect(plan.sentences.length).toBeGreaterThan(1);
    const sentence = plan.sentences[1]!;
    const offset = plan.text.indexOf(sentence.text) + 3;
    const box = page.getByTestId('section-assessment_plan');
    await expect(box).toHaveValue(plan.text);
    await box.click();
    await box.evaluate((el, at) => {
      const t = el as HTMLTextAreaElement;
      t.setSelectionRange(at, at);
    }, offset);
    await box.press('ArrowRight');

    const marked = page.locator('[data-testid="transcript"] li[data-evidence="true"]');
    await expect(marked).toHaveCount(sentence.evidence.length);
    expect(await marked.evaluateAll((els) => els.map((e) => e.getAttribute('data-segment-id')))).toEqual(sentence.evidence);
    const bar = page.getByTestId('evidence-bar');
    await expect(bar).toHaveAttribute('data-evidence-count', String(sentence.evidence.length));
    await expect(page.getByTestId('evidence-sentence').filter({ hasText: sentence.text })).toHaveCount(1);
    await expect(page.getByTestId('play-evidence')).toBeEnabled();
  } finally {
    await browser.close();
  }
});
