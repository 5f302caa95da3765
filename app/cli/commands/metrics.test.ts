import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetricsRecorder, parseDashboardCsv, type VisitLifecycleEvent } from '../../metrics/index.ts';
import { openKeychain } from '../../secrets/index.ts';
import { openVault } from '../../vault/index.ts';

/**
 * `scribe metrics` against a vault in the real OS keychain (CI runs inside dbus-run-session with an
 * unlocked gnome-keyring; locally: scripts/with-keyring.sh npx vitest run app/cli/commands/metrics.test.ts).
 */
const haveSession = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const service = `org.scribe.test.${randomBytes(4).toString('hex')}`;
const run = promisify(execFile);

describe.skipIf(!haveSession)('scribe metrics', () => {
  let dataDir = '';
  afterAll(async () => {
    const keychain = await openKeychain(service);
    for (const account of await keychain.list()) await keychain.delete(account);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the figures of the visits recorded on this workstation, filtered by date, and as CSV', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'scribe-metrics-cli-'));
    const vault = await openVault({ dir: path.join(dataDir, 'vault'), secrets: await openKeychain(service) });
    const recorder = createMetricsRecorder({ store: vault.namespace('metrics') });
    // the practice's saved settings, as the manager sets them (metrics.settings.set)
    await recorder.updateSettings({
      baselineMinutesPerNote: 15,
      clinicHours: { timeZone: 'UTC', days: [1, 2, 3, 4, 5], open: '08:00', close: '18:00' },
    });
    const days = ['2026-11-16', '2026-11-24', '2026-11-25'];
    for (const [i, day] of days.entries()) {
      const e = { visitId: `v-${i}`, clinicianId: 'dana-reyes', visitType: 'follow-up' };
      const events: VisitLifecycleEvent[] = [
        { ...e, type: 'visit.started', at: `${day}T09:00:00Z` },
        { ...e, type: 'visit.stopped', at: `${day}T09:10:00Z`, audioSeconds: 590 },
        { ...e, type: 'draft.ready', at: `${day}T09:10:03Z` },
        { ...e, type: 'editor.activity', at: `${day}T19:00:00Z`, activeMs: (i + 2) * 60_000 },
        { ...e, type: 'visit.signed', at: `${day}T19:01:00Z`, draftText: 'a b c d', signedText: 'a b c e' },
      ];
      for (const ev of events) await recorder.record(ev);
    }
    await recorder.idle();
    await vault.close();

    const env = { ...process.env, SCRIBE_KEYCHAIN_SERVICE: service };
    const scribe = path.join(repoRoot, 'bin', 'scribe.mjs');
    const text = await run(process.execPath, [scribe, 'metrics', '--data-dir', dataDir, '--from', '2026-11-23', '--to', '2026-11-30'], {
      env,
    });
    expect(text.stdout).toContain('2026-11-23 to 2026-11-30');
    expect(text.stdout).toMatch(/Visits 2, notes signed 2/);
    expect(text.stdout).toMatch(/Documentation minutes per note\s+3\.5/);
    expect(text.stdout).toMatch(/Minutes saved\s+23\.0/);
    expect(text.stdout).toMatch(/After-hours minutes\s+7\.0/);
    expect(text.stdout).toMatch(/Draft retention\s+75\.0%/);
    expect(text.stdout).toContain('this workstation only');

    const csv = await run(process.execPath, [scribe, 'metrics', '--data-dir', dataDir, '--csv'], { env });
    const figures = parseDashboardCsv(csv.stdout);
    expect(figures.totals).toMatchObject({ notesSigned: 3, minutesSaved: 45 - 9, afterHoursMinutes: 9 });
    expect(figures.weekly.map((w) => w.week)).toEqual(['2026-11-16', '2026-11-23']);

    await expect(run(process.execPath, [scribe, 'metrics', '--data-dir', dataDir, '--from', '25.11.2026'], { env })).rejects.toMatchObject({
      code: 2,
    });
  });
});
