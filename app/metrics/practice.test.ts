import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../fhir/sandbox/server.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { readMeasureReports } from './ehr-reports.ts';
import { createMetricsRecorder, type MetricsRecorder, type VisitLifecycleEvent } from './index.ts';
import { fromMeasureReport, toMeasureReport } from './measure-report.ts';
import { createPracticeMetrics } from './practice.ts';
import { createMetricsService } from './service.ts';

const HOURS = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' };

/** A scripted day of visits on one workstation; `seed` varies the durations. */
async function simulateVisits(
  recorder: MetricsRecorder,
  prefix: string,
  visits: { clinicianId: string; visitType: string; day: string; editMin: number; afterHours?: boolean }[],
) {
  let i = 0;
  for (const v of visits) {
    const e = { visitId: `${prefix}-${i++}`, clinicianId: v.clinicianId, visitType: v.visitType };
    const events: VisitLifecycleEvent[] = [
      { ...e, type: 'visit.started', at: `${v.day}T10:00:00Z` },
      { ...e, type: 'visit.stopped', at: `${v.day}T10:12:00Z`, audioSeconds: 700 },
      { ...e, type: 'draft.ready', at: `${v.day}T10:12:02Z` },
      { ...e, type: 'editor.activity', at: v.afterHours ? `${v.day}T20:00:00Z` : `${v.day}T10:20:00Z`, activeMs: v.editMin * 60_000 },
      { ...e, type: 'visit.signed', at: `${v.day}T10:30:00Z`, draftText: 'one two three four', signedText: 'one two three five' },
      { ...e, type: 'coding.decision', at: `${v.day}T10:29:00Z`, decision: 'accepted' },
    ];
    for (const ev of events) await recorder.record(ev);
  }
}

