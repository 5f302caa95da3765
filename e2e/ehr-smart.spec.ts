import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSmartSession } from '../app/fhir/index.ts';
import { approveInSandboxBrowser } from '../testing/fhir/sandbox-browser.ts';
import { createMemorySecretStore } from '../app/secrets/index.ts';
import {
  fhirRead,
  launchBrowser,
  openApp,
  removeDir,
  speechWav,
  startApp,
  wavSeconds,
  type RunningApp,
  signThroughReview,
} from './harness.ts';
import { recordVisit } from './visit-helpers.ts';

// Issue 6 end to end: the sandbox EHR requires SMART sign-in; the clinician signs in through the EHR's
// page (popup → auto-approve → loopback redirect to the core), today's schedule appears, a visit is
// recorded and signed, and the posted resources are read back from the EHR with a token of the test's
// own. The core keeps the refresh token in the OS keychain (CI: gnome-keyring in dbus-run-session).
// Issue 18: the same visit against the sandbox playing an EHR with transactions (full) and one without
// transactions or conditional create (direct): the clinician sees which write plan is in force.

const SPOKEN =
  'The patient has had a bad headache for three days. She has no fever. Her blood pressure today is one hundred forty over ninety. We will start lisinopril ten milligrams daily and see her again in two weeks.';
const CONTENT_WORDS = ['headache', 'three', 'days', 'fever', 'blood', 'pressure', 'lisinopril', 'ten', 'milligrams', 'daily', 'weeks'];

interface Bundle<T> {
  entry?: { resource: T }[];
}

