import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unauthorized, unauthorizedTokenExpired } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { SANDBOX_PRACTITIONER_ID } from './seed.ts';

/**
 * The sandbox's SMART App Launch authorization server (standalone launch, public clients, PKCE S256),
 * enough for Scribe to sign in against it exactly as against a real EHR:
 * /.well-known/smart-configuration, /oauth/authorize (an auto-approving sign-in page), /oauth/token
 * (authorization_code with PKCE check, refresh_token with rotation), /oauth/revoke, /oauth/jwks.
 * Access tokens are opaque; the id_token (RS256) carries `fhirUser`.
 */
export interface SmartAuthority {
  /** Serve the SMART endpoints; false when the request is for something else. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** null when the Authorization header carries a valid access token, else the 401 OperationOutcome. */
  checkBearer(authorization: string | undefined): OperationOutcome | null;
  /** null when the token's scopes allow these interactions, else the 403 OperationOutcome. */
  checkScopes(authorization: string | undefined, wants: { resourceType: string; write: boolean }[]): OperationOutcome | null;
  /** Test hook: make every access token issued so far expire now (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /**
   * Test hook: play other authorization servers. `refreshIdToken`: what a refresh answer carries ('normal';
   * 'no-aud' as the SMART Health IT launcher sends; 'other-user'; 'none'). `userClaim`: 'profile' as SMART v1 servers.
   */
  quirks(q: { refreshIdToken?: 'normal' | 'no-aud' | 'other-user' | 'none'; userClaim?: 'fhirUser' | 'profile' }): void;
  /** Counts, for tests and diagnostics. */
  stats(): { accessTokens: number; refreshTokens: number; tokenRequests: number; refreshes: number };
}

interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  createdAt: number;
  /** OpenID Connect nonce, echoed in the id_token of the code exchange. */
  nonce?: string;
}

interface Grant {
  clientId: string;
  scope: string;
  fhirUser: string;
}

interface CodeRecord extends Grant {
  nonce?: string;
  redirectUri: string;
  codeChallenge: string;
  expiresAt: number;
}

const CODE_SECONDS = 60;
const REQUEST_SECONDS = 600;
export const SMART_SCOPES_SUPPORTED = [
  'openid',
  'fhirUser',
  'profile',
  'offline_access',
  'online_access',
  'user/Organization.read',
  'user/Organization.rs',
  'user/Provenance.read',
  'user/Provenance.rs',
  'user/Patient.read',
  'user/Patient.rs',
  'user/Encounter.read',
  'user/Encounter.rs',
  'user/Practitioner.read',
  'user/Practitioner.rs',
  'user/Condition.read',
  'user/Condition.rs',
  'user/Condition.write',
  'user/Condition.c',
  'user/MedicationStatement.read',
  'user/MedicationStatement.rs',
  'user/MedicationRequest.read',
  'user/MedicationRequest.rs',
  'user/DocumentReference.read',
  'user/DocumentReference.write',
  'user/DocumentReference.cruds',
  'user/Provenance.write',
  'user/Provenance.c',
  'user/Device.read',
  'user/Device.write',
  'user/Device.c',
  'user/*.read',
  'user/*.write',
  'user/*.*',
];

