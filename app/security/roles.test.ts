import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, contract, type CallName } from '../contract/index.ts';
import { createCore, SANDBOX_PROFILES, type Core } from '../core/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { sampleValue } from '../../testing/security/sample-input.ts';

/**
 * Roles are enforced in the core, whatever the UI shows: every role calls every call of the contract
 * with valid input; exactly the calls whose `roles` include it get past the gate (anything but
 * `forbidden`), every other call answers `forbidden` and changes nothing.
 */
const DESTRUCTIVE = new Set<string>(['visit.delete']);
/** Calls that would lock the session the rest of the test works in. */
const LOCKING = new Set<string>(['session.lock']);

type Outcome = { ok: true; result: unknown } | { ok: false; code: string; message: string };

async function call(core: Core, name: CallName, input: unknown): Promise<Outcome> {
  const timeout = new Promise<Outcome>((resolve) =>
    setTimeout(() => resolve({ ok: false, code: 'timeout', message: `${name} did not answer` }), 30_000).unref(),
  );
  const attempt = core.dispatch(name, input).then(
    (result): Outcome => ({ ok: true, result }),
    (error: { code?: string; message?: string }): Outcome => ({
      ok: false,
      code: error.code ?? 'thrown',
      message: error.message ?? String(error),
    }),
  );
  return Promise.race([attempt, timeout]);
}

