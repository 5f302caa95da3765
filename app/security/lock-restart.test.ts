import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, SANDBOX_PROFILES, type Core } from '../core/index.ts';
import { openKeychain, type SecretStore } from '../secrets/index.ts';
import { createSessionLock, lockStateAccount } from './index.ts';

// The idle lock against the ways around it found in #15, through the real core and the OS keychain
// (run inside scripts/with-keyring.sh): quitting and relaunching, wrong PINs forgotten at restart,
// background polling keeping the session awake, and switching profile to the clinician.

const clinician = SANDBOX_PROFILES.find((p) => p.role === 'clinician')!;
const scribe = SANDBOX_PROFILES.find((p) => p.role === 'scribe')!;
const PIN = '482913';
let dataDirOfTest = '';
/** The core keeps each data folder's lock state under its own keychain account. */
const stateAccount = () => lockStateAccount(createHash('sha256').update(path.resolve(dataDirOfTest)).digest('hex').slice(0, 16));

describe('the idle lock holds across restarts (real keychain)', () => {
  let dir: string;
  let service: string;
  let secrets: SecretStore;
  let core: Core | null = null;
  const start = async () => (core = await createCore({ dataDir: dir, keychainService: service }));
  const restart = async () => {
    await core?.close();
    return start();
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-lock-restart-'));
    dataDirOfTest = dir;
    service = `org.scribe.test.lock-${randomBytes(4).toString('hex')}`;
    secrets = await openKeychain(service);
  });
  afterAll(async () => {
    await core?.close();
    for (const account of await secrets.list()) await secrets.delete(account);
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('starts locked after a restart when the signed-in person has a PIN; Sign and PHI are refused', async () => {
    const first = await start();
    await first.dispatch('session.setPin', { pin: PIN });
    expect(await first.dispatch('session.lockStatus', {})).toMatchObject({ locked: false, hasPin: true });
    const second = await restart();
    expect(await second.dispatch('session.lockStatus', {})).toMatchObject({ locked: true, reason: 'restart', lockedFor: clinician.id });
    await expect(second.dispatch('visit.list', {})).rejects.toMatchObject({ code: 'forbidden', details: { locked: true } });
    await expect(second.dispatch('session.useProfile', { profileId: scribe.id })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await secrets.get(stateAccount())).toContain('"restart"');
  });

  it('keeps the wrong-PIN count and the lockout in the keychain: a restart does not give fresh attempts', async () => {
    const running = core!;
    // Five wrong PINs make the next attempt wait 30 s; a restart must not wipe that.
    for (let i = 0; i < 5; i += 1) await expect(running.dispatch('session.unlock', { pin: '000000' })).rejects.toThrow(/Wrong PIN/);
    await expect(running.dispatch('session.unlock', { pin: PIN })).rejects.toThrow(/Too many wrong PINs/);
    const after = await restart();
    const status = (await after.dispatch('session.lockStatus', {})) as { locked: boolean; retryAfter?: string };
    expect(status.locked).toBe(true);
    expect(status.retryAfter).toBeDefined();
    await expect(after.dispatch('session.unlock', { pin: PIN })).rejects.toThrow(/Too many wrong PINs/);
    // Past the wait (state edited as the clock would move), the right PIN unlocks and the count is cleared.
    const saved = JSON.parse((await secrets.get(stateAccount()))!) as { failures: number; retryAt: number };
    expect(saved.failures).toBe(5);
    await secrets.set(stateAccount(), JSON.stringify({ ...saved, retryAt: Date.now() - 1 }));
    const later = await restart();
    await expect(later.dispatch('session.unlock', { pin: PIN })).resolves.toMatchObject({ locked: false });
    expect(JSON.parse((await secrets.get(stateAccount()))!)).toMatchObject({ locked: null, failures: 0 });
  });

  it("switching to a clinician profile asks that clinician's PIN", async () => {
    const running = core!;
    await running.dispatch('session.useProfile', { profileId: scribe.id });
    await expect(running.dispatch('session.useProfile', { profileId: clinician.id })).rejects.toMatchObject({
      code: 'forbidden',
      details: { pinRequired: true },
    });
    await expect(running.dispatch('session.useProfile', { profileId: clinician.id, pin: '999999' })).rejects.toThrow(/Wrong PIN/);
    expect((await running.dispatch('session.get', {})) as { user: { id: string } }).toMatchObject({ user: { id: scribe.id } });
    await expect(running.dispatch('session.useProfile', { profileId: clinician.id, pin: PIN })).resolves.toMatchObject({
      user: { id: clinician.id },
    });
  });

  it("background reads (a screen polling visit.get) do not keep the session awake; a person's call does", async () => {
    let clock = Date.parse('2026-03-02T09:00:00Z');
    let user: { id: string; role: 'clinician' } | null = { id: 'poll-clinician', role: 'clinician' };
    const lock = createSessionLock({ secrets, currentUser: () => user, now: () => clock, idleMs: 5 * 60_000 });
    await lock.setPin(user!, PIN);
    await lock.unlock(user!, PIN); // nothing to unlock: lock state stays as it is
    const dispatch = lock.wrap(async () => ({ ok: true }));
    // A person edits, then leaves the screen polling every 3 s for six minutes.
    await dispatch('draft.updateSection', {});
    for (let t = 0; t < 6 * 60; t += 3) {
      clock += 3_000;
      await dispatch('visit.get', { visitId: 'v-1' }).catch(() => undefined);
    }
    expect((await lock.status()).locked).toBe(true);
    await expect(dispatch('visit.get', { visitId: 'v-1' })).rejects.toMatchObject({ code: 'forbidden' });
    await lock.unlock(user!, PIN);
    clock += 4 * 60_000;
    await dispatch('visit.sign', {});
    clock += 4 * 60_000;
    await expect(dispatch('visit.sign', {})).resolves.toEqual({ ok: true });
    user = null;
  });
});