export function createSmartAuthority(options: {
  origin: () => string;
  fhirBaseUrl: () => string;
  accessTokenSeconds?: number;
  practitionerExists: (id: string) => Promise<boolean>;
}): SmartAuthority {
  const accessSeconds = options.accessTokenSeconds ?? 3600;
  const requests = new Map<string, AuthorizationRequest>();
  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, Grant & { expiresAt: number; refreshToken?: string }>();
  const refreshTokens = new Map<string, Grant>();
  const counters = { tokenRequests: 0, refreshes: 0 };
  // The id_token signing key is made on first use: RSA generation would otherwise slow every start.
  let signingKey: { privateKey: KeyObject; publicKey: KeyObject } | null = null;
  const keys = () => (signingKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
  const keyId = randomUUID();

  const issuer = () => options.fhirBaseUrl();
  const quirks: { refreshIdToken: 'normal' | 'no-aud' | 'other-user' | 'none'; userClaim: 'fhirUser' | 'profile' } = {
    refreshIdToken: 'normal',
    userClaim: 'fhirUser',
  };

  function smartConfiguration() {
    const origin = options.origin();
    return {
      issuer: issuer(),
      jwks_uri: origin + '/oauth/jwks',
      authorization_endpoint: origin + '/oauth/authorize',
      token_endpoint: origin + '/oauth/token',
      revocation_endpoint: origin + '/oauth/revoke',
      token_endpoint_auth_methods_supported: ['none'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      scopes_supported: SMART_SCOPES_SUPPORTED,
      code_challenge_methods_supported: ['S256'],
      capabilities: [
        'launch-standalone',
        'client-public',
        'sso-openid-connect',
        'permission-offline',
        'permission-user',
        'permission-v1',
        'permission-v2',
      ],
    };
  }

  function issueTokens(grant: Grant, previousRefresh?: string, nonce?: string) {
    const accessToken = randomBytes(32).toString('base64url');
    const wantsRefresh = /\b(offline_access|online_access)\b/.test(grant.scope);
    const refreshToken = wantsRefresh ? randomBytes(32).toString('base64url') : undefined;
    if (previousRefresh) refreshTokens.delete(previousRefresh);
    if (refreshToken) refreshTokens.set(refreshToken, grant);
    accessTokens.set(accessToken, { ...grant, expiresAt: Date.now() + accessSeconds * 1000, refreshToken });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessSeconds,
      scope: grant.scope,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
    const refreshQuirk = previousRefresh ? quirks.refreshIdToken : 'normal';
    if (/\bopenid\b/.test(grant.scope) && /\b(fhirUser|profile)\b/.test(grant.scope) && refreshQuirk !== 'none') {
      body.id_token = idToken(
        refreshQuirk === 'other-user' ? { ...grant, fhirUser: 'Practitioner/samuel-patel' } : grant,
        keys().privateKey,
        keyId,
        issuer(),
        { aud: refreshQuirk !== 'no-aud', userClaim: quirks.userClaim, ...(nonce ? { nonce } : {}) },
      );
    }
    return body;
  }

  async function authorize(res: ServerResponse, url: URL): Promise<void> {
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!clientId) return sendHtml(res, 400, 'Sign-in refused', 'The application did not say who it is (client_id is missing).');
    if (!isLoopbackRedirect(redirectUri)) {
      return sendHtml(
        res,
        400,
        'Sign-in refused',
        'The redirect address must be a loopback address (http://127.0.0.1:PORT/...) as for a native app.',
      );
    }
    const fail = (error: string, description: string) =>
      redirect(res, redirectUri, { error, error_description: description, state: q.get('state') ?? '' });
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
    if (!q.get('code_challenge') || q.get('code_challenge_method') !== 'S256')
      return fail('invalid_request', 'PKCE with code_challenge_method=S256 is required');
    if (!q.get('state')) return fail('invalid_request', 'state is required');
    if (stripSlash(q.get('aud') ?? '') !== stripSlash(issuer()))
      return fail('invalid_request', `aud must be this FHIR server (${issuer()})`);
    const scope = (q.get('scope') ?? '')
      .split(/\s+/)
      .filter((s) => SMART_SCOPES_SUPPORTED.includes(s))
      .join(' ');
    if (!scope) return fail('invalid_scope', 'No supported scope was requested');
    const requestId = randomBytes(16).toString('base64url');
    requests.set(requestId, {
      clientId,
      redirectUri,
      scope,
      state: q.get('state')!,
      codeChallenge: q.get('code_challenge')!,
      createdAt: Date.now(),
      ...(q.get('nonce') ? { nonce: q.get('nonce')! } : {}),
    });
    const practitioner = (q.get('login_hint') ?? '').replace(/^Practitioner\//, '') || SANDBOX_PRACTITIONER_ID;
    const approve = `/oauth/approve?request=${encodeURIComponent(requestId)}&practitioner=${encodeURIComponent(practitioner)}`;
    sendHtml(
      res,
      200,
      'Sandbox EHR sign-in',
      `<p><strong>${escapeHtml(clientId)}</strong> asks to use the Sandbox EHR as <strong>Practitioner/${escapeHtml(practitioner)}</strong> with: ${escapeHtml(scope)}.</p>` +
        `<p>This sandbox approves automatically. <a id="approve" href="${escapeHtml(approve)}">Continue</a></p>`,
      `<meta http-equiv="refresh" content="1;url=${escapeHtml(approve)}">`,
    );
  }

  async function approve(res: ServerResponse, url: URL): Promise<void> {
    const requestId = url.searchParams.get('request') ?? '';
    const request = requests.get(requestId);
    requests.delete(requestId);
    if (!request || Date.now() - request.createdAt > REQUEST_SECONDS * 1000) {
      return sendHtml(res, 400, 'Sign-in expired', 'This sign-in request is unknown or has expired. Start the sign-in again from Scribe.');
    }
    const practitioner = url.searchParams.get('practitioner') || SANDBOX_PRACTITIONER_ID;
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(practitioner) || !(await options.practitionerExists(practitioner))) {
      return redirect(res, request.redirectUri, {
        error: 'access_denied',
        error_description: `No practitioner ${practitioner} in this EHR`,
        state: request.state,
      });
    }
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      clientId: request.clientId,
      scope: request.scope,
      fhirUser: `Practitioner/${practitioner}`,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      expiresAt: Date.now() + CODE_SECONDS * 1000,
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    redirect(res, request.redirectUri, { code, state: request.state });
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.tokenRequests++;
    const form = new URLSearchParams(await readText(req));
    const oauthError = (status: number, error: string, description: string) =>
      sendJson(res, status, { error, error_description: description });
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const record = codes.get(code);
      codes.delete(code); // single use, whatever happens next
      if (!record || record.expiresAt < Date.now())
        return oauthError(400, 'invalid_grant', 'The authorization code is unknown, used or expired');
      if (form.get('client_id') !== record.clientId)
        return oauthError(400, 'invalid_client', 'client_id does not match the authorization request');
      if (form.get('redirect_uri') !== record.redirectUri)
        return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return oauthError(400, 'invalid_grant', 'code_verifier is missing or malformed');
      if (createHash('sha256').update(verifier).digest('base64url') !== record.codeChallenge) {
        return oauthError(400, 'invalid_grant', 'PKCE check failed: code_verifier does not match code_challenge');
      }
      const { nonce, redirectUri: _r, codeChallenge: _c, expiresAt: _e, ...grant } = record;
      return sendJson(res, 200, {
        ...issueTokens(grant, undefined, nonce),
        ...(quirks.userClaim === 'fhirUser' ? { fhirUser: record.fhirUser } : {}),
      });
    }
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      const grant = refreshTokens.get(refreshToken);
      if (!grant) return oauthError(400, 'invalid_grant', 'The refresh token is unknown or was revoked');
      if (form.get('client_id') && form.get('client_id') !== grant.clientId)
        return oauthError(400, 'invalid_client', 'client_id does not match the refresh token');
      counters.refreshes++;
      return sendJson(res, 200, issueTokens(grant, refreshToken));
    }
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  async function revoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readText(req));
    const value = form.get('token') ?? '';
    if (refreshTokens.delete(value)) {
      for (const [access, grant] of accessTokens) if (grant.refreshToken === value) accessTokens.delete(access);
    }
    const access = accessTokens.get(value);
    if (access) {
      accessTokens.delete(value);
      if (access.refreshToken) refreshTokens.delete(access.refreshToken);
    }
    res.writeHead(200, { 'cache-control': 'no-store' });
    res.end();
  }

  return {
    async handle(req, res, url) {
      const path = url.pathname;
      if (
        req.method === 'GET' &&
        (path === '/.well-known/smart-configuration' || path === new URL(issuer()).pathname + '/.well-known/smart-configuration')
      ) {
        sendJson(res, 200, smartConfiguration());
        return true;
      }
      if (!path.startsWith('/oauth/')) return false;
      if (req.method === 'GET' && path === '/oauth/authorize') await authorize(res, url);
      else if (req.method === 'GET' && path === '/oauth/approve') await approve(res, url);
      else if (req.method === 'POST' && path === '/oauth/token') await token(req, res);
      else if (req.method === 'POST' && path === '/oauth/revoke') await revoke(req, res);
      else if (req.method === 'GET' && path === '/oauth/jwks')
        sendJson(res, 200, { keys: [{ ...keys().publicKey.export({ format: 'jwk' }), kid: keyId, use: 'sig', alg: 'RS256' }] });
      else sendJson(res, 404, { error: 'not_found', error_description: `${req.method} ${path} is not an OAuth endpoint of this sandbox` });
      return true;
    },
    checkBearer(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match)
        return {
          ...unauthorized,
          issue: [
            ...unauthorized.issue,
            { severity: 'error', code: 'login', details: { text: 'A SMART access token (Authorization: Bearer ...) is required' } },
          ],
        };
      const grant = accessTokens.get(match[1]!);
      if (!grant)
        return {
          ...unauthorized,
          issue: [
            ...unauthorized.issue,
            { severity: 'error', code: 'login', details: { text: 'The access token is unknown or was revoked' } },
          ],
        };
      if (grant.expiresAt <= Date.now()) return unauthorizedTokenExpired;
      return null;
    },
    checkScopes(authorization, wants) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      const grant = token ? accessTokens.get(token) : undefined;
      if (!grant) return unauthorized;
      const missing = wants.filter((w) => !scopeAllows(grant.scope, w.resourceType, w.write));
      if (!missing.length) return null;
      const what = [...new Set(missing.map((m) => `${m.write ? 'write' : 'read'} ${m.resourceType}`))].join(', ');
      return {
        resourceType: 'OperationOutcome',
        id: 'forbidden',
        issue: [{ severity: 'error', code: 'forbidden', details: { text: `The access token's scopes do not allow: ${what}` } }],
      };
    },
    expireAccessTokens() {
      for (const grant of accessTokens.values()) grant.expiresAt = 0;
    },
    quirks(q) {
      Object.assign(quirks, q);
    },
    stats: () => ({ accessTokens: accessTokens.size, refreshTokens: refreshTokens.size, ...counters }),
  };
}