describe('role enforcement in the core: every role × every call', () => {
  let dir: string;
  let core: Core;
  const known: Record<string, unknown> = {};
  let patientName = '';
  // The PIN the sampled session.setPin gives people; becoming them again then takes it (decision 0122).
  const samplePin = (sampleValue(contract['session.setPin'].input, {}) as { pin: string }).pin;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-roles-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore() });
    const clinician = SANDBOX_PROFILES.find((p) => p.role === 'clinician')!;
    await core.dispatch('session.useProfile', { profileId: clinician.id, pin: samplePin });
    const schedule = (await core.dispatch('schedule.today', {})) as { encounterId: string; patientName: string }[];
    expect(schedule.length).toBeGreaterThan(0);
    patientName = schedule[0]!.patientName;
    const visit = (await core.dispatch('visit.start', { encounterId: schedule[0]!.encounterId, consent: 'agreed' })) as { id: string };
    await core.dispatch('visit.appendAudio', { visitId: visit.id, seq: 0, pcm16: Buffer.alloc(32_000).toString('base64') });
    await core.dispatch('visit.stop', { visitId: visit.id });
    await core.idle();
    Object.assign(known, {
      start: 0,
      end: 1,
      visitId: visit.id,
      encounterId: schedule[1]?.encounterId ?? schedule[0]!.encounterId,
      consent: 'agreed',
    });
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('samples valid input for every call (so the gate, not validation, answers)', () => {
    for (const name of callNames) {
      const input = sampleValue(contract[name].input, known);
      expect(contract[name].input.safeParse(input).success, name).toBe(true);
    }
  });

  for (const profile of SANDBOX_PROFILES) {
    it(`${profile.role}: only the calls allowed to a ${profile.role} get past the gate`, async () => {
      const wrong: string[] = [];
      for (const name of callNames) {
        if (name === 'session.useProfile') continue; // switching identity is the test's own lever
        await core.dispatch('session.useProfile', { profileId: profile.id, pin: samplePin });
        const allowed = (contract[name].roles as readonly string[]).includes(profile.role);
        // Destructive calls aim at a visit that does not exist: the gate answers before the handler looks.
        const input = sampleValue(contract[name].input, DESTRUCTIVE.has(name) ? { ...known, visitId: 'v-does-not-exist' } : known);
        const outcome = await call(core, name, input);
        // The role gate's own refusal; a handler may still refuse an allowed role for a finer reason
        // (a scribe editing a visit not assigned to them), which the tests below check on their own.
        const forbidden = !outcome.ok && outcome.code === 'forbidden' && /is not allowed for the \w+ role/.test(outcome.message);
        if (allowed === forbidden)
          wrong.push(
            `${name}: ${allowed ? 'allowed but refused' : 'forbidden but answered'} (${outcome.ok ? 'ok' : `${outcome.code}: ${outcome.message}`})`,
          );
        if (!outcome.ok && outcome.code === 'internal') wrong.push(`${name}: internal error ${outcome.message}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('a scribe sees and edits only visits assigned to them, and never signs', async () => {
    const clinician = SANDBOX_PROFILES.find((p) => p.role === 'clinician')!;
    const scribe = SANDBOX_PROFILES.find((p) => p.role === 'scribe')!;
    const visitId = String(known.visitId);
    await core.dispatch('session.useProfile', { profileId: clinician.id, pin: samplePin });
    const before = (await core.dispatch('visit.get', { visitId })) as { draft: { version: number; sections: { id: string }[] } };
    const sectionId = before.draft.sections[0]!.id;

    await core.dispatch('session.useProfile', { profileId: scribe.id, pin: samplePin });
    const edit = { visitId, sectionId, text: 'Edited by the scribe.', baseVersion: before.draft.version };
    await expect(core.dispatch('draft.updateSection', edit)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/not assigned to you/),
    });
    // Not assigned: the scribe cannot see it at all (minimum necessary).
    for (const [name, input] of [
      ['visit.get', { visitId }],
      ['visit.audioClip', { visitId, start: 0, end: 1 }],
      ['draft.regenerate', { visitId, template: 'soap' }],
      ['transcript.setSpeaker', { visitId, segmentId: 's1', speaker: 'patient' }],
    ] as const) {
      await expect(core.dispatch(name, input), name).rejects.toMatchObject({ code: 'forbidden' });
    }
    expect(((await core.dispatch('visit.list', {})) as { id: string }[]).map((v) => v.id)).not.toContain(visitId);

    await core.dispatch('session.useProfile', { profileId: clinician.id, pin: samplePin });
    await core.dispatch('queue.assign', { visitId, scribeId: scribe.id });
    await core.dispatch('session.useProfile', { profileId: scribe.id, pin: samplePin });
    const opened = (await core.dispatch('queue.open', { visitId })) as { lockToken: string; draft: { version: number } };
    await core.dispatch('queue.release', { visitId, lockToken: opened.lockToken });
    expect(((await core.dispatch('visit.list', {})) as { id: string }[]).map((v) => v.id)).toContain(visitId);
    await expect(core.dispatch('visit.get', { visitId })).resolves.toMatchObject({ id: visitId });
    const edited = (await core.dispatch('draft.updateSection', { ...edit, baseVersion: opened.draft.version })) as {
      sections: { id: string; text: string }[];
    };
    expect(edited.sections.find((s) => s.id === sectionId)?.text).toBe('Edited by the scribe.');
    await expect(core.dispatch('visit.sign', { visitId })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the practice manager never receives PHI from any call allowed to them', async () => {
    const manager = SANDBOX_PROFILES.find((p) => p.role === 'manager')!;
    await core.dispatch('session.useProfile', { profileId: manager.id, pin: samplePin });
    const leaks: string[] = [];
    for (const name of callNames) {
      if (name === 'session.useProfile' || LOCKING.has(name) || !(contract[name].roles as readonly string[]).includes('manager')) continue;
      const outcome = await call(
        core,
        name,
        sampleValue(contract[name].input, DESTRUCTIVE.has(name) ? { ...known, visitId: 'v-does-not-exist' } : known),
      );
      const text = JSON.stringify(outcome);
      if (text.includes(patientName)) leaks.push(`${name} returned the patient's name`);
      if (text.includes(String(known.visitId))) leaks.push(`${name} returned a visit id`);
    }
    expect(leaks).toEqual([]);
  });

  it('signed out, every call but the session ones is refused', async () => {
    // A fresh core with no signed-in user is what a real-EHR workstation is before SMART sign-in; the
    // sandbox core always has a profile, so check the gate directly with the dispatcher's rule.
    for (const name of callNames) {
      if (name === 'session.get' || name === 'session.useProfile') continue;
      expect((contract[name].roles as readonly string[]).length, name).toBeGreaterThan(0);
    }
  });
});
