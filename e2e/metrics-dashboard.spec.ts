import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseDashboardCsv, postMeasureReport, toMeasureReport, type DayFigures } from '../app/metrics/index.ts';
import { expectNoAxeViolations } from './axe.ts';
import { appPerFile, launchBrowser } from './harness.ts';

// The practice manager's dashboard in Chromium against the real core and the sandbox EHR:
// figures from this workstation plus another workstation's MeasureReport, no patient data anywhere in what
// the manager receives or sees, and a CSV export that round-trips the figures.

const app = appPerFile();

async function call<T>(name: string, input: unknown): Promise<T> {
  const res = await fetch(`${app.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}`, origin: app.origin },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { code: string; message: string } };
  if (!body.ok) throw Object.assign(new Error(`${name}: ${body.error?.message}`), { code: body.error?.code });
  return body.result as T;
}

interface Encounter {
  encounterId: string;
  patientId: string;
  patientName: string;
  visitType: string;
}
interface Visit {
  id: string;
  status: string;
  draft: { version: number; sections: { id: string; text: string }[] } | null;
}
interface Figures {
  notesSigned: number;
  minutesSaved: number;
  afterHoursMinutes: number;
  documentationMinutesPerNote: number | null;
}
interface Dashboard {
  totals: Figures;
  weekly: unknown[];
  clinicians: unknown[];
  clinicianWeeks: unknown[];
  options: { lastDay: string | null };
  workstations: number;
  source: { scope: string };
  baseline: { minutesPerNote: number };
}

