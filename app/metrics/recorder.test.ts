import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { createMetricsRecorder, type VisitLifecycleEvent } from './index.ts';

const UTC_HOURS = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' };
const base = { visitId: 'v-1', clinicianId: 'dr-a', visitType: 'follow-up' };

function visitEvents(visitId: string, day: string, opts: { editMs?: number; signed?: boolean } = {}): VisitLifecycleEvent[] {
  const e = { ...base, visitId };
  const events: VisitLifecycleEvent[] = [
    { ...e, type: 'visit.started', at: `${day}T09:00:00Z` },
    { ...e, type: 'visit.stopped', at: `${day}T09:15:00Z`, audioSeconds: 880 },
    { ...e, type: 'draft.ready', at: `${day}T09:15:04Z` },
    { ...e, type: 'editor.activity', at: `${day}T09:18:00Z`, activeMs: opts.editMs ?? 120_000 },
  ];
  if (opts.signed !== false) {
    events.push({
      ...e,
      type: 'visit.signed',
      at: `${day}T09:20:00Z`,
      draftText: 'Cough for three days. No fever. Lungs clear.',
      signedText: 'Cough for two days. No fever. Lungs clear. Follow up in one week.',
      dictatedText: 'Follow up in one week.',
    });
  }
  return events;
}

