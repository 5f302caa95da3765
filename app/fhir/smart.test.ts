import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore, type SecretStore } from '../secrets/index.ts';
import { createEhrClient } from './ehr-client.ts';
import { EhrError } from './ehr-error.ts';
import { createOutbox } from './outbox.ts';
import { createFileOutboxStore } from './outbox-store.ts';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { SANDBOX_PRACTITIONER_REF } from './sandbox/seed.ts';
import { createSmartSession, discoverSmartConfiguration, pkcePair, type SmartSession } from './smart.ts';
import { approveInSandboxBrowser } from '../../testing/fhir/sandbox-browser.ts';
import { demoSignedNote } from '../../testing/fhir/demo-note.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: true, requireAuth: true });
});
afterAll(async () => {
  await sandbox?.close();
});

function session(
  secrets: SecretStore,
  openUrl: (url: string) => void | Promise<void> = (url) => approveInSandboxBrowser(url),
): SmartSession {
  return createSmartSession({ issuer: sandbox.baseUrl, clientId: 'scribe-desktop', secrets, openUrl });
}

describe('SMART App Launch against the sandbox (auth required)', () => {
  it('refuses FHIR requests without a token: 401 with an OperationOutcome', async () => {
    const res = await fetch(`${sandbox.baseUrl}/Patient`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl });
    const error = await ehr.todaysEncounters(SANDBOX_PRACTITIONER_REF).catch((e: unknown) => e);
    expect((error as EhrError).kind).toBe('unauthorized');
    expect((error as EhrError).message).toMatch(/Sign in to the EHR again/);
  });

  it('signs in (PKCE, state, loopback redirect), learns who from fhirUser, and keeps only the refresh token, in the keychain', async () => {
    const secrets = createMemorySecretStore();
    let opened = '';
    const smart = session(secrets, async (url) => {
      opened = url;
      await approveInSandboxBrowser(url);
    });
    const user = await smart.signIn();
    expect(user).toEqual({ fhirUser: 'Practitioner/dana-reyes', resourceType: 'Practitioner', id: 'dana-reyes', name: 'Dr. Dana Reyes' });
    const authorize = new URL(opened);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorize.searchParams.get('aud')).toBe(sandbox.baseUrl);
    expect(authorize.searchParams.get('scope')).toContain('user/DocumentReference.write');
    const stored = JSON.parse((await secrets.get(`smart-refresh-token:${sandbox.baseUrl}|scribe-desktop`))!);
    expect(stored.refreshToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(stored)).not.toContain((await smart.getAccessToken())!);
    expect(smart.status()).toMatchObject({ signedIn: true, user: { fhirUser: 'Practitioner/dana-reyes' } });

    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: smart.getAccessToken });
    const schedule = await ehr.todaysEncounters(smart.user()!.fhirUser);
    expect(schedule).toHaveLength(5);
  });

  it('refreshes an expired access token transparently (schedule read and outbox post)', async () => {
    const secrets = createMemorySecretStore();
    const smart = session(secrets);
    await smart.signIn();
    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: smart.getAccessToken });
    const before = sandbox.auth.stats().refreshes;
    sandbox.auth.expireAccessTokens();
    expect(await ehr.todaysEncounters(SANDBOX_PRACTITIONER_REF)).toHaveLength(5);
    expect(sandbox.auth.stats().refreshes).toBe(before + 1);

    sandbox.auth.expireAccessTokens();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-smart-outbox-'));
    const outbox = createOutbox({ store: createFileOutboxStore(dir), ehr });
    await outbox.enqueue(demoSignedNote('note-smart-1'));
    await outbox.start();
    const settled = await outbox.whenSettled('note-smart-1');
    await outbox.close();
    await rm(dir, { recursive: true, force: true });
    expect(settled).toMatchObject({ status: 'posted', attempts: 1 });
    expect(sandbox.auth.stats().refreshes).toBe(before + 2);
  });

  it('a note signed before the EHR sign-in waits, then goes right after sign-in (resume)', async () => {
    const smart = session(createMemorySecretStore());
    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: smart.getAccessToken });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-smart-wait-'));
    const updates: string[] = [];
    const outbox = createOutbox({ store: createFileOutboxStore(dir), ehr, onUpdate: (u) => updates.push(`${u.status}:${u.error ?? ''}`) });
    await outbox.enqueue(demoSignedNote('note-before-sign-in'));
    await outbox.start();
    while (!updates.some((u) => u.startsWith('queued:') && u.length > 'queued:'.length)) await new Promise((r) => setTimeout(r, 20));
    expect(updates.find((u) => u.startsWith('queued:The EHR'))).toMatch(/401.*will be sent after sign-in/);
    await smart.signIn();
    outbox.resume();
    const settled = await outbox.whenSettled('note-before-sign-in');
    await outbox.close();
    await rm(dir, { recursive: true, force: true });
    expect(settled.status).toBe('posted');
  });

  it('signs in silently at start-up from the keychain, and sign-out revokes and forgets', async () => {
    const secrets = createMemorySecretStore();
    await session(secrets).signIn();
    const restarted = session(secrets, () => {
      throw new Error('no browser expected');
    });
    expect(await restarted.restore()).toMatchObject({ fhirUser: 'Practitioner/dana-reyes', name: 'Dr. Dana Reyes' });
    const token = await restarted.getAccessToken();
    const stored = JSON.parse((await secrets.get(`smart-refresh-token:${sandbox.baseUrl}|scribe-desktop`))!);

    await restarted.signOut();
    expect(await secrets.get(`smart-refresh-token:${sandbox.baseUrl}|scribe-desktop`)).toBeNull();
    expect(restarted.user()).toBeNull();
    expect(await restarted.getAccessToken()).toBeNull();
    const revokedAccess = await fetch(`${sandbox.baseUrl}/Patient`, { headers: { authorization: `Bearer ${token}` } });
    expect(revokedAccess.status).toBe(401);
    const refused = await fetch(`${sandbox.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored.refreshToken, client_id: 'scribe-desktop' }),
    });
    expect(refused.status).toBe(400);
    expect(await session(secrets).restore()).toBeNull();
  });

  it('the token endpoint checks PKCE: a wrong code_verifier gets no token', async () => {
    const { challenge } = pkcePair();
    const redirectUri = 'http://127.0.0.1:1/callback';
    const authorize = new URL(`${sandbox.origin}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'scribe-desktop',
      redirect_uri: redirectUri,
      scope: 'openid fhirUser user/Patient.read',
      state: 'abc',
      aud: sandbox.baseUrl,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const html = await (await fetch(authorize)).text();
    const href = /id="approve" href="([^"]+)"/.exec(html)![1]!.replace(/&#38;/g, '&');
    const location = new URL((await fetch(new URL(href, sandbox.origin), { redirect: 'manual' })).headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('abc');
    const exchange = (verifier: string) =>
      fetch(`${sandbox.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: location.searchParams.get('code')!,
          redirect_uri: redirectUri,
          client_id: 'scribe-desktop',
          code_verifier: verifier,
        }),
      });
    const wrong = await exchange(pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error_description: string }).error_description).toMatch(/PKCE/);
  });

  it('enforces the granted scopes: a read-only sign-in cannot write notes (403)', async () => {
    const readOnly = createSmartSession({
      issuer: sandbox.baseUrl,
      clientId: 'scribe-readonly',
      secrets: createMemorySecretStore(),
      openUrl: (url) => approveInSandboxBrowser(url),
      scopes: ['openid', 'fhirUser', 'user/Patient.read', 'user/Practitioner.read', 'user/Encounter.read'],
    });
    await readOnly.signIn();
    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl, getAccessToken: readOnly.getAccessToken });
    expect(await ehr.todaysEncounters(SANDBOX_PRACTITIONER_REF)).toHaveLength(5);
    const denied = await ehr.patientContext('maria-gonzalez').catch((e: unknown) => e);
    expect((denied as EhrError).message).toMatch(/403.*scopes do not allow: read Condition/);
    const outboxDir = await mkdtemp(path.join(os.tmpdir(), 'scribe-smart-ro-'));
    const outbox = createOutbox({ store: createFileOutboxStore(outboxDir), ehr });
    await outbox.enqueue(demoSignedNote('note-smart-readonly'));
    await outbox.start();
    const settled = await outbox.whenSettled('note-smart-readonly');
    await outbox.close();
    await rm(outboxDir, { recursive: true, force: true });
    expect(settled.status).toBe('failed');
    expect(settled.error).toMatch(/does not allow this for the signed-in user \(403\).*write Device, write DocumentReference/);
  });

  it('reports a refused sign-in clearly', async () => {
    const smart = session(createMemorySecretStore(), (url) => approveInSandboxBrowser(url, { practitioner: 'nobody-here' }));
    await expect(smart.signIn()).rejects.toThrow(/did not approve the sign-in \(access_denied/);
    expect(smart.user()).toBeNull();
  });

  it('a second sign-in abandons the first one (its loopback listener closes)', async () => {
    const urls: string[] = [];
    const smart = session(createMemorySecretStore(), (url) => void urls.push(url));
    const first = smart.signIn();
    first.catch(() => undefined);
    while (urls.length < 1) await new Promise((r) => setTimeout(r, 10));
    const second = smart.signIn();
    await expect(first).rejects.toThrow(/newer sign-in was started/);
    while (urls.length < 2) await new Promise((r) => setTimeout(r, 10));
    const abandoned = new URL(urls[0]!).searchParams.get('redirect_uri')!;
    await expect(fetch(`${abandoned}?code=x&state=y`)).rejects.toThrow();
    await approveInSandboxBrowser(urls[1]!);
    expect((await second).fhirUser).toBe('Practitioner/dana-reyes');
  });

  it('discovers the SMART configuration for a settings check', async () => {
    const config = await discoverSmartConfiguration(sandbox.baseUrl + '/');
    expect(config).toMatchObject({
      authorization_endpoint: `${sandbox.origin}/oauth/authorize`,
      token_endpoint: `${sandbox.origin}/oauth/token`,
    });
    expect(config.capabilities).toEqual(expect.arrayContaining(['launch-standalone', 'client-public', 'permission-offline']));
    await expect(discoverSmartConfiguration('http://127.0.0.1:9/fhir', 2000)).rejects.toThrow(/cannot be reached/);
  });

  it('reports a wrong EHR address clearly', async () => {
    const smart = createSmartSession({
      issuer: `${sandbox.origin}/not-fhir`,
      clientId: 'x',
      secrets: createMemorySecretStore(),
      openUrl: () => undefined,
    });
    await expect(smart.signIn()).rejects.toThrow(/does not publish a SMART configuration/);
  });
});
