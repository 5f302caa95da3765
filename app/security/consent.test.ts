import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/index.ts';
import { CONSENT_STATEMENTS } from '../encounter/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';

/**
 * Consent before recording: visit.start requires the patient's decision; declined means nothing is
 * recorded (audio refused, no audio key in the vault) and the note says so; agreed is stated in the note
 * too. The decision is stored with the visit.
 */
describe('consent', () => {
  let dir: string;
  let core: Core;
  let encounters: { encounterId: string }[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-consent-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore() });
    encounters = (await core.dispatch('schedule.today', {})) as { encounterId: string }[];
    expect(encounters.length).toBeGreaterThanOrEqual(2);
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it("cannot start a visit without the patient's decision", async () => {
    await expect(core.dispatch('visit.start', { encounterId: encounters[0]!.encounterId })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(core.dispatch('visit.start', { encounterId: encounters[0]!.encounterId, consent: 'maybe' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('declined: nothing is recorded, the decision is stored and stated in the note', async () => {
    const visit = (await core.dispatch('visit.start', { encounterId: encounters[0]!.encounterId, consent: 'declined' })) as {
      id: string;
      consent: string;
      status: string;
    };
    expect(visit.consent).toBe('declined');
    expect(visit.status).not.toBe('recording');
    await expect(
      core.dispatch('visit.appendAudio', { visitId: visit.id, seq: 0, pcm16: Buffer.alloc(3200).toString('base64') }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await core.idle();
    expect(await core.forTests.vault.visit(visit.id).hasAudio()).toBe(false);
    expect(await core.forTests.vault.visit(visit.id).audioBytes()).toBe(0);
    const stored = await core.forTests.vault.visit(visit.id).readJson<{ consent: string }>('visit.json');
    expect(stored?.consent).toBe('declined');

    const drafted = (await core.dispatch('visit.get', { visitId: visit.id })) as {
      status: string;
      draft: { version: number; sections: { id: string }[] };
    };
    expect(drafted.status).toBe('draft');
    const section = drafted.draft.sections[0]!.id;
    await core.dispatch('draft.updateSection', {
      visitId: visit.id,
      sectionId: section,
      text: 'Written by the clinician.',
      baseVersion: drafted.draft.version,
    });
    await core.dispatch('visit.sign', { visitId: visit.id });
    const outbox = core.forTests.vault.namespace('outbox');
    const texts = await Promise.all((await outbox.list()).map(async (k) => (await outbox.read(k))!.toString('utf8')));
    expect(texts.some((t) => t.includes(JSON.stringify(CONSENT_STATEMENTS.declined).slice(1, -1)))).toBe(true);
  });

  it('agreed: recording is accepted and the consent is stated in the note', async () => {
    const visit = (await core.dispatch('visit.start', { encounterId: encounters[1]!.encounterId, consent: 'agreed' })) as {
      id: string;
      consent: string;
      status: string;
    };
    expect(visit).toMatchObject({ consent: 'agreed', status: 'recording' });
    await core.dispatch('visit.appendAudio', { visitId: visit.id, seq: 0, pcm16: Buffer.alloc(32_000).toString('base64') });
    expect(await core.forTests.vault.visit(visit.id).audioBytes()).toBe(32_000);
    await core.dispatch('visit.stop', { visitId: visit.id });
    await core.idle();
    const drafted = (await core.dispatch('visit.get', { visitId: visit.id })) as { draft: { version: number; sections: { id: string }[] } };
    await core.dispatch('draft.updateSection', {
      visitId: visit.id,
      sectionId: drafted.draft.sections[0]!.id,
      text: 'Seen today.',
      baseVersion: drafted.draft.version,
    });
    await core.dispatch('visit.sign', { visitId: visit.id });
    const outbox = core.forTests.vault.namespace('outbox');
    const texts = await Promise.all((await outbox.list()).map(async (k) => (await outbox.read(k))!.toString('utf8')));
    expect(texts.some((t) => t.includes(JSON.stringify(CONSENT_STATEMENTS.agreed).slice(1, -1)))).toBe(true);
  });
});
