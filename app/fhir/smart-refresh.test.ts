import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../secrets/index.ts';
import { createEhrClient } from './ehr-client.ts';
import { createOutbox, type OutboxUpdate } from './outbox.ts';
import { createFileOutboxStore } from './outbox-store.ts';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { SANDBOX_PRACTITIONER_REF } from './sandbox/seed.ts';
import { createSmartSession, type SmartSessionOptions } from './smart.ts';
import { demoSignedNote } from '../../testing/fhir/demo-note.ts';
import { approveInSandboxBrowser } from '../../testing/fhir/sandbox-browser.ts';
import { planForMode, scopesForPlan } from './write-plan.ts';

// Sign-in that lasts (issue 18): 1-minute access tokens from the sandbox's own authority, a clock moved
// past their expiry, and refresh answers shaped like other authorization servers'.

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: true, requireAuth: true, accessTokenSeconds: 60 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-smart-refresh-'));
});
afterEach(() => {
  sandbox.auth.quirks({ refreshIdToken: 'normal', userClaim: 'fhirUser' });
});
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

function clinicSession(extra: Partial<SmartSessionOptions> = {}) {
  let offset = 0;
  const logged: string[] = [];
  const signedOut: string[] = [];
  let signIns = 0;
  const smart = createSmartSession({
    issuer: sandbox.baseUrl,
    clientId: 'scribe-desktop',
    secrets: createMemorySecretStore(),
    openUrl: (url) => {
      signIns++;
      return approveInSandboxBrowser(url);
    },
    now: () => Date.now() + offset,
    log: (m) => logged.push(m),
    onSignedOut: (reason) => signedOut.push(reason),
    ...extra,
  });
  return { smart, logged, signedOut, signIns: () => signIns, passMinutes: (m: number) => (offset += m * 60_000) };
}

/** A visit opened (schedule read) before the token expires and signed after: the note must post with no new sign-in. */
async function openVisitThenSignAfterExpiry(name: string, c: ReturnType<typeof clinicSession>) {
  await c.smart.signIn();
  const ehr = createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: c.smart.getAccessToken });
  expect(await ehr.todaysEncounters(SANDBOX_PRACTITIONER_REF)).toHaveLength(5);
  const refreshes = sandbox.auth.stats().refreshes;
  // Two minutes in the visit: the 1-minute token has expired, here and at the EHR.
  c.passMinutes(2);
  sandbox.auth.expireAccessTokens();
  const updates: OutboxUpdate[] = [];
  const outbox = createOutbox({
    store: createFileOutboxStore(path.join(dir, name)),
    ehr,
    onUpdate: (u) => updates.push(u),
    backoff: { firstMs: 50, maxMs: 200 },
  });
  await outbox.start();
  await outbox.enqueue(demoSignedNote(`note-${name}`));
  return { outbox, updates, ehr, refreshes };
}

