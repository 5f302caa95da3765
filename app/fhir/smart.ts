import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecretStore } from '../secrets/index.ts';
import { EhrError } from './ehr-error.ts';

/**
 * SMART App Launch, standalone, as a native app (RFC 8252): discovery from
 * `.well-known/smart-configuration`, authorization code + PKCE S256 + state, the system browser (or an
 * auth window) pointed at the EHR, a one-shot loopback redirect listener on 127.0.0.1, the refresh token
 * in the OS keychain (never a file), silent refresh, and sign-out that revokes and forgets.
 */
export const DEFAULT_SMART_SCOPES = [
  'openid',
  'fhirUser',
  'profile',
  'offline_access',
  'user/Patient.read',
  'user/Encounter.read',
  'user/Practitioner.read',
  'user/Condition.read',
  'user/Condition.write',
  'user/MedicationStatement.read',
  'user/MedicationRequest.read',
  'user/DocumentReference.read',
  'user/DocumentReference.write',
  'user/Provenance.write',
  // The drafting software is named as a Device in each note's Provenance.
  'user/Device.read',
  'user/Device.write',
];

export interface SmartConfiguration {
  issuer?: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  jwks_uri?: string;
  code_challenge_methods_supported?: string[];
  capabilities?: string[];
  scopes_supported?: string[];
}

export interface SmartUser {
  /** e.g. "Practitioner/123", from the id_token's fhirUser claim (SMART v1: its profile claim). */
  fhirUser: string;
  id: string;
  resourceType: string;
  /** Display name read from the EHR, when it could be. */
  name?: string;
}

export interface SmartSessionStatus {
  signedIn: boolean;
  issuer: string;
  clientId: string;
  user: SmartUser | null;
  scope?: string;
  accessTokenExpiresAt?: string;
  /** Why the session ended without the person signing out (a refused refresh), in plain words. */
  signedOutReason?: string;
}

export interface SmartSessionOptions {
  /** The EHR's FHIR base URL (SMART `iss`, and `aud` of the authorize request). */
  issuer: string;
  clientId: string;
  /** Where the refresh token lives: the OS keychain (openKeychain()); a memory store only in unit tests. */
  secrets: SecretStore;
  /** Opens the authorize URL in the system browser or an auth window. */
  openUrl: (url: string) => void | Promise<void>;
  /** Scopes to request: a list, or read at each sign-in (they follow the write plan, decision 0154). */
  scopes?: string[] | (() => string[]);
  /** A fixed loopback port for the redirect (EHRs that registered one refuse others); default: any free port. */
  redirectPort?: number;
  /** Called once when a refresh is refused and the session ends (the UI shows the person signed out at once). */
  onSignedOut?: (reason: string) => void;
  /** Where ignored id_token problems are reported (default console.warn). */
  log?: (message: string) => void;
  /** Clock (tests move time forward past a token's expiry). */
  now?: () => number;
  /** How long to wait for the person to finish signing in (default 5 min). */
  signInTimeoutMs?: number;
  /** Per-request timeout for discovery and token calls (default 15 s). */
  requestTimeoutMs?: number;
}

export interface SmartSession {
  readonly issuer: string;
  /** Interactive sign-in; resolves once the EHR redirected back and the code was exchanged. */
  signIn(): Promise<SmartUser>;
  /** Silent sign-in at start-up from the refresh token in the keychain; null when there is none or it was refused. */
  restore(): Promise<SmartUser | null>;
  /** A valid access token (refreshed silently when expired or when forceRefresh), or null when signed out. */
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string | null>;
  /** Revoke at the EHR (best effort) and forget the tokens here and in the keychain. */
  signOut(): Promise<void>;
  user(): SmartUser | null;
  status(): SmartSessionStatus;
}

interface TokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  id_token?: string;
  fhirUser?: string;
  error?: string;
  error_description?: string;
}

interface StoredGrant {
  refreshToken: string;
  fhirUser?: string;
  scope?: string;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

async function fetchSmartJson<T>(url: string, init: RequestInit, timeoutMs: number): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new EhrError('timeout', `The EHR's sign-in service at ${new URL(url).origin} did not answer`);
    throw new EhrError('unreachable', `The EHR's sign-in service at ${new URL(url).origin} cannot be reached`, { cause: error });
  }
  const text = await res.text();
  try {
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  } catch {
    throw new EhrError(
      'invalid-response',
      `The EHR's sign-in service answered ${url} with something that is not JSON (HTTP ${res.status})`,
      { status: res.status },
    );
  }
}

