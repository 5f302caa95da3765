import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, type AuditLog } from '../audit/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { RETENTION_POLICY_FILE, createRetention, type RetentionService } from './index.ts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const manager = { id: 'mgr-1', role: 'manager' as const };

describe('retention', () => {
  let dir: string;
  let vault: Vault;
  let audit: AuditLog;
  let clock: number;
  let retention: RetentionService;
  const purged: string[] = [];

  async function signedVisit(id: string, signedAt: number | null): Promise<void> {
    const v = vault.visit(id);
    await v.writeJson('visit.json', {
      id,
      status: signedAt === null ? 'draft' : 'signed',
      ...(signedAt === null ? {} : { signedAt: new Date(signedAt).toISOString() }),
      transcript: { segments: [] },
      draft: { sections: [] },
    });
    await v.appendAudio(Buffer.alloc(32_000, 1));
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-retention-'));
    vault = await openVault({ dir: path.join(dir, 'vault'), secrets: createMemorySecretStore() });
    audit = openAuditLog({ dir: path.join(dir, 'audit') });
    clock = T0;
    purged.length = 0;
    retention = createRetention({
      vault,
      audit,
      settingsDir: path.join(dir, 'settings'),
      now: () => new Date(clock),
      purge: async (visitId, part) => {
        purged.push(`${visitId}:${part}`);
        const record = await vault.visit(visitId).readJson<Record<string, unknown>>('visit.json');
        await vault.visit(visitId).writeJson('visit.json', { ...record, [part]: null });
      },
    });
  });
  afterEach(async () => {
    await vault.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('destroys audio 7 days after signing by default, and nothing earlier or unsigned', async () => {
    await signedVisit('old', T0 - 8 * DAY);
    await signedVisit('exactly7', T0 - 7 * DAY);
    await signedVisit('recent', T0 - 6 * DAY);
    await signedVisit('unsigned', null);

    const report = await retention.runRetention(new Date(clock));
    expect(report.errors).toEqual([]);
    expect(report.destroyed.map((d) => `${d.visitId}:${d.part}`).sort()).toEqual(['exactly7:audio', 'old:audio']);
    expect(await vault.visit('old').hasAudio()).toBe(false);
    expect((await vault.visit('old').readAudio()).length).toBe(0);
    expect(await vault.visit('old').readJson('visit.json')).not.toBeNull();
    expect(await vault.visit('recent').audioBytes()).toBe(32_000);
    expect(await vault.visit('unsigned').audioBytes()).toBe(32_000);

    // a day later the third one goes; a second run the same hour does nothing
    clock += DAY;
    expect((await retention.runRetention(new Date(clock))).destroyed).toEqual([{ visitId: 'recent', part: 'audio' }]);
    expect((await retention.runRetention(new Date(clock))).destroyed).toEqual([]);
    expect(purged).toEqual([]);

    const deletions = (await audit.records()).filter((r) => r.action === 'record.deleted');
    expect(deletions.map((r) => [r.visitId, r.details.part, r.details.reason, r.actor.role])).toEqual(
      [
        ['exactly7', 'audio', 'retention', 'system'],
        ['old', 'audio', 'retention', 'system'],
        ['recent', 'audio', 'retention', 'system'],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
    expect((await audit.verify()).ok).toBe(true);
  });

  it('audioDays 0 destroys the audio at signing', async () => {
    await retention.setPolicy(manager, { audioDays: 0 });
    await signedVisit('v', clock);
    const report = await retention.visitSigned('v', new Date(clock).toISOString());
    expect(report.destroyed).toEqual([{ visitId: 'v', part: 'audio' }]);
    expect(await vault.visit('v').hasAudio()).toBe(false);
  });

  it('purges transcripts and drafts per the admin setting, and audits the setting change', async () => {
    await signedVisit('a', T0 - 40 * DAY);
    await signedVisit('b', T0 - 10 * DAY);
    expect(await retention.policy()).toEqual({ audioDays: 7, transcriptDays: null, draftDays: null });
    await retention.setPolicy(manager, { transcriptDays: 30, draftDays: 90 });
    await expect(retention.setPolicy(manager, { audioDays: -1 })).rejects.toThrow();

    const report = await retention.runRetention(new Date(clock));
    expect(report.destroyed.map((d) => `${d.visitId}:${d.part}`).sort()).toEqual(['a:audio', 'a:transcript', 'b:audio']);
    expect(purged).toEqual(['a:transcript']);
    clock += 60 * DAY;
    expect((await retention.runRetention(new Date(clock))).destroyed.map((d) => `${d.visitId}:${d.part}`).sort()).toEqual([
      'a:draft',
      'b:transcript',
    ]);

    const settings = (await audit.records()).filter((r) => r.action === 'settings.changed');
    expect(settings.map((r) => r.details)).toEqual([
      { key: 'retention.transcriptDays', from: null, to: 30 },
      { key: 'retention.draftDays', from: null, to: 90 },
    ]);
    expect(settings[0]!.actor).toEqual(manager);
  });

  it('falls back to the 7-day default when the policy file is damaged', async () => {
    await retention.setPolicy(manager, { audioDays: 30 });
    await writeFile(path.join(dir, 'settings', RETENTION_POLICY_FILE), '{"audioDays":"forever"}');
    expect((await retention.policy()).audioDays).toBe(7);
  });

  it('reports a visit it cannot process and carries on with the others', async () => {
    const noPurge = createRetention({ vault, audit, settingsDir: path.join(dir, 'settings'), now: () => new Date(clock) });
    await noPurge.setPolicy(manager, { transcriptDays: 0 });
    await signedVisit('a', T0 - 9 * DAY);
    const report = await noPurge.runRetention(new Date(clock));
    expect(report.destroyed).toEqual([{ visitId: 'a', part: 'audio' }]);
    expect(report.errors).toEqual([{ visitId: 'a', part: 'transcript', message: expect.stringMatching(/no purge function/) }]);
  });

  it("deletes a whole visit on a clinician's request and runs on a timer", async () => {
    const deleted: string[] = [];
    const r = createRetention({
      vault,
      audit,
      settingsDir: path.join(dir, 'settings'),
      now: () => new Date(clock),
      onVisitDeleted: (id) => void deleted.push(id),
    });
    await signedVisit('gone', T0 - 1 * DAY);
    await r.deleteVisit({ id: 'prac-1', role: 'clinician' }, 'gone');
    expect(await vault.listVisits()).toEqual([]);
    expect(deleted).toEqual(['gone']);
    expect((await audit.records()).at(-1)).toMatchObject({
      action: 'record.deleted',
      visitId: 'gone',
      details: { part: 'visit', reason: 'clinician' },
    });

    await signedVisit('timed', T0 - 30 * DAY);
    const job = r.start(10);
    expect((await job.firstRun).destroyed).toEqual([{ visitId: 'timed', part: 'audio' }]);
    job.stop();
  });
});
