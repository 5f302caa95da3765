import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditTrail, openAuditLog, type AuditLog } from '../audit/index.ts';
import { createCore, SANDBOX_PROFILES, type Core } from '../core/index.ts';
import { createMemorySecretStore, type SecretStore } from '../secrets/index.ts';
import type { LockStatus } from '../contract/index.ts';
import { createSessionLock, pinAccount, type SessionLock } from './index.ts';

const MINUTE = 60_000;

describe('idle lock and re-authentication before Sign', () => {
  let dir: string;
  let core: Core;
  let secrets: SecretStore;
  let audit: AuditLog;
  let lock: SessionLock;
  let dispatch: (name: string, input: unknown) => Promise<unknown>;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const changes: LockStatus[] = [];
  const clinician = SANDBOX_PROFILES.find((p) => p.role === 'clinician')!;
  const scribe = SANDBOX_PROFILES.find((p) => p.role === 'scribe')!;
  let drafted = '';
  let recording = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-lock-'));
    secrets = createMemorySecretStore();
    core = await createCore({ dataDir: dir, secrets });
    audit = openAuditLog({ dir: path.join(dir, 'lock-audit') });
    lock = createSessionLock({
      secrets,
      audit,
      currentUser: () => core.forTests.services.session.current(),
      now: () => clock,
      onChange: (s) => void changes.push(s),
    });
    const trail = createAuditTrail({ audit, currentUser: () => core.forTests.services.session.current() });
    const wrapped = trail.wrap(lock.wrap(core.dispatch));
    dispatch = (name, input) => wrapped(name, input);

    await dispatch('session.useProfile', { profileId: clinician.id });
    const [first, second] = (await dispatch('schedule.today', {})) as { encounterId: string }[];
    const a = (await dispatch('visit.start', { encounterId: first!.encounterId, consent: 'agreed' })) as { id: string };
    await dispatch('visit.appendAudio', { visitId: a.id, seq: 0, pcm16: Buffer.alloc(32_000).toString('base64') });
    await dispatch('visit.stop', { visitId: a.id });
    await core.idle();
    drafted = a.id;
    const draft = ((await dispatch('visit.get', { visitId: a.id })) as { draft: { version: number; sections: { id: string }[] } }).draft;
    await dispatch('draft.updateSection', {
      visitId: a.id,
      sectionId: draft.sections[0]!.id,
      text: 'Seen for follow-up.',
      baseVersion: draft.version,
    });
    const b = (await dispatch('visit.start', { encounterId: second!.encounterId, consent: 'agreed' })) as { id: string };
    recording = b.id;
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('does not lock anyone who has no PIN (nobody could unlock)', async () => {
    clock += 30 * MINUTE;
    await expect(dispatch('visit.list', {})).resolves.toBeInstanceOf(Array);
    await expect(lock.lock({ id: clinician.id, role: 'clinician' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('keeps PINs as scrypt hashes in the keychain; changing one needs the current PIN', async () => {
    await expect(dispatch('session.useProfile', { profileId: clinician.id })).resolves.toBeTruthy();
    await expect(lock.setPin({ id: clinician.id, role: 'clinician' }, '12')).rejects.toMatchObject({ code: 'bad_request' });
    await lock.setPin({ id: clinician.id, role: 'clinician' }, '4821');
    const stored = await secrets.get(pinAccount(clinician.id));
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('4821');
    await expect(lock.setPin({ id: clinician.id, role: 'clinician' }, '9999')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(lock.setPin({ id: clinician.id, role: 'clinician' }, '9999', '0000')).rejects.toMatchObject({ code: 'forbidden' });
    await lock.setPin({ id: clinician.id, role: 'clinician' }, '5930', '4821');
  });

  it('locks after 5 idle minutes: everything but unlock is refused, Sign included; capture keeps flowing', async () => {
    clock += 4 * MINUTE;
    await expect(dispatch('visit.get', { visitId: drafted })).resolves.toBeTruthy();
    clock += 5 * MINUTE;
    await expect(dispatch('visit.sign', { visitId: drafted })).rejects.toMatchObject({ code: 'forbidden', details: { locked: true } });
    expect(changes.at(-1)).toMatchObject({ locked: true, reason: 'idle', lockedFor: clinician.id });
    await expect(dispatch('visit.get', { visitId: drafted })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(dispatch('session.useProfile', { profileId: scribe.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(dispatch('session.get', {})).resolves.toBeTruthy();
    // the recording that was running goes on
    await expect(
      dispatch('visit.appendAudio', { visitId: recording, seq: 0, pcm16: Buffer.alloc(32_000).toString('base64') }),
    ).resolves.toMatchObject({ audioSeconds: 1 });
    expect((await lock.status()).locked).toBe(true);
  });

  it("unlocks only with the same person's PIN, slowing down guessing, and then Sign works", async () => {
    await expect(lock.unlock({ id: scribe.id, role: 'scribe' }, '5930')).rejects.toMatchObject({ code: 'forbidden' });
    for (let i = 0; i < 5; i += 1)
      await expect(lock.unlock({ id: clinician.id, role: 'clinician' }, '0000')).rejects.toMatchObject({ message: 'Wrong PIN' });
    await expect(lock.unlock({ id: clinician.id, role: 'clinician' }, '5930')).rejects.toMatchObject({
      message: expect.stringMatching(/Too many wrong PINs/),
    });
    clock += 31_000;
    const status = await lock.unlock({ id: clinician.id, role: 'clinician' }, '5930');
    expect(status.locked).toBe(false);
    expect(changes.at(-1)?.locked).toBe(false);
    const signed = (await dispatch('visit.sign', { visitId: drafted })) as { status: string };
    expect(signed.status).toBe('signed');

    await lock.lock({ id: clinician.id, role: 'clinician' });
    expect(await lock.status()).toMatchObject({ locked: true, reason: 'user' });
    await lock.unlock({ id: clinician.id, role: 'clinician' }, '5930');

    const records = await audit.records();
    const actions = records.map((r) => `${r.action}${r.details.reason ? `:${String(r.details.reason)}` : ''}`);
    expect(actions).toContain('session.locked:idle');
    expect(actions).toContain('access.denied:locked');
    expect(actions).toContain('session.unlocked');
    expect(actions).toContain('session.locked:user');
    expect((await audit.verify()).ok).toBe(true);
  });

  it('works through the contract in the core itself: setPin, lock, refused Sign, unlock, lock events', async () => {
    const events: unknown[] = [];
    const off = core.subscribe((event, payload) => event === 'session.lockChanged' && void events.push(payload));
    await core.dispatch('session.useProfile', { profileId: clinician.id });
    await core.dispatch('session.setPin', { pin: '5930', currentPin: '5930' });
    await expect(core.dispatch('session.setPin', { pin: 'abcd' })).rejects.toMatchObject({ code: 'bad_request' });
    expect(await core.dispatch('session.lock', {})).toMatchObject({ locked: true, reason: 'user', hasPin: true });
    await expect(core.dispatch('visit.list', {})).rejects.toMatchObject({ code: 'forbidden', details: { locked: true } });
    await expect(core.dispatch('session.unlock', { pin: '1111' })).rejects.toMatchObject({ message: 'Wrong PIN' });
    expect(await core.dispatch('session.unlock', { pin: '5930' })).toMatchObject({ locked: false });
    await expect(core.dispatch('visit.list', {})).resolves.toBeInstanceOf(Array);
    expect(events).toEqual([expect.objectContaining({ locked: true }), expect.objectContaining({ locked: false })]);
    off();
    await core.idle();
    const denied = (await core.forTests.audit.records()).filter((r) => r.action === 'access.denied' && r.details.reason === 'locked');
    expect(denied.map((r) => r.details.call)).toContain('visit.list');
  });
});