/**
 * Read the EHR's `.well-known/smart-configuration` (for a settings page's "Check connection", and for
 * sign-in). Throws EhrError in plain words when the address is not a SMART-enabled FHIR server.
 */
export async function discoverSmartConfiguration(fhirBaseUrl: string, timeoutMs = 15_000): Promise<SmartConfiguration> {
  const issuer = fhirBaseUrl.replace(/\/+$/, '');
  const { status, body } = await fetchSmartJson<SmartConfiguration>(
    `${issuer}/.well-known/smart-configuration`,
    { headers: { accept: 'application/json' } },
    timeoutMs,
  );
  if (status !== 200 || !body.authorization_endpoint || !body.token_endpoint) {
    throw new EhrError(
      'invalid-response',
      `${issuer} does not publish a SMART configuration (.well-known/smart-configuration, HTTP ${status}); check the EHR base URL`,
      { status },
    );
  }
  if (body.code_challenge_methods_supported && !body.code_challenge_methods_supported.includes('S256')) {
    throw new EhrError('rejected', 'This EHR does not support PKCE with S256, which Scribe requires for a secure sign-in');
  }
  assertSecureSmartEndpoints(body);
  return body;
}

/** Loopback addresses (the embedded sandbox, a test EHR): the only place plain http is accepted. */
function isLoopbackUrl(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/**
 * The sign-in page and the token endpoint must be https (the token endpoint carries the code, the PKCE
 * verifier and the refresh token), except on loopback. They may be on another origin than the FHIR base:
 * many EHRs run their authorization server apart from the FHIR server.
 */
export function assertSecureSmartEndpoints(
  config: Pick<SmartConfiguration, 'authorization_endpoint' | 'token_endpoint' | 'revocation_endpoint' | 'jwks_uri'>,
): void {
  const endpoints = {
    'token endpoint': config.token_endpoint,
    'sign-in page': config.authorization_endpoint,
    'revocation endpoint': config.revocation_endpoint,
    'key set (jwks_uri)': config.jwks_uri,
  };
  for (const [what, address] of Object.entries(endpoints)) {
    if (address === undefined) continue;
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new EhrError('invalid-response', `The EHR's SMART configuration gives a ${what} that is not an address (${address})`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) {
      throw new EhrError(
        'rejected',
        `The EHR's ${what} (${url.origin}) is not https: Scribe will not send sign-in secrets over an unencrypted connection`,
      );
    }
  }
}

/** The id_token must come from this EHR's issuer and answer this sign-in (nonce); called after the signature check. */
export function assertIdTokenFor(claims: Record<string, unknown>, expected: { issuers: string[]; nonce?: string }): void {
  const iss = typeof claims.iss === 'string' ? claims.iss.replace(/\/+$/, '') : undefined;
  if (!iss || !expected.issuers.some((i) => i.replace(/\/+$/, '') === iss)) {
    throw new EhrError(
      'invalid-response',
      `The EHR id_token was issued by ${iss ?? 'no one'}, not by the EHR Scribe is connected to; nothing was accepted`,
    );
  }
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) {
    throw new EhrError(
      'invalid-response',
      'The EHR id_token does not answer this sign-in (nonce mismatch): it may be replayed; nothing was accepted',
    );
  }
}