describe('practice-wide metrics through FHIR MeasureReports', () => {
  let sandbox: Sandbox;
  let dir: string;
  let vault: Vault;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: true });
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-practice-'));
    vault = await openVault({ dir, secrets: createMemorySecretStore() });
  });
  afterAll(async () => {
    await vault.close();
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('maps day figures to a valid MeasureReport and back without loss', () => {
    const counts = {
      visits: 2,
      visitsTimed: 2,
      visitSeconds: 1440,
      draftsTimed: 2,
      stopToDraftSeconds: 4.5,
      notesSigned: 2,
      editSeconds: 301.25,
      notesWithoutDraft: 0,
      editSecondsWithoutDraft: 0,
      afterHoursEditSeconds: 60,
      signsTimed: 2,
      stopToSignSeconds: 2160,
      draftWords: 8,
      keptWords: 6,
      codingAccepted: 2,
      codingRejected: 1,
      codingReplaced: 0,
      amendments: 1,
      importDraftsTimed: 0,
      importStopToDraftSeconds: 0,
    };
    const rows = [
      { workstationId: 'ws-a', clinicianId: 'dana-reyes', day: '2026-11-25', visitType: 'follow-up', counts },
      { workstationId: 'ws-a', clinicianId: 'dana-reyes', day: '2026-11-25', visitType: 'new-patient', counts: { ...counts, visits: 1 } },
    ];
    const report = toMeasureReport(rows);
    expect(report).toMatchObject({
      status: 'complete',
      type: 'individual',
      subject: { reference: 'Practitioner/dana-reyes' },
      period: { start: '2026-11-25', end: '2026-11-25' },
    });
    expect(fromMeasureReport(report)).toEqual(rows);
    expect(JSON.stringify(report)).not.toMatch(/Patient|Encounter/);
  });

  it('two workstations post to the sandbox; the dashboard totals equal their sum; re-posting replaces', async () => {
    const ehr = () => ({ baseUrl: sandbox.baseUrl });
    const a = createMetricsRecorder({
      store: vault.namespace('metrics-ws-a'),
      workstationId: 'ws-a',
      settings: { clinicHours: HOURS, baselineMinutesPerNote: 15 },
    });
    const b = createMetricsRecorder({
      store: vault.namespace('metrics-ws-b'),
      workstationId: 'ws-b',
      settings: { clinicHours: HOURS, baselineMinutesPerNote: 15 },
    });
    await simulateVisits(a, 'a', [
      { clinicianId: 'dana-reyes', visitType: 'follow-up', day: '2026-11-23', editMin: 4 },
      { clinicianId: 'dana-reyes', visitType: 'new-patient', day: '2026-11-23', editMin: 9, afterHours: true },
      { clinicianId: 'samuel-patel', visitType: 'follow-up', day: '2026-11-24', editMin: 3 },
    ]);
    await simulateVisits(b, 'b', [
      { clinicianId: 'dana-reyes', visitType: 'follow-up', day: '2026-11-23', editMin: 6 },
      { clinicianId: 'samuel-patel', visitType: 'follow-up', day: '2026-11-30', editMin: 2, afterHours: true },
    ]);
    const practiceA = createPracticeMetrics({ recorder: a, ehr });
    const practiceB = createPracticeMetrics({ recorder: b, ehr });
    expect(await practiceA.publish()).toEqual({ posted: 2, failed: 0 });
    expect(await practiceB.publish()).toEqual({ posted: 2, failed: 0 });

    // A manager on a third workstation with no visits of its own
    const manager = createPracticeMetrics({
      recorder: createMetricsRecorder({
        store: vault.namespace('metrics-ws-m'),
        workstationId: 'ws-m',
        settings: { clinicHours: HOURS, baselineMinutesPerNote: 15 },
      }),
      ehr,
    });
    const dash = await manager.dashboard();
    const localA = (await a.aggregate()).totals;
    const localB = (await b.aggregate()).totals;
    expect(dash.source).toMatchObject({ scope: 'practice', reportsRead: 4 });
    expect(dash.workstations).toBe(2);
    expect(dash.totals.notesSigned).toBe(localA.notesSigned + localB.notesSigned);
    expect(dash.totals.minutesSaved).toBeCloseTo(localA.minutesSaved + localB.minutesSaved, 6);
    expect(dash.totals.afterHoursMinutes).toBeCloseTo(localA.afterHoursMinutes + localB.afterHoursMinutes, 6);
    expect(dash.totals.codingAccepted).toBe(5);
    expect(dash.totals).toMatchObject({
      notesSigned: 5,
      minutesSaved: 75 - 24,
      afterHoursMinutes: 11,
      documentationMinutesPerNote: 4.8,
      draftRetention: 0.75,
    });
    expect(dash.weekly.map((w) => [w.week, w.notesSigned])).toEqual([
      ['2026-11-23', 4],
      ['2026-11-30', 1],
    ]);
    const dana = dash.clinicianWeeks.find((c) => c.clinicianId === 'dana-reyes' && c.week === '2026-11-23');
    expect(dana).toMatchObject({ notesSigned: 3, minutesSaved: 45 - 19 });
    expect((await manager.dashboard({ visitType: 'new-patient' })).totals.notesSigned).toBe(1);
    expect((await manager.dashboard({ clinicianId: 'samuel-patel', from: '2026-11-24', to: '2026-11-29' })).totals.notesSigned).toBe(1);

    // Workstation A amends a note and adds editing: its day is re-posted, replacing the earlier report
    await a.record({
      visitId: 'a-0',
      clinicianId: 'dana-reyes',
      visitType: 'follow-up',
      type: 'editor.activity',
      at: '2026-11-26T09:00:00Z',
      activeMs: 60_000,
    });
    await a.record({ visitId: 'a-0', clinicianId: 'dana-reyes', visitType: 'follow-up', type: 'note.amended', at: '2026-11-26T09:01:00Z' });
    expect(await practiceA.publish()).toEqual({ posted: 1, failed: 0 });
    const read = await readMeasureReports(ehr());
    expect(read.reports).toBe(4);
    const search = (await (
      await fetch(`${sandbox.baseUrl}/MeasureReport?identifier=${encodeURIComponent('urn:scribe:measure-report')}|`)
    ).json()) as { total?: number; entry?: unknown[] };
    expect(search.entry?.length).toBe(4);
    const after = await manager.dashboard();
    expect(after.totals.amendments).toBe(1);
    expect(after.totals.minutesSaved).toBeCloseTo(51 - 1, 6);

    // Workstation A's own view: its fresher local figures plus B's reports
    const fromA = await practiceA.dashboard();
    expect(fromA.totals.notesSigned).toBe(5);
    expect(fromA.source.scope).toBe('practice');
  });

  it('shows local figures with the reason when the EHR is unreachable, and posts later', async () => {
    const recorder = createMetricsRecorder({
      store: vault.namespace('metrics-ws-c'),
      workstationId: 'ws-c',
      settings: { clinicHours: HOURS },
    });
    await simulateVisits(recorder, 'c', [{ clinicianId: 'dana-reyes', visitType: 'follow-up', day: '2026-12-01', editMin: 5 }]);
    let baseUrl = 'http://127.0.0.1:9/fhir/R4'; // discard port: nothing listens
    const practice = createPracticeMetrics({ recorder, ehr: () => ({ baseUrl, timeoutMs: 2000 }) });
    const offline = await practice.dashboard();
    expect(offline.source.scope).toBe('local');
    expect(offline.source.ehrError).toMatch(/not reachable|did not answer/);
    expect(offline.source.unpublished).toBe(1);
    expect(offline.totals.notesSigned).toBe(1);
    baseUrl = sandbox.baseUrl;
    const online = await practice.dashboard({ from: '2026-12-01', to: '2026-12-01' });
    expect(online.source).toMatchObject({ scope: 'practice', unpublished: 0 });
    expect(online.source.ehrError).toBeUndefined();
    expect((await readMeasureReports({ baseUrl }, { from: '2026-12-01', to: '2026-12-01' })).reports).toBe(1);
  });

  it('posts a clinician-day on its own shortly after a note is signed, without anyone opening the dashboard', async () => {
    const errors: string[] = [];
    const service = createMetricsService({
      store: vault.namespace('metrics-ws-d'),
      workstationId: 'ws-d',
      settings: { clinicHours: HOURS },
      ehr: () => ({ baseUrl: sandbox.baseUrl }),
      publishDelayMs: 50,
      publishEveryMs: 0,
      onPublishError: (m) => errors.push(m),
    });
    try {
      await simulateVisits(service.recorder, 'd', [{ clinicianId: 'samuel-patel', visitType: 'follow-up', day: '2026-12-02', editMin: 2 }]);
      await expect
        .poll(async () => (await readMeasureReports({ baseUrl: sandbox.baseUrl }, { from: '2026-12-02', to: '2026-12-02' })).reports, {
          timeout: 10_000,
        })
        .toBe(1);
      expect(await service.recorder.unpublishedDays()).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      service.close();
    }
  });
});
