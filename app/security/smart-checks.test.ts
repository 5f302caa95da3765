import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmartSession, discoverSmartConfiguration } from '../fhir/smart.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { isEhrSignInUrl } from './index.ts';

// SMART sign-in against a hostile or misconfigured EHR (#15): an id_token from another issuer or for
// another sign-in (nonce) is refused, a token endpoint over plain http is refused (except loopback), and a
// sign-in page on another origin than the FHIR base is allowed (and only the one the core handed out opens).

interface Behaviour {
  config?: Record<string, unknown>;
  claims?: (nonce: string | null, base: string) => Record<string, unknown>;
}

describe('SMART security checks', () => {
  let server: Server;
  let base = '';
  let behaviour: Behaviour = {};
  let lastNonce: string | null = null;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', base);
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/fhir/.well-known/smart-configuration') {
        return json({
          authorization_endpoint: `${base}/authorize`,
          token_endpoint: `${base}/token`,
          code_challenge_methods_supported: ['S256'],
          ...behaviour.config,
        });
      }
      if (url.pathname === '/token') {
        const claims = behaviour.claims?.(lastNonce, `${base}/fhir`) ?? {};
        const idToken = [
          { alg: 'none' },
          { aud: 'scribe-desktop', exp: Math.floor(Date.now() / 1000) + 600, fhirUser: 'Practitioner/p1', ...claims },
          {},
        ]
          .map((part, i) => (i === 2 ? '' : Buffer.from(JSON.stringify(part)).toString('base64url')))
          .join('.');
        return json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid fhirUser' });
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Signs in: the "browser" returns straight to the loopback redirect with a code and the right state. */
  function signIn() {
    const session = createSmartSession({
      issuer: `${base}/fhir`,
      clientId: 'scribe-desktop',
      secrets: createMemorySecretStore(),
      scopes: ['openid', 'fhirUser'],
      openUrl: async (address) => {
        const authorize = new URL(address);
        lastNonce = authorize.searchParams.get('nonce');
        const back = new URL(authorize.searchParams.get('redirect_uri')!);
        back.searchParams.set('code', 'c1');
        back.searchParams.set('state', authorize.searchParams.get('state')!);
        await fetch(back);
      },
    });
    return session.signIn();
  }

  it('accepts an id_token from this EHR that answers this sign-in', async () => {
    behaviour = { claims: (nonce, iss) => ({ iss, nonce }) };
    await expect(signIn()).resolves.toMatchObject({ fhirUser: 'Practitioner/p1' });
    expect(lastNonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('refuses an id_token issued by another server (iss)', async () => {
    behaviour = { claims: (nonce) => ({ iss: 'https://evil.example/fhir', nonce }) };
    await expect(signIn()).rejects.toThrow(/issued by https:\/\/evil\.example\/fhir, not by the EHR/);
  });

  it('refuses an id_token replayed from another sign-in (nonce)', async () => {
    behaviour = { claims: (_nonce, iss) => ({ iss, nonce: 'an-old-nonce-from-yesterday' }) };
    await expect(signIn()).rejects.toThrow(/nonce mismatch/);
    behaviour = { claims: (_nonce, iss) => ({ iss }) };
    await expect(signIn()).rejects.toThrow(/nonce mismatch/);
  });

  it('refuses a token endpoint over plain http on another host; loopback http stays allowed (the sandbox)', async () => {
    behaviour = { config: { token_endpoint: 'http://ehr.example.org/oauth/token' } };
    await expect(discoverSmartConfiguration(`${base}/fhir`)).rejects.toThrow(/token endpoint \(http:\/\/ehr\.example\.org\) is not https/);
    behaviour = { config: { authorization_endpoint: 'http://login.example.org/authorize' } };
    await expect(discoverSmartConfiguration(`${base}/fhir`)).rejects.toThrow(/sign-in page .* is not https/);
    behaviour = {};
    await expect(discoverSmartConfiguration(`${base}/fhir`)).resolves.toMatchObject({ token_endpoint: `${base}/token` });
  });

  it('allows a sign-in page on another origin than the FHIR base; the shell opens only the page the core issued', async () => {
    behaviour = {
      config: {
        authorization_endpoint: 'https://login.example.org/oauth2/authorize',
        token_endpoint: 'https://login.example.org/oauth2/token',
      },
    };
    await expect(discoverSmartConfiguration(`${base}/fhir`)).resolves.toMatchObject({
      authorization_endpoint: 'https://login.example.org/oauth2/authorize',
    });
    const issued = new Set(['https://login.example.org/oauth2/authorize?client_id=scribe-desktop&state=abc']);
    expect(isEhrSignInUrl('https://login.example.org/oauth2/authorize?client_id=scribe-desktop&state=abc', issued)).toBe(true);
    expect(isEhrSignInUrl('https://login.example.org/oauth2/authorize?client_id=scribe-desktop&state=other', issued)).toBe(false);
    expect(isEhrSignInUrl('https://evil.example/phish', issued)).toBe(false);
    expect(isEhrSignInUrl('javascript:alert(1)', issued)).toBe(false);
    expect(isEhrSignInUrl('http://127.0.0.1:4000/oauth/authorize', issued)).toBe(true);
  });
});
