import { expect, test } from '@playwright/test';
import { testTerminologyAssets } from '../testing/coding/terminology.ts';
import { fhirRead, launchBrowser, openApp, removeDir, startApp, type RunningApp, signThroughReview } from './harness.ts';

// Coding hints in the browser: the clinician writes the assessment, the panel suggests ICD-10-CM /
// RxNorm / LOINC codes with their evidence, the clinician accepts, rejects and replaces (type-ahead),
// signs, and the accepted diagnoses reach the signed note and the EHR. The terminology pack is installed
// by the real installer (--from ../shared/terminology) into a temp assets folder the app is pointed at.

let app: RunningApp;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const { assetsDir } = await testTerminologyAssets();
  app = await startApp({ env: { SCRIBE_ASSETS_DIR: assetsDir } });
});

test.afterAll(async () => {
  await app?.stop();
  if (app) removeDir(app.dataDir);
});

const ASSESSMENT =
  'Hypertension, well controlled. Right knee pain. Denies chest pain. Her mother had diabetes. Continue lisinopril 20 mg daily. BP 138/84.';

test('accept, reject, replace and add codes; accepted codes reach the signed note and the EHR', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser, app);
    const encounter = page.getByTestId('encounter').first();
    await expect(encounter).toBeVisible();
    const encounterId = await encounter.getAttribute('data-encounter-id');
    await encounter.getByRole('button', { name: 'Start visit' }).click();
    await page
      .getByTestId('consent-dialog')
      .getByRole('button', { name: /Patient declined/ })
      .click();
    await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 60_000 });

    // The clinician writes the assessment and plan.
    const section = page.locator('textarea[data-testid^="section-assess"]').first();
    await section.fill(ASSESSMENT);
    await section.blur();
    await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

    // Hints with code, words and evidence; negated and family-history conditions are not coded.
    const panel = page.getByTestId('coding-panel');
    const htn = panel.getByTestId('hint-icd10cm:I10');
    await expect(htn).toBeVisible({ timeout: 30_000 });
    await expect(htn).toContainText('Essential (primary) hypertension');
    await expect(htn.locator('mark')).toHaveText('Hypertension');
    const knee = panel.getByTestId('hint-icd10cm:M25.561');
    await expect(knee).toContainText('Pain in right knee');
    await expect(panel.getByTestId('hint-rxnorm:314077')).toContainText('lisinopril 20 MG Oral Tablet');
    await expect(panel.getByTestId('hint-loinc:8480-6:138')).toContainText('138 mm[Hg]');
    await expect(panel.locator('[data-testid^="hint-icd10cm:R07"]')).toHaveCount(0);
    await expect(panel.locator('[data-testid^="hint-icd10cm:E11"]')).toHaveCount(0);

    // Accept hypertension.
    await htn.getByTestId('hint-accept').click();
    await expect(htn).toHaveAttribute('data-decision', 'accept');

    // Reject the blood-pressure reading.
    const bp = panel.getByTestId('hint-loinc:8480-6:138');
    await bp.getByTestId('hint-reject').click();
    await expect(bp).toHaveAttribute('data-decision', 'reject');

    // Replace right knee pain by left knee pain through the type-ahead.
    await knee.getByTestId('hint-replace').click();
    await knee.getByTestId('code-search').fill('left knee pain');
    await knee.getByTestId('code-option-M25.562').click();
    await expect(knee).toHaveAttribute('data-decision', 'replace');
    await expect(knee.getByTestId('hint-decision')).toContainText('M25.562');

    // Add a diagnosis no hint proposed, by its abbreviation.
    const added = panel.getByTestId('added-diagnoses');
    await added.getByTestId('add-diagnosis').click();
    await added.getByTestId('code-search').fill('hld');
    await added.getByTestId('code-option-E78.5').click();
    await expect(added.getByTestId('added-E78.5')).toContainText('Hyperlipidemia, unspecified');

    // Sign: the accepted diagnoses are in the signed note and become encounter diagnoses in the EHR.
    await signThroughReview(page);
    const post = page.getByTestId('post-status');
    await expect(post).toHaveAttribute('data-status', 'posted', { timeout: 60_000 });
    const id = await post.getAttribute('data-server-id');
    const doc = await fhirRead<{ content: { attachment: { contentType: string; data: string } }[] }>(app, `DocumentReference/${id}`);
    const text = Buffer.from(
      doc.content.find((c) => c.attachment.contentType.startsWith('text/plain'))!.attachment.data,
      'base64',
    ).toString('utf8');
    expect(text).toContain('I10 Essential (primary) hypertension');
    expect(text).toContain('M25.562 Pain in left knee');
    expect(text).toContain('E78.5 Hyperlipidemia, unspecified');
    expect(text).not.toContain('M25.561');
    const conditions = await fhirRead<{ entry?: { resource: { code: { coding: { system: string; code: string }[] } } }[] }>(
      app,
      `Condition?encounter=Encounter/${encounterId}`,
    );
    const codes = (conditions.entry ?? []).flatMap((e) =>
      e.resource.code.coding.filter((c) => c.system === 'http://hl7.org/fhir/sid/icd-10-cm').map((c) => c.code),
    );
    expect(codes.sort()).toEqual(['E78.5', 'I10', 'M25.562']);
  } finally {
    await browser.close();
  }
});
