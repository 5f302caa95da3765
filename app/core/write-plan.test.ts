import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../contract/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { approveInSandboxBrowser } from '../../testing/fhir/sandbox-browser.ts';
import { createCore, SANDBOX_PROFILES, type Core } from './index.ts';

/** The core reads the write plan from the EHR it connects to, shows it with the session, and audits it. */
describe('write plan in the core (sandbox playing an EHR without transactions)', () => {
  let dir: string;
  let core: Core;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-core-plan-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore(), ehr: { mode: 'sandbox', writeMode: 'minimal' } });
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('the session shows the plan in force and what the EHR will not receive; the audit log records it', async () => {
    await core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES[0]!.id });
    let session = (await core.dispatch('session.get', {})) as Session;
    for (let i = 0; i < 100 && !session.ehr.writePlan; i++) {
      await new Promise((r) => setTimeout(r, 50));
      session = (await core.dispatch('session.get', {})) as Session;
    }
    expect(session.ehr.writePlan).toMatchObject({
      mode: 'minimal',
      summary: expect.stringMatching(/note alone; accepted diagnoses are written into its text/),
    });
    expect(session.ehr.writePlan!.notSent.join('\n')).toMatch(/diagnoses as coded Conditions.*\n.*Provenance record/s);
    let planned = (await core.forTests.audit.records()).filter((r) => r.action === 'ehr.writePlan');
    for (let i = 0; i < 100 && !planned.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      planned = (await core.forTests.audit.records()).filter((r) => r.action === 'ehr.writePlan');
    }
    expect(planned.map((r) => r.details)).toEqual([
      { mode: 'minimal', withheld: ['formatted-copy', 'authenticator', 'conditions', 'provenance'], server: 'sandbox' },
    ]);
  });
});

/** A refresh the EHR refuses shows the clinician signed out at once, in words (decision 0155). */
describe('EHR session ended by the EHR (sandbox with sign-in required)', () => {
  let dir: string;
  let core: Core;
  const secrets = createMemorySecretStore();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-core-signout-'));
    core = await createCore({ dataDir: dir, secrets, ehr: { mode: 'sandbox', requireAuth: true } });
  });
  afterAll(async () => {
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('a refused refresh: the session says signed out, why, and that notes are kept; events tell the screen at once', async () => {
    await core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES[0]!.id });
    const events: Session[] = [];
    const ehrEvents: Session['ehr'][] = [];
    core.subscribe((event, payload) => {
      if (event === 'session.changed') events.push(payload as Session);
      if (event === 'ehr.changed') ehrEvents.push(payload as Session['ehr']);
    });
    const { authorizeUrl } = (await core.dispatch('ehr.signIn', {})) as { authorizeUrl: string };
    await approveInSandboxBrowser(authorizeUrl);
    for (let i = 0; i < 100 && !((await core.dispatch('session.get', {})) as Session).ehr.connected; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(((await core.dispatch('session.get', {})) as Session).ehr).toMatchObject({ connected: true });
    expect((await core.dispatch('schedule.today', {})) as unknown[]).toHaveLength(5);

    // The EHR ends the grant (an administrator revoked it, or it expired there).
    const account = (await secrets.list()).find((a) => a.startsWith('smart-refresh-token:'))!;
    const grant = JSON.parse((await secrets.get(account))!) as { refreshToken: string };
    await fetch(`${new URL(core.fhirBaseUrl).origin}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: grant.refreshToken }),
    });
    await expect(core.dispatch('schedule.today', {})).rejects.toThrow(/expired or was revoked/);

    const session = (await core.dispatch('session.get', {})) as Session;
    expect(session.ehr.connected).toBe(false);
    expect(session.ehr.signedOutReason).toMatch(
      /Your EHR sign-in has expired or was revoked\. Sign in to the EHR again; signed notes are kept and sent after you sign in\./,
    );
    // The profile's own person signed in to the EHR, and the EHR later ended the grant: who is acting never
    // changed, so the windows heard ehr.changed (connected, then signed out) and no session.changed (decision 0187).
    expect(events).toEqual([]);
    expect(ehrEvents.map((e) => e.connected)).toEqual([true, false]);
    expect(ehrEvents.at(-1)).toMatchObject({ connected: false, signedOutReason: session.ehr.signedOutReason });
  });
});
