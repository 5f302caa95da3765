import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, SANDBOX_PROFILES, type Core } from '../core/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';

/** Retention and "Delete this visit" through the contract, in the real core (vault, audit, visit service). */
describe('retention and deletion in the running core', () => {
  let dir: string;
  let core: Core;
  let encounters: { encounterId: string }[];

  async function signedVisit(encounterId: string): Promise<string> {
    const visit = (await core.dispatch('visit.start', { encounterId, consent: 'agreed' })) as { id: string };
    await core.dispatch('visit.appendAudio', { visitId: visit.id, seq: 0, pcm16: Buffer.alloc(32_000).toString('base64') });
    await core.dispatch('visit.stop', { visitId: visit.id });
    await core.idle();
    const { draft } = (await core.dispatch('visit.get', { visitId: visit.id })) as {
      draft: { version: number; sections: { id: string }[] };
    };
    await core.dispatch('draft.updateSection', {
      visitId: visit.id,
      sectionId: draft.sections[0]!.id,
      text: 'Seen today.',
      baseVersion: draft.version,
    });
    await core.dispatch('visit.sign', { visitId: visit.id });
    return visit.id;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-retention-core-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore() });
    await core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES.find((p) => p.role === 'clinician')!.id });
    encounters = (await core.dispatch('schedule.today', {})) as { encounterId: string }[];
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('keeps audio 7 days by default and destroys it at signing when the policy says 0 days', async () => {
    const kept = await signedVisit(encounters[0]!.encounterId);
    expect(await core.forTests.vault.visit(kept).hasAudio()).toBe(true);

    await core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES.find((p) => p.role === 'manager')!.id });
    expect(await core.dispatch('retention.set', { audioDays: 0 })).toMatchObject({ audioDays: 0 });
    await core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES.find((p) => p.role === 'clinician')!.id });
    const shredded = await signedVisit(encounters[1]!.encounterId);
    await expect.poll(() => core.forTests.vault.visit(shredded).hasAudio(), { timeout: 10_000 }).toBe(false);
    expect((await core.forTests.vault.visit(shredded).readAudio()).length).toBe(0);
    // the note itself stays
    expect(((await core.dispatch('visit.get', { visitId: shredded })) as { status: string }).status).toBe('signed');

    await expect
      .poll(
        async () =>
          (await core.forTests.audit.records())
            .filter((r) => r.action === 'record.deleted')
            .map((r) => [r.visitId, r.details.part, r.details.reason]),
        { timeout: 10_000 },
      )
      .toContainEqual([shredded, 'audio', 'retention']);
    expect(
      (await core.forTests.audit.records()).some((r) => r.action === 'settings.changed' && r.details.key === 'retention.audioDays'),
    ).toBe(true);
  });

  it('"Delete this visit" crypto-shreds everything of it and the app forgets it', async () => {
    const visitId = await signedVisit(encounters[2]?.encounterId ?? encounters[0]!.encounterId);
    const before = await readdir(path.join(dir, 'vault', 'objects'));
    await expect(core.dispatch('visit.delete', { visitId, confirm: true })).resolves.toMatchObject({ deleted: true });
    expect(await core.forTests.vault.listVisits()).not.toContain(visitId);
    expect((await readdir(path.join(dir, 'vault', 'objects'))).length).toBe(before.length - 1);
    await expect(core.dispatch('visit.get', { visitId })).rejects.toMatchObject({ code: 'not_found' });
    expect(((await core.dispatch('visit.list', {})) as { id: string }[]).map((v) => v.id)).not.toContain(visitId);
    await core.idle();
    const last = (await core.forTests.audit.records()).filter((r) => r.action === 'record.deleted').at(-1);
    expect(last).toMatchObject({ visitId, details: { part: 'visit', reason: 'clinician' } });
    expect((await core.forTests.audit.verify()).ok).toBe(true);
  });
});