describe('metrics recorder', () => {
  let dir: string;
  let vault: Vault;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-metrics-'));
    vault = await openVault({ dir, secrets: createMemorySecretStore() });
  });
  afterEach(async () => {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('measures one visit from its lifecycle events', async () => {
    const recorder = createMetricsRecorder({
      store: vault.namespace('metrics'),
      settings: { clinicHours: UTC_HOURS, baselineMinutesPerNote: 16 },
    });
    for (const e of visitEvents('v-1', '2026-11-25')) await recorder.record(e);
    await recorder.record({ ...base, type: 'editor.activity', at: '2026-11-25T20:30:00Z', activeMs: 60_000 });
    await recorder.record({ ...base, type: 'coding.decision', at: '2026-11-25T09:19:00Z', decision: 'accepted' });
    await recorder.record({ ...base, type: 'coding.decision', at: '2026-11-25T09:19:10Z', decision: 'replaced' });
    await recorder.record({ ...base, type: 'note.amended', at: '2026-11-26T08:30:00Z' });
    const [v] = await recorder.visitMetrics();
    expect(v).toMatchObject({
      clinicianId: 'dr-a',
      visitType: 'follow-up',
      day: '2026-11-25',
      status: 'signed',
      visitSeconds: 900,
      audioSeconds: 880,
      stopToDraftSeconds: 4,
      stopToSignSeconds: 300,
      activeEditSeconds: 180,
      afterHoursEditSeconds: 60,
      draftWords: 8,
      editDistanceWords: 1,
      codingAccepted: 1,
      codingRejected: 0,
      codingReplaced: 1,
      amendments: 1,
    });
    expect(v!.draftRetention).toBeCloseTo(7 / 8);
    expect(v!.key).not.toContain('v-1');

    const agg = await recorder.aggregate();
    expect(agg.totals).toMatchObject({
      notesSigned: 1,
      documentationMinutesPerNote: 3,
      minutesSaved: 13,
      afterHoursMinutes: 1,
      timeToSignMinutes: 5,
    });
  });

  it('keeps no note text, patient data or visit id in what it stores', async () => {
    const recorder = createMetricsRecorder({ store: vault.namespace('metrics'), settings: { clinicHours: UTC_HOURS } });
    for (const e of visitEvents('v-secret-visit-id', '2026-11-25')) await recorder.record(e);
    await recorder.idle();
    // decrypt every metrics record through the vault and look for the texts
    const store = vault.namespace('metrics');
    const plain = (await Promise.all((await store.list()).map(async (k) => `${k}=${JSON.stringify(await store.readJson(k))}`))).join('\n');
    for (const secret of ['v-secret-visit-id', 'Cough', 'cough', 'fever', 'Lungs', 'Follow up']) expect(plain).not.toContain(secret);
    // and nothing readable on disk at all
    const files = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const f of files.filter((x) => x.isFile())) {
      const bytes = await readFile(path.join(f.parentPath, f.name), 'latin1');
      expect(bytes).not.toContain('dr-a');
    }
  });

  it('survives a restart: figures, settings and the visit hash are kept', async () => {
    const first = createMetricsRecorder({ store: vault.namespace('metrics'), settings: { clinicHours: UTC_HOURS } });
    for (const e of visitEvents('v-1', '2026-11-25', { signed: false })) await first.record(e);
    await first.updateSettings({ baselineMinutesPerNote: 20 });
    await first.idle();
    const second = createMetricsRecorder({ store: vault.namespace('metrics'), settings: { clinicHours: UTC_HOURS } });
    // the rest of the same visit arrives after the restart
    for (const e of visitEvents('v-1', '2026-11-25').slice(4)) await second.record(e);
    const all = await second.visitMetrics();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: 'signed', activeEditSeconds: 120, stopToSignSeconds: 300 });
    expect((await second.settings()).baselineMinutesPerNote).toBe(20);
    expect((await second.aggregate()).totals.minutesSaved).toBe(18);
    expect(await second.workstationId()).toBe(await first.workstationId());
  });

  it('refuses malformed events and unknown visits with clear errors, losing nothing', async () => {
    const recorder = createMetricsRecorder({ store: vault.namespace('metrics'), settings: { clinicHours: UTC_HOURS } });
    await recorder.record(visitEvents('v-1', '2026-11-25')[0]!);
    await expect(recorder.record({ ...base, type: 'editor.activity', at: 'yesterday', activeMs: 5 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(recorder.record({ ...base, type: 'editor.activity', at: '2026-11-25T09:01:00Z', activeMs: -5 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(recorder.record({ type: 'visit.hacked' } as unknown as VisitLifecycleEvent)).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(recorder.recordEditorActivity({ visitId: 'v-unknown', activeMs: 1000 })).rejects.toMatchObject({ code: 'not_found' });
    await recorder.recordEditorActivity({ visitId: 'v-1', activeMs: 1500, at: '2026-11-25T09:05:00Z' });
    expect((await recorder.visitMetrics())[0]).toMatchObject({ activeEditSeconds: 1.5, status: 'recording' });
  });

  it('filters by clinician, visit type and date range; tracks unpublished days', async () => {
    const recorder = createMetricsRecorder({ store: vault.namespace('metrics'), settings: { clinicHours: UTC_HOURS } });
    for (const e of visitEvents('v-1', '2026-11-23')) await recorder.record(e);
    for (const e of visitEvents('v-2', '2026-11-30')) await recorder.record({ ...e, clinicianId: 'dr-b' });
    for (const e of visitEvents('v-3', '2026-11-30')) await recorder.record({ ...e, visitType: 'new-patient' });
    expect((await recorder.aggregate({ clinicianId: 'dr-b' })).totals.notesSigned).toBe(1);
    expect((await recorder.aggregate({ visitType: 'new-patient' })).totals.notesSigned).toBe(1);
    expect((await recorder.aggregate({ from: '2026-11-24' })).totals.notesSigned).toBe(2);
    expect((await recorder.aggregate({ to: '2026-11-23' })).totals.notesSigned).toBe(1);
    const agg = await recorder.aggregate();
    expect(agg.weekly.map((w) => [w.week, w.notesSigned])).toEqual([
      ['2026-11-23', 1],
      ['2026-11-30', 2],
    ]);
    expect(agg.options).toMatchObject({ clinicians: ['dr-a', 'dr-b'], visitTypes: ['follow-up', 'new-patient'] });

    const pending = await recorder.unpublishedDays();
    expect(pending.map((d) => `${d.clinicianId} ${d.day}`).sort()).toEqual(['dr-a 2026-11-23', 'dr-a 2026-11-30', 'dr-b 2026-11-30']);
    const drA = pending.filter((d) => d.clinicianId === 'dr-a');
    await recorder.record({ ...base, visitId: 'v-1', type: 'note.amended', at: '2026-11-24T10:00:00Z' }); // changes dr-a 11-23 again
    await recorder.markPublished(drA);
    expect((await recorder.unpublishedDays()).map((d) => `${d.clinicianId} ${d.day}`).sort()).toEqual([
      'dr-a 2026-11-23',
      'dr-b 2026-11-30',
    ]);
  });

  it('takes the coding decisions as they stand at signing', async () => {
    const recorder = createMetricsRecorder({ store: vault.namespace('metrics'), settings: { clinicHours: UTC_HOURS } });
    await recorder.record({ ...base, type: 'coding.decision', at: '2026-11-25T09:10:00Z', decision: 'rejected' });
    const signed = visitEvents('v-1', '2026-11-25').at(-1)!;
    await recorder.record({ ...signed, coding: { accepted: 3, rejected: 0, replaced: 1 } } as VisitLifecycleEvent);
    expect((await recorder.visitMetrics())[0]).toMatchObject({ codingAccepted: 3, codingRejected: 0, codingReplaced: 1 });
  });
});