export function createSmartSession(options: SmartSessionOptions): SmartSession {
  const issuer = options.issuer.replace(/\/+$/, '');
  const account = `smart-refresh-token:${issuer}|${options.clientId}`;
  const scopes = () => (typeof options.scopes === 'function' ? options.scopes() : (options.scopes ?? DEFAULT_SMART_SCOPES));
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.warn(`scribe: ${message}`));
  let signedOutReason: string | undefined;
  let config: SmartConfiguration | null = null;
  let accessToken: string | null = null;
  let accessExpiresAt = 0;
  let grantedScope: string | undefined;
  let currentUser: SmartUser | null = null;
  let refreshing: Promise<string | null> | null = null;
  let pendingSignIn: { cancel(reason: string): void } | null = null;

  const fetchJson = <T>(url: string, init: RequestInit = {}) => fetchSmartJson<T>(url, init, timeoutMs);

  async function discover(): Promise<SmartConfiguration> {
    config ??= await discoverSmartConfiguration(issuer, timeoutMs);
    return config;
  }

  async function tokenRequest(form: Record<string, string>): Promise<TokenResponse> {
    const { token_endpoint } = await discover();
    const { status, body } = await fetchJson<TokenResponse>(token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
    if (status !== 200 || !body.access_token) {
      const said = body.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}` : `HTTP ${status}`;
      const kind = status >= 500 ? 'server' : 'unauthorized';
      throw new EhrError(kind, `The EHR refused the sign-in (${said})`, { status });
    }
    if (body.token_type && body.token_type.toLowerCase() !== 'bearer') {
      throw new EhrError('invalid-response', `The EHR issued a ${body.token_type} token; Scribe needs a Bearer token`);
    }
    return body;
  }

  /** The user an id_token names: fhirUser, or (SMART v1 servers) profile. */
  function userClaim(claims: Record<string, unknown>): string | undefined {
    if (typeof claims.fhirUser === 'string') return claims.fhirUser;
    return typeof claims.profile === 'string' ? claims.profile : undefined;
  }

  /**
   * Sign-in: the id_token must verify. Refresh (decision 0155): an id_token is optional there; one that
   * verifies must name the same user, one that does not (e.g. no aud, as some servers send) is ignored
   * and logged, since the access token, not the id_token, is what the refresh is for.
   */
  async function fhirUserFrom(tokens: TokenResponse, refreshOf?: string, nonce?: string): Promise<string | undefined> {
    if (tokens.id_token && refreshOf === undefined) {
      const claims = await verifiedIdTokenClaims(tokens.id_token, nonce);
      return userClaim(claims) ?? tokens.fhirUser;
    }
    if (tokens.id_token) {
      let claims: Record<string, unknown> | null = null;
      try {
        claims = await verifiedIdTokenClaims(tokens.id_token);
      } catch (error) {
        log(
          `the EHR's refresh answer carried an id_token Scribe cannot use (${error instanceof Error ? error.message : String(error)}); it was ignored and the session kept`,
        );
      }
      const named = claims ? userClaim(claims) : undefined;
      if (named && refreshOf && relativeUser(named) !== relativeUser(refreshOf)) {
        throw new EhrError(
          'unauthorized',
          `The EHR renewed the sign-in for a different user (${relativeUser(named)}, not ${relativeUser(refreshOf)}). Sign in to the EHR again.`,
          { status: 401 },
        );
      }
    }
    return refreshOf ?? tokens.fhirUser;
  }

  async function verifiedIdTokenClaims(idToken: string, nonce?: string): Promise<Record<string, unknown>> {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw new EhrError('invalid-response', 'The EHR returned a malformed id_token');
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { jwks_uri } = await discover();
    if (jwks_uri) {
      if (header.alg !== 'RS256')
        throw new EhrError('invalid-response', `The EHR signed its id_token with ${header.alg}; Scribe accepts RS256`);
      const { body } = await fetchJson<{ keys?: (JsonWebKey & { kid?: string })[] }>(jwks_uri);
      const jwk = body.keys?.find((k) => !header.kid || k.kid === header.kid);
      if (!jwk) throw new EhrError('invalid-response', 'The EHR id_token is signed with a key it does not publish');
      const ok = verify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        createPublicKey({ key: jwk, format: 'jwk' }),
        Buffer.from(parts[2]!, 'base64url'),
      );
      if (!ok) throw new EhrError('invalid-response', 'The EHR id_token signature does not verify');
    }
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(options.clientId)) throw new EhrError('invalid-response', 'The EHR id_token was issued for another application');
    if (typeof claims.exp === 'number' && claims.exp * 1000 < now() - 60_000)
      throw new EhrError('invalid-response', 'The EHR id_token has expired');
    assertIdTokenFor(claims, { issuers: [issuer, ...(config?.issuer ? [config.issuer] : [])], ...(nonce === undefined ? {} : { nonce }) });
    return claims;
  }

  async function adopt(tokens: TokenResponse, refreshOf?: string, nonce?: string): Promise<SmartUser> {
    const relative = relativeUser((await fhirUserFrom(tokens, refreshOf, nonce)) ?? '');
    if (!relative) {
      throw new EhrError(
        'invalid-response',
        'The EHR did not say who signed in (no fhirUser or profile claim); ask for the openid and fhirUser scopes',
      );
    }
    accessToken = tokens.access_token!;
    accessExpiresAt = now() + (tokens.expires_in ?? 300) * 1000;
    signedOutReason = undefined;
    grantedScope = tokens.scope ?? grantedScope;
    const [resourceType, id] = relative.split('/') as [string, string];
    const previousName = currentUser?.fhirUser === relative ? currentUser.name : undefined;
    currentUser = { fhirUser: relative, resourceType, id, ...(previousName ? { name: previousName } : {}) };
    if (tokens.refresh_token) {
      const stored: StoredGrant = {
        refreshToken: tokens.refresh_token,
        fhirUser: relative,
        ...(grantedScope ? { scope: grantedScope } : {}),
      };
      await options.secrets.set(account, JSON.stringify(stored));
    }
    if (!currentUser.name) currentUser.name = await readDisplayName(relative).catch(() => undefined);
    return { ...currentUser };
  }

  async function readDisplayName(reference: string): Promise<string | undefined> {
    const { status, body } = await fetchJson<{ name?: { text?: string; prefix?: string[]; given?: string[]; family?: string }[] }>(
      `${issuer}/${reference}`,
      {
        headers: { accept: 'application/fhir+json', authorization: `Bearer ${accessToken}` },
      },
    );
    if (status !== 200) return undefined;
    const name = body.name?.[0];
    if (!name) return undefined;
    return name.text ?? [...(name.prefix ?? []), name.given?.[0], name.family].filter(Boolean).join(' ');
  }

  async function storedGrant(): Promise<StoredGrant | null> {
    const raw = await options.secrets.get(account);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as StoredGrant;
      return parsed.refreshToken ? parsed : null;
    } catch {
      return null;
    }
  }

  function forgetHere(): void {
    accessToken = null;
    accessExpiresAt = 0;
    currentUser = null;
    grantedScope = undefined;
  }

  async function refresh(): Promise<string | null> {
    refreshing ??= (async () => {
      try {
        const grant = await storedGrant();
        if (!grant) {
          forgetHere();
          return null;
        }
        try {
          const tokens = await tokenRequest({
            grant_type: 'refresh_token',
            refresh_token: grant.refreshToken,
            client_id: options.clientId,
          });
          await adopt(tokens, grant.fhirUser ?? currentUser?.fhirUser);
        } catch (error) {
          if (error instanceof EhrError && error.kind === 'unauthorized') {
            // Refresh refused (revoked, expired, another user): forget it and say so now, not at the next
            // failing call; signed notes stay in the outbox and go after the next sign-in.
            const wasSignedIn = currentUser !== null;
            await options.secrets.delete(account).catch(() => undefined);
            forgetHere();
            signedOutReason = /different user/.test(error.message)
              ? error.message
              : 'Your EHR sign-in has expired or was revoked. Sign in to the EHR again; signed notes are kept and sent after you sign in.';
            if (wasSignedIn) {
              try {
                options.onSignedOut?.(signedOutReason);
              } catch {
                // a listener never breaks the session
              }
            }
            throw new EhrError('unauthorized', signedOutReason, { status: 401 });
          }
          throw error;
        }
        return accessToken;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  return {
    issuer,

    async signIn() {
      const smart = await discover();
      const { verifier, challenge } = pkcePair();
      const state = base64url(randomBytes(16));
      const nonce = base64url(randomBytes(16));
      // One sign-in at a time: a new one (the person clicked again) ends the listener of the previous one.
      pendingSignIn?.cancel('A newer sign-in was started; this one was abandoned.');
      const loopback = await loopbackRedirect(state, options.signInTimeoutMs ?? 5 * 60_000, options.redirectPort ?? 0);
      const { redirectUri, result, close } = loopback;
      pendingSignIn = loopback;
      try {
        const url = new URL(smart.authorization_endpoint);
        url.search = new URLSearchParams({
          response_type: 'code',
          client_id: options.clientId,
          redirect_uri: redirectUri,
          scope: scopes().join(' '),
          state,
          aud: issuer,
          nonce,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }).toString();
        await options.openUrl(url.toString());
        const code = await result;
        const tokens = await tokenRequest({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: options.clientId,
          code_verifier: verifier,
        });
        if (!tokens.id_token && scopes().includes('openid')) {
          throw new EhrError(
            'invalid-response',
            'The EHR answered the sign-in without an id_token although openid was asked: Scribe cannot tell who signed in',
          );
        }
        return await adopt(tokens, undefined, nonce);
      } finally {
        close();
        if (pendingSignIn === loopback) pendingSignIn = null;
      }
    },

    async restore() {
      try {
        await refresh();
      } catch (error) {
        if (error instanceof EhrError && error.kind === 'unauthorized') return null;
        throw error;
      }
      return currentUser ? { ...currentUser } : null;
    },

    async getAccessToken(opts = {}) {
      if (!opts.forceRefresh && accessToken && now() < accessExpiresAt - 30_000) return accessToken;
      return refresh();
    },

    async signOut() {
      const grant = await storedGrant();
      const { revocation_endpoint } = config ?? (await discover().catch(() => ({}) as Partial<SmartConfiguration>));
      if (revocation_endpoint) {
        for (const token of [grant?.refreshToken, accessToken]) {
          if (!token) continue;
          await fetch(revocation_endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ token, client_id: options.clientId }).toString(),
            signal: AbortSignal.timeout(timeoutMs),
          }).catch(() => undefined); // forgetting locally must not depend on the EHR answering
        }
      }
      await options.secrets.delete(account);
      forgetHere();
      signedOutReason = undefined;
    },

    user: () => (currentUser ? { ...currentUser } : null),

    status: () => ({
      signedIn: currentUser !== null,
      issuer,
      clientId: options.clientId,
      user: currentUser ? { ...currentUser } : null,
      ...(grantedScope ? { scope: grantedScope } : {}),
      ...(accessToken ? { accessTokenExpiresAt: new Date(accessExpiresAt).toISOString() } : {}),
      ...(signedOutReason ? { signedOutReason } : {}),
    }),
  };
}