for (const mode of ['full', 'direct'] as const)
  test.describe(`write mode ${mode}`, () => {
    let app: RunningApp;
    let fixtures: string;

    test.beforeAll(async () => {
      fixtures = mkdtempSync(path.join(os.tmpdir(), 'scribe-smart-fixture-'));
      app = await startApp({ args: ['--require-auth', '--write-mode', mode] });
    });

    test.afterAll(async () => {
      await app?.stop();
      if (app) removeDir(app.dataDir);
      if (fixtures) removeDir(fixtures);
    });

    test(`SMART sign-in with auth required, then schedule, record, sign (${mode} write plan shown), and what was posted read back`, async () => {
      const wav = speechWav(SPOKEN, path.join(fixtures, 'visit.wav'));
      const seconds = wavSeconds(wav);
      const browser = await launchBrowser({ micWav: wav });
      try {
        const page = await openApp(browser, app);

        // The EHR refuses anyone without a token.
        expect((await fetch(`${app.fhirBaseUrl}/Patient`)).status).toBe(401);

        // 1. Sign in through the EHR's own page: it opens in a popup, approves, and redirects to the core's loopback listener.
        const signIn = page.getByTestId('ehr-sign-in');
        await expect(signIn).toBeVisible();
        const popupOpened = page.waitForEvent('popup');
        await signIn.click();
        const popup = await popupOpened;
        await popup.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/, { timeout: 30_000 });
        await expect(popup.locator('h1')).toHaveText('Signed in to Scribe');
        await expect(page.getByTestId('ehr-sign-out')).toBeVisible();

        // 2. Today's schedule of the signed-in practitioner (fhirUser), fetched again once signed in.
        const encounters = page.getByTestId('encounter');
        await expect(encounters).toHaveCount(5);
        const encounter = encounters.first();
        const encounterId = await encounter.getAttribute('data-encounter-id');

        // 3. Record and sign.
        await recordVisit(page, encounter, seconds);
        await page.getByTestId('stop').click();
        await expect(page.getByTestId('visit-status')).toHaveText('draft', { timeout: 120_000 });
        const transcript = (await page.getByTestId('transcript').innerText()).toLowerCase();
        expect(CONTENT_WORDS.filter((w) => transcript.includes(w)).length, `recognized: ${transcript}`).toBeGreaterThanOrEqual(4);
        const plan = page.locator('textarea[data-testid^="section-"]').last();
        await plan.click();
        await plan.press('End');
        await plan.pressSequentially(' Recheck blood pressure in two weeks.');
        await plan.blur();
        await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
        // Before signing, the clinician sees how the note will reach this EHR and what it will not receive.
        const notice = page.getByTestId('write-plan');
        await expect(notice).toHaveAttribute('data-mode', mode);
        if (mode === 'direct') {
          await expect(notice).toContainText('Direct write-back');
          await expect(notice).toContainText('will not receive');
          await expect(notice).toContainText('authenticator');
        } else {
          await expect(notice).toContainText('one transaction');
        }
        await page.screenshot({ path: path.join(fixtures, `..`, `scribe-e2e-write-plan-${mode}.png`), fullPage: true });
        await signThroughReview(page);
        const post = page.getByTestId('post-status');
        await expect(post.or(page.getByRole('alert'))).toBeVisible({ timeout: 30_000 });
        expect(await page.getByRole('alert').allInnerTexts(), 'no error after Sign').toEqual([]);
        await expect(post).toHaveAttribute('data-status', 'posted', { timeout: 60_000 });
        const id = (await post.getAttribute('data-server-id'))!;
        const version = (await post.getAttribute('data-version-id'))!;

        // 4. Read the transaction back with a token of our own.
        const reader = createSmartSession({
          issuer: app.fhirBaseUrl,
          clientId: 'e2e-reader',
          secrets: createMemorySecretStore(),
          openUrl: (url) => approveInSandboxBrowser(url),
          scopes: ['openid', 'fhirUser', 'user/*.read'],
        });
        await reader.signIn();
        const token = (await reader.getAccessToken())!;
        const doc = await fhirRead<{
          status: string;
          docStatus: string;
          subject: { reference: string };
          date: string;
          identifier: { system: string; value: string }[];
          author: { reference: string }[];
          authenticator?: { reference: string };
          type: { coding: { system: string; code: string }[] };
          category: { coding: { system: string; code: string }[] }[];
          context: { encounter: { reference: string }[]; period?: { start: string } };
          content: { attachment: { contentType: string; data: string } }[];
          meta: { versionId: string; security: { code: string }[] };
        }>(app, `DocumentReference/${id}`, token);
        expect(doc.meta.versionId).toBe(version);
        expect(doc.status).toBe('current');
        expect(doc.docStatus).toBe('final');
        expect(doc.context.encounter[0]!.reference).toBe(`Encounter/${encounterId}`);
        const enc = await fhirRead<{ subject: { reference: string } }>(app, `Encounter/${encounterId}`, token);
        expect(doc.subject.reference).toBe(enc.subject.reference);
        expect(doc.author[0]!.reference).toBe('Practitioner/dana-reyes');
        // A server without transactions refuses an authenticator set by the client, and takes one content entry.
        if (mode === 'full') expect(doc.authenticator?.reference).toBe('Practitioner/dana-reyes');
        else expect(doc.authenticator).toBeUndefined();
        expect(doc.content).toHaveLength(mode === 'full' ? 2 : 1);
        expect(doc.meta.security).toEqual([expect.objectContaining({ code: 'AIAST' })]);
        expect(doc.type.coding[0]).toMatchObject({ system: 'http://loinc.org' });
        expect(doc.category[0]!.coding[0]!.code).toBe('clinical-note');
        expect(doc.identifier[0]!.system).toBe('http://scribe.example.org/fhir/identifier/note');
        const text = Buffer.from(doc.content.find((c) => c.attachment.contentType === 'text/plain')!.attachment.data, 'base64')
          .toString('utf8')
          .toLowerCase();
        expect(text).toContain('recheck blood pressure in two weeks');

        const provenance = await fhirRead<
          Bundle<{ target: { reference: string }[]; agent: { type: { coding: { code: string }[] }; who: { reference: string } }[] }>
        >(app, `Provenance?target=DocumentReference/${id}`, token);
        expect(provenance.entry).toHaveLength(1);
        const agents = provenance.entry![0]!.resource.agent;
        expect(agents.find((a) => a.type.coding[0]!.code === 'verifier')?.who.reference).toBe('Practitioner/dana-reyes');
        const device = agents.find((a) => a.type.coding[0]!.code === 'assembler')!.who.reference;
        const drafter = await fhirRead<{ resourceType: string; version: { value: string }[] }>(app, device, token);
        expect(drafter.resourceType).toBe('Device');
        expect(drafter.version.length).toBeGreaterThanOrEqual(1);
        const copies = await fhirRead<Bundle<unknown>>(
          app,
          `DocumentReference?identifier=${encodeURIComponent(doc.identifier[0]!.system)}|${encodeURIComponent(doc.identifier[0]!.value)}`,
          token,
        );
        expect(copies.entry).toHaveLength(1);

        // 5. Sign out: the app forgets the session and offers the sign-in again.
        await page.getByTestId('ehr-sign-out').click();
        await expect(page.getByTestId('ehr-sign-in')).toBeVisible();
        await reader.signOut();
      } finally {
        await browser.close();
      }
    });
  });