test('the manager sees practice-wide figures with no patient data, and the CSV export round-trips them', async () => {
  // ── seed: two notes written on this workstation by the clinician, naming the patient in the text ──
  await call('session.useProfile', { profileId: 'dana-reyes' });
  const encounters = await call<Encounter[]>('schedule.today', {});
  expect(encounters.length).toBeGreaterThanOrEqual(2);
  const seeded = encounters.slice(0, 2);
  const noteTexts: string[] = [];
  const visitIds: string[] = [];
  for (const [i, e] of seeded.entries()) {
    let visit = await call<Visit>('visit.start', { encounterId: e.encounterId, consent: 'declined' });
    for (let tries = 0; visit.status !== 'draft' && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      visit = await call<Visit>('visit.get', { visitId: visit.id });
    }
    expect(visit.status).toBe('draft');
    const text = `${e.patientName} reports zebrafinch wheeze number ${i}; patient id ${e.patientId}.`;
    noteTexts.push(text);
    visitIds.push(visit.id);
    await call('draft.updateSection', {
      visitId: visit.id,
      sectionId: visit.draft!.sections[0]!.id,
      text,
      baseVersion: visit.draft!.version,
    });
    await call('metrics.editorActivity', { visitId: visit.id, activeMs: 90_000 * (i + 1) });
    await call('visit.sign', { visitId: visit.id });
  }

  // ── another workstation of the practice posted its day to the EHR ──
  await call('session.useProfile', { profileId: 'morgan-manager' });
  // signings reach metrics in the background, just after visit.sign answers
  await expect.poll(async () => (await call<Dashboard>('metrics.dashboard', {})).totals.notesSigned).toBe(2);
  const before = await call<Dashboard>('metrics.dashboard', {});
  const today = before.options.lastDay!;
  const remote: DayFigures = {
    workstationId: 'ws-front-desk-2',
    clinicianId: 'dana-reyes',
    day: today,
    visitType: seeded[0]!.visitType,
    counts: {
      visits: 3,
      visitsTimed: 3,
      visitSeconds: 2400,
      draftsTimed: 3,
      stopToDraftSeconds: 6,
      notesSigned: 3,
      editSeconds: 420,
      notesWithoutDraft: 0,
      editSecondsWithoutDraft: 0,
      afterHoursEditSeconds: 120,
      signsTimed: 3,
      stopToSignSeconds: 1800,
      draftWords: 900,
      keptWords: 810,
      codingAccepted: 5,
      codingRejected: 1,
      codingReplaced: 1,
      amendments: 0,
      importDraftsTimed: 0,
      importStopToDraftSeconds: 0,
    },
  };
  await postMeasureReport({ baseUrl: app.fhirBaseUrl }, toMeasureReport([remote]));

  // ── the manager opens the dashboard in the browser ──
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const received: string[] = [];
    page.on('response', async (response) => {
      if (response.url().includes('/api/call/')) received.push(`${response.url()}\n${await response.text().catch(() => '')}`);
    });
    // Events too: the core filters them per recipient, so the manager's window gets none about a visit.
    const events: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => void events.push(String(frame.payload))));
    await page.goto(app.url);
    const dashboard = page.getByTestId('metrics-dashboard');
    await expect(dashboard).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('metrics-source')).toHaveText(/Practice-wide · 2 workstations/);
    await expect(dashboard.locator('.recharts-wrapper > svg.recharts-surface')).toHaveCount(5);

    const dash = await call<Dashboard>('metrics.dashboard', {});
    expect(dash.source.scope).toBe('practice');
    expect(dash.totals.notesSigned).toBe(2 + 3);
    // totals = this workstation's + the other's: 16-minute baseline. This workstation's two notes were written
    // without an AI draft (consent declined): they saved nothing and are left out; the other's 3 took 7 minutes.
    expect(dash.totals.minutesSaved).toBeCloseTo(dash.baseline.minutesPerNote * 3 - 420 / 60, 2);
    await expect(page.getByTestId('tile-notes')).toContainText('5');
    await expect(page.getByTestId('tile-minutes-saved')).toContainText(dash.totals.minutesSaved.toFixed(1));

    // Each chart has its figures as a table (the text alternative), rounded as the cards and the table are.
    await expect(page.getByTestId('chart-trend-table').locator('tbody tr')).not.toHaveCount(0);
    await expect(page.getByTestId('tile-minutes-saved')).toContainText(/\d\.\d/);
    for (const cell of await page.getByTestId('metrics-clinicians').getByTestId('saved').allInnerTexts())
      expect(cell).toMatch(/^-?\d+\.\d$/);
    await expectNoAxeViolations(page, 'practice metrics');
    // A period that ends before it starts: plain words, and no stale figures left under them.
    await page.getByTestId('metrics-from').fill('2030-01-10');
    await page.getByTestId('metrics-to').fill('2030-01-01');
    await expect(page.getByTestId('metrics-error')).toContainText('The end date must be on or after the start date.');
    await expect(page.getByTestId('tile-minutes-saved')).toHaveCount(0);
    await page.getByTestId('metrics-from').fill(today);
    await page.getByTestId('metrics-to').fill(today);
    await expect(page.getByTestId('tile-minutes-saved')).toBeVisible();
    await expect(page.getByTestId('metrics-error')).toHaveCount(0);

    // ── CSV export: the file the manager downloads holds the same figures ──
    const downloading = page.waitForEvent('download');
    await page.getByTestId('metrics-export').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^scribe-metrics-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const shown = JSON.parse(
      received
        .filter((r) => r.includes('metrics.dashboard'))
        .at(-1)!
        .split('\n')
        .slice(1)
        .join('\n'),
    ).result as Dashboard;
    const parsed = parseDashboardCsv(csv);
    expect(parsed).toEqual({
      totals: shown.totals,
      weekly: shown.weekly,
      clinicians: shown.clinicians,
      clinicianWeeks: shown.clinicianWeeks,
    });

    // ── no patient data in anything the manager received or sees ──
    const seen = [await page.content(), await dashboard.innerText(), csv, ...received, ...events].join('\n');
    expect(
      events.filter((e) => /"event":"(visit|transcript|dictation|queue)\./.test(e)),
      "visit events in the manager's window",
    ).toEqual([]);
    expect(received.some((r) => r.includes('metrics.dashboard'))).toBe(true);
    const forbidden = [
      ...seeded.flatMap((e) => [e.patientName, e.patientId, e.encounterId, ...e.patientName.split(/\s+/).filter((w) => w.length >= 4)]),
      ...visitIds,
      ...noteTexts,
      'zebrafinch',
    ];
    for (const secret of forbidden) expect(seen, `the manager's view contains ${JSON.stringify(secret)}`).not.toContain(secret);

    // The manager cannot reach PHI through the API either.
    await expect(call('visit.list', {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(call('schedule.today', {})).rejects.toMatchObject({ code: 'forbidden' });

    // ── settings: a new baseline changes minutes saved ──
    // One Settings (the header's) holds the practice metrics settings too, with a time-zone picker.
    await expect(page.getByTestId('metrics-settings-tab')).toHaveCount(0);
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('settings-screen')).toContainText('Speech recognition');
    expect(await page.getByTestId('settings-tz').evaluate((el) => el.tagName)).toBe('SELECT');
    await page.getByTestId('settings-tz').selectOption('Europe/Berlin');
    await page.getByTestId('settings-baseline').fill('20');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('metrics-settings')).toContainText('Saved.');
    await page.getByTestId('settings-back').click();
    const expected = (20 * 3 - 420 / 60).toFixed(1);
    await expect(page.getByTestId('tile-minutes-saved')).toContainText(expected);
    await context.close();
  } finally {
    await browser.close();
  }

  // A clinician sees only their own figures and cannot change the practice's settings.
  await call('session.useProfile', { profileId: 'dana-reyes' });
  const own = await call<Dashboard & { options: { clinicians: string[] } }>('metrics.dashboard', {});
  expect(own.options.clinicians).toEqual(['dana-reyes']);
  await expect(call('metrics.dashboard', { clinicianId: 'samuel-patel' })).rejects.toMatchObject({ code: 'forbidden' });
  await expect(call('metrics.settings.set', { baselineMinutesPerNote: 1 })).rejects.toMatchObject({ code: 'forbidden' });
});
