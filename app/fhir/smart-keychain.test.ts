import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKeychain } from '../secrets/index.ts';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { createSmartSession } from './smart.ts';
import { approveInSandboxBrowser } from '../../testing/fhir/sandbox-browser.ts';

/**
 * The EHR refresh token in the real OS keychain (gnome-keyring's Secret Service through @napi-rs/keyring). CI runs
 * the suite inside `dbus-run-session` with an unlocked gnome-keyring; locally:
 *   dbus-run-session -- sh -c 'printf "\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run app/fhir'
 * Outside such a session this is skipped with that hint, except under CI, where it must run.
 */
const haveSession = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || Boolean(process.env.CI);
if (!haveSession) {
  console.warn(
    'smart-keychain.test.ts skipped: no D-Bus session, so no Secret Service (run inside dbus-run-session with gnome-keyring, as .ci/run does)',
  );
}
const service = `org.scribe.test.smart.${randomBytes(4).toString('hex')}`;

describe.skipIf(!haveSession)('SMART refresh token in the real OS keychain', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: true, requireAuth: true });
  });
  afterAll(async () => {
    await sandbox?.close();
    const keychain = await openKeychain(service);
    for (const account of await keychain.list()) await keychain.delete(account);
  });

  it('stores it on sign-in, signs in silently from it after a restart, and deletes it on sign-out', async () => {
    const account = `smart-refresh-token:${sandbox.baseUrl}|scribe-desktop`;
    const first = createSmartSession({
      issuer: sandbox.baseUrl,
      clientId: 'scribe-desktop',
      secrets: await openKeychain(service),
      openUrl: (url) => approveInSandboxBrowser(url),
    });
    await first.signIn();
    const keychain = await openKeychain(service);
    expect(keychain.kind).toBe('keychain');
    const stored = JSON.parse((await keychain.get(account))!) as { refreshToken: string; fhirUser: string };
    expect(stored.fhirUser).toBe('Practitioner/dana-reyes');

    const afterRestart = createSmartSession({
      issuer: sandbox.baseUrl,
      clientId: 'scribe-desktop',
      secrets: await openKeychain(service),
      openUrl: () => {
        throw new Error('no browser expected after a restart');
      },
    });
    expect((await afterRestart.restore())?.fhirUser).toBe('Practitioner/dana-reyes');
    const rotated = JSON.parse((await keychain.get(account))!) as { refreshToken: string };
    expect(rotated.refreshToken).not.toBe(stored.refreshToken);
    const res = await fetch(`${sandbox.baseUrl}/Patient/maria-gonzalez`, {
      headers: { authorization: `Bearer ${await afterRestart.getAccessToken()}` },
    });
    expect(res.status).toBe(200);

    await afterRestart.signOut();
    expect(await keychain.get(account)).toBeNull();
  });
});