describe('SMART sign-in that lasts (1-minute tokens)', () => {
  it('a visit opened before the token expired and signed after it posts without a new sign-in', async () => {
    const c = clinicSession();
    const { outbox, refreshes } = await openVisitThenSignAfterExpiry('expiry', c);
    expect(await outbox.whenSettled('note-expiry')).toMatchObject({ status: 'posted', attempts: 1 });
    await outbox.close();
    expect(sandbox.auth.stats().refreshes).toBeGreaterThan(refreshes);
    expect(c.signIns()).toBe(1);
    expect(c.smart.status()).toMatchObject({ signedIn: true, user: { fhirUser: SANDBOX_PRACTITIONER_REF } });
  });

  it('a refresh answer whose id_token lacks aud keeps the session: the id_token is ignored and logged', async () => {
    sandbox.auth.quirks({ refreshIdToken: 'no-aud' });
    const c = clinicSession();
    const { outbox } = await openVisitThenSignAfterExpiry('no-aud', c);
    expect(await outbox.whenSettled('note-no-aud')).toMatchObject({ status: 'posted', attempts: 1 });
    await outbox.close();
    expect(c.signIns()).toBe(1);
    expect(c.signedOut).toEqual([]);
    expect(c.logged.join('\n')).toMatch(
      /id_token Scribe cannot use \(The EHR id_token was issued for another application\); it was ignored and the session kept/,
    );
    expect(c.smart.status().signedIn).toBe(true);
  });

  it('a refresh that really fails signs the clinician out at once, in words; the note is kept and sent after the next sign-in', async () => {
    const c = clinicSession();
    await c.smart.signIn();
    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: c.smart.getAccessToken });
    // The EHR ends the grant (revoked at the EHR, or the refresh token expired there).
    const stored = sandbox.auth.stats().refreshTokens;
    expect(stored).toBeGreaterThan(0);
    await fetch(`${sandbox.origin}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: (await c.smart.getAccessToken())! }),
    });
    c.passMinutes(2);
    const updates: OutboxUpdate[] = [];
    const outbox = createOutbox({
      store: createFileOutboxStore(path.join(dir, 'revoked')),
      ehr,
      onUpdate: (u) => updates.push(u),
      backoff: { firstMs: 60_000, maxMs: 60_000 },
    });
    await outbox.start();
    await outbox.enqueue(demoSignedNote('note-revoked'));
    while (!updates.some((u) => u.status === 'queued' && u.error)) await new Promise((r) => setTimeout(r, 20));
    expect(c.signedOut).toHaveLength(1);
    expect(c.signedOut[0]).toMatch(/sign-in has expired or was revoked\. Sign in to the EHR again; signed notes are kept/);
    expect(c.smart.status()).toMatchObject({ signedIn: false, user: null, signedOutReason: c.signedOut[0] });
    expect(updates.find((u) => u.error)!.error).toMatch(/will be sent after sign-in/);
    await c.smart.signIn();
    expect(c.smart.status().signedOutReason).toBeUndefined();
    outbox.resume();
    expect((await outbox.whenSettled('note-revoked')).status).toBe('posted');
    await outbox.close();
    expect(
      await createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: c.smart.getAccessToken }).search('DocumentReference', {
        identifier: `http://scribe.example.org/fhir/identifier/note|note-revoked`,
      }),
    ).toHaveLength(1);
  });

  it('a refresh whose valid id_token names another user ends the session', async () => {
    sandbox.auth.quirks({ refreshIdToken: 'other-user' });
    const c = clinicSession();
    await c.smart.signIn();
    c.passMinutes(2);
    await expect(c.smart.getAccessToken()).rejects.toThrow(/renewed the sign-in for a different user \(Practitioner\/samuel-patel/);
    expect(c.signedOut).toHaveLength(1);
    expect(c.smart.status().signedIn).toBe(false);
  });

  it('reads the user from the profile claim where fhirUser is absent (SMART v1 servers)', async () => {
    sandbox.auth.quirks({ userClaim: 'profile' });
    const c = clinicSession();
    expect(await c.smart.signIn()).toMatchObject({ fhirUser: SANDBOX_PRACTITIONER_REF, name: 'Dr. Dana Reyes' });
  });

  it('uses the fixed loopback port the EHR registered, and asks only for the scopes the write plan needs', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    let authorize = '';
    const c = clinicSession({
      redirectPort: port,
      scopes: () => scopesForPlan(planForMode('minimal')),
      openUrl: (url) => {
        authorize = url;
        return approveInSandboxBrowser(url);
      },
    });
    await c.smart.signIn();
    const asked = new URL(authorize);
    expect(asked.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    const scope = asked.searchParams.get('scope')!.split(' ');
    expect(scope).toContain('user/DocumentReference.write');
    expect(scope).not.toContain('user/Condition.write');
    expect(scope).not.toContain('user/Provenance.write');
    expect(scope).not.toContain('user/Device.write');
    expect(scopesForPlan(planForMode('full'))).toEqual(
      expect.arrayContaining(['user/Condition.write', 'user/Provenance.write', 'user/Device.write']),
    );
  });
});