/** SMART v1 (.read/.write/.*) and v2 (.cruds) user/patient/system scopes. */
export function scopeAllows(scope: string, resourceType: string, write: boolean): boolean {
  return scope.split(/\s+/).some((s) => {
    const m = /^(user|patient|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|[cruds]+)$/.exec(s);
    if (!m || (m[2] !== '*' && m[2] !== resourceType)) return false;
    const access = m[3]!;
    if (access === '*') return true;
    if (access === 'read') return !write;
    if (access === 'write') return write;
    return write ? /[cud]/.test(access) : /[rs]/.test(access);
  });
}

function idToken(
  grant: Grant,
  key: KeyObject,
  kid: string,
  issuer: string,
  shape: { aud: boolean; userClaim: 'fhirUser' | 'profile'; nonce?: string },
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      iss: issuer,
      sub: grant.fhirUser.split('/')[1],
      ...(shape.aud ? { aud: grant.clientId } : {}),
      iat: now,
      exp: now + 3600,
      [shape.userClaim]: grant.fhirUser,
      ...(shape.nonce ? { nonce: shape.nonce } : {}),
    }),
  ).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && !url.hash;
  } catch {
    return false;
  }
}

function stripSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

function redirect(res: ServerResponse, target: string, params: Record<string, string>): void {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  res.writeHead(302, { location: url.toString(), 'cache-control': 'no-store' });
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string, head = ''): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${head}` +
      `<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;line-height:1.5}</style></head>` +
      `<body><h1>${escapeHtml(title)}</h1><p><em>Sandbox EHR: demo data only.</em></p>${body}</body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('OAuth request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