/** "Practitioner/1" from a relative or absolute fhirUser ("https://ehr/fhir/Practitioner/1"); '' when it names no resource. */
function relativeUser(fhirUser: string): string {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(fhirUser);
  return match ? `${match[1]}/${match[2]}` : '';
}

/** A one-shot HTTP listener on 127.0.0.1 (a free port, or the fixed one the EHR registered) that receives the authorization response. */
async function loopbackRedirect(
  state: string,
  timeoutMs: number,
  port: number,
): Promise<{ redirectUri: string; result: Promise<string>; close: () => void; cancel: (reason: string) => void }> {
  let server: Server;
  let timer: NodeJS.Timeout;
  let settle: { resolve: (code: string) => void; reject: (e: Error) => void };
  const result = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  result.catch(() => undefined);
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
      return;
    }
    const page = (title: string, text: string, status = 200) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'",
      });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`,
      );
    };
    if (url.searchParams.get('state') !== state) {
      page('Sign-in not accepted', 'This answer does not belong to the sign-in Scribe started. Start the sign-in again from Scribe.', 400);
      settle.reject(
        new EhrError('rejected', 'The sign-in answer did not match the request (state mismatch); nothing was accepted. Sign in again.'),
      );
      return;
    }
    const error = url.searchParams.get('error');
    if (error) {
      const description = url.searchParams.get('error_description');
      page('Sign-in not completed', 'The EHR did not approve the sign-in. You can close this window and try again from Scribe.', 400);
      settle.reject(new EhrError('unauthorized', `The EHR did not approve the sign-in (${error}${description ? `: ${description}` : ''})`));
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) {
      page('Sign-in not completed', 'The EHR answered without an authorization code.', 400);
      settle.reject(new EhrError('invalid-response', 'The EHR answered the sign-in without an authorization code'));
      return;
    }
    page('Signed in to Scribe', 'You can close this window and return to Scribe.');
    settle.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new EhrError(
              'rejected',
              `The sign-in needs port ${port} on this computer (registered with the EHR), but another program is using it; close it and sign in again`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  timer = setTimeout(
    () =>
      settle.reject(
        new EhrError('timeout', `The sign-in was not completed within ${Math.round(timeoutMs / 60_000) || 1} min; start it again`),
      ),
    timeoutMs,
  );
  timer.unref();
  const bound = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${bound}/callback`,
    result,
    close: () => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    },
    cancel: (reason: string) => settle.reject(new EhrError('rejected', reason)),
  };
}
