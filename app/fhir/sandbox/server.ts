import '../node-websocket.ts';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { badRequest, getStatus, normalizeOperationOutcome, notFound, serverError } from '@medplum/core';
import { FhirRouter, type FhirRequest, type FhirResponse, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitionsInBackground } from '../definitions.ts';
import { SandboxRepository } from './repository.ts';
import { buildSeedBundle } from './seed.ts';
import { createSmartAuthority, type SmartAuthority } from './smart-authority.ts';
import { sandboxCapabilityStatement, type WriteMode } from '../write-plan.ts';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Load the demo practice: a practitioner, patients, today's encounters, problems and medications. */
  seed?: boolean;
  /** Reject FHIR requests without a valid SMART bearer token (401 + OperationOutcome). */
  requireAuth?: boolean;
  /** Only loopback: the sandbox holds demo data and has no real login. */
  host?: '127.0.0.1';
  /** Access token lifetime in seconds (default 3600); tests shorten it to exercise refresh. */
  accessTokenSeconds?: number;
  /**
   * Which EHR the sandbox plays (decision 0153): full (transactions, conditional create) or a vendor-like
   * server without either: direct (DocumentReference, Condition, Device, Provenance creates) or minimal
   * (DocumentReference create only). Its CapabilityStatement says so, and it refuses what such a server refuses.
   */
  writeMode?: WriteMode;
}

export interface Sandbox {
  origin: string;
  /** origin + '/fhir/R4' */
  baseUrl: string;
  /** The SMART authorization server built into the sandbox (for tests: expire or revoke tokens). */
  auth: SmartAuthority;
  writeMode: WriteMode;
  close(): Promise<void>;
}

export const FHIR_BASE_PATH = '/fhir/R4';
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

class HttpProblem extends Error {
  constructor(
    public readonly status: number,
    public readonly outcome: OperationOutcome,
  ) {
    super(outcome.issue?.[0]?.details?.text ?? `HTTP ${status}`);
  }
}

/**
 * The sandbox EHR: Medplum's FHIR engine (router + validated in-memory repository) behind node:http on
 * 127.0.0.1, serving FHIR R4 at /fhir/R4 and, for SMART App Launch, /.well-known/smart-configuration and
 * /oauth/{authorize,token,revoke}.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const writeMode = options.writeMode ?? 'full';
  const repo = new SandboxRepository();
  const router = new FhirRouter();
  // The FHIR engine's definitions and the demo practice load in the background, so the app's first screen
  // is not kept waiting for them; every request waits until they are in (a failure answers 500 with why).
  const ready = (async () => {
    await loadFhirDefinitionsInBackground();
    if (options.seed) {
      await repo.withSeeding(async () => {
        for (const entry of buildSeedBundle().entry ?? []) await repo.createResource(entry.resource as Resource);
      });
    }
  })();
  ready.catch(() => undefined);

  let origin = '';
  const auth = createSmartAuthority({
    origin: () => origin,
    fhirBaseUrl: () => origin + FHIR_BASE_PATH,
    accessTokenSeconds: options.accessTokenSeconds,
    practitionerExists: async (id) => {
      try {
        await repo.readResource('Practitioner', id);
        return true;
      } catch {
        return false;
      }
    },
  });

  // One request at a time touches the repository: a transaction is never interleaved with another write,
  // and a reader never sees half of a transaction.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendOutcome(res, 500, serverError(error instanceof Error ? error : new Error(String(error))));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await ready.catch((error: unknown) => {
      throw new Error(
        `The sandbox EHR could not load its FHIR definitions or demo data: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    const url = new URL(req.url ?? '/', origin);
    if (await auth.handle(req, res, url)) return;
    if (url.pathname !== FHIR_BASE_PATH && !url.pathname.startsWith(FHIR_BASE_PATH + '/')) {
      sendOutcome(res, 404, notFound);
      return;
    }
    const relative = url.pathname.slice(FHIR_BASE_PATH.length).replace(/^\/+/, '');
    if (relative === 'metadata' && req.method === 'GET') {
      sendJson(res, 200, capabilityStatement(origin, writeMode), {});
      return;
    }
    if (options.requireAuth) {
      const denied = auth.checkBearer(req.headers.authorization);
      if (denied) {
        sendOutcome(res, 401, denied, { 'www-authenticate': 'Bearer realm="scribe-sandbox", error="invalid_token"' });
        return;
      }
    }
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (error) {
      if (error instanceof HttpProblem) {
        sendOutcome(res, error.status, error.outcome);
        return;
      }
      throw error;
    }
    if (options.requireAuth) {
      const forbidden = auth.checkScopes(req.headers.authorization, interactionsOf(req.method ?? 'GET', relative + url.search, body));
      if (forbidden) {
        sendOutcome(res, 403, forbidden);
        return;
      }
    }
    const refused = writeMode === 'full' ? null : refusedByVendorServer(writeMode, req, relative, body);
    if (refused) {
      sendOutcome(res, refused.status, badRequest(refused.text));
      return;
    }
    const fhirRequest: FhirRequest = {
      method: (req.method ?? 'GET').toUpperCase() as HttpMethod,
      url: relative + url.search,
      pathname: '',
      body,
      params: {},
      query: {},
      headers: req.headers,
    };
    const isTransaction = relative === '' && fhirRequest.method === 'POST' && (body as Bundle | undefined)?.type === 'transaction';
    const [outcome, resource] = await serialised(() =>
      isTransaction ? runTransaction(fhirRequest) : router.handleRequest(fhirRequest, repo),
    );
    const status = getStatus(outcome);
    if (!resource) {
      sendOutcome(res, status, outcome);
      return;
    }
    sendJson(res, status, decorate(resource, origin + FHIR_BASE_PATH), resourceHeaders(resource, status, origin + FHIR_BASE_PATH));
  }

  /**
   * Medplum's batch processor answers a failed transaction entry inside a 200 transaction-response and
   * keeps the entries written before it. A FHIR transaction must land whole or not at all: roll back
   * and answer with the failing entry's status and OperationOutcome.
   */
  async function runTransaction(request: FhirRequest): Promise<FhirResponse> {
    try {
      return await repo.withTransaction(async () => {
        const response = await router.handleRequest(request, repo);
        const bundle = response[1] as Bundle | undefined;
        const failed = bundle?.entry?.findIndex((e) => Number(e.response?.status ?? '200') >= 400) ?? -1;
        if (failed >= 0) {
          const entry = bundle!.entry![failed]!;
          const entryOutcome = (entry.response?.outcome ?? badRequest('failed')) as OperationOutcome;
          const type = (request.body as Bundle).entry?.[failed]?.resource?.resourceType ?? 'entry';
          throw new TransactionRejected(Number(entry.response!.status), {
            resourceType: 'OperationOutcome',
            issue: [
              { severity: 'error', code: 'processing', details: { text: `Transaction rolled back: entry ${failed + 1} (${type}) failed` } },
              ...(entryOutcome.issue ?? []),
            ],
          });
        }
        return response;
      });
    } catch (error) {
      if (error instanceof TransactionRejected) return [{ ...error.outcome, id: statusOutcomeId(error.status) }];
      throw error;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    baseUrl: origin + FHIR_BASE_PATH,
    auth,
    writeMode,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Which resource types a request reads or writes, for the scope check (transactions: every entry). */
function interactionsOf(method: string, relative: string, body: unknown): { resourceType: string; write: boolean }[] {
  const type = relative.split(/[/?]/)[0] ?? '';
  const write = !['GET', 'HEAD'].includes(method.toUpperCase()) && !relative.endsWith('/_search');
  if (type === '' && method.toUpperCase() === 'POST') {
    return ((body as Bundle | undefined)?.entry ?? []).map((e) => {
      const entryMethod = e.request?.method ?? 'GET';
      return {
        resourceType: e.resource?.resourceType ?? (e.request?.url ?? '').split(/[/?]/)[0] ?? '',
        write: entryMethod !== 'GET' && entryMethod !== 'HEAD',
      };
    });
  }
  const wants = [{ resourceType: type, write }];
  // _include'd resources are read too.
  const includes = relative.includes('?') ? new URLSearchParams(relative.slice(relative.indexOf('?') + 1)).getAll('_include') : [];
  for (const include of includes) {
    const target = include.split(':')[2];
    if (target) wants.push({ resourceType: target, write: false });
  }
  return wants.filter((w) => /^[A-Z][A-Za-z]+$/.test(w.resourceType));
}

class TransactionRejected extends Error {
  constructor(
    public readonly status: number,
    public readonly outcome: OperationOutcome,
  ) {
    super('transaction rejected');
  }
}

/** Medplum derives the HTTP status from OperationOutcome.id; keep the failing entry's status. */
function statusOutcomeId(status: number): string | undefined {
  return ({ 404: 'not-found', 409: 'conflict', 412: 'precondition-failed', 422: 'business-rule' } as Record<number, string>)[status];
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, badRequest(`Request body is larger than ${MAX_BODY_BYTES} bytes`));
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpProblem(400, badRequest(`Request body is not valid JSON: ${(error as Error).message}`));
  }
}

function resourceHeaders(resource: Resource, status: number, base: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const versionId = resource.meta?.versionId;
  if (versionId) headers.etag = `W/"${versionId}"`;
  if (resource.meta?.lastUpdated) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (status === 201 && resource.id) {
    headers.location = `${base}/${resource.resourceType}/${resource.id}` + (versionId ? `/_history/${versionId}` : '');
  }
  return headers;
}

/** Search results carry fullUrl, as a real server's do. */
function decorate(resource: Resource, base: string): Resource {
  if (resource.resourceType !== 'Bundle') return resource;
  const bundle = resource as Bundle;
  for (const entry of bundle.entry ?? []) {
    if (!entry.fullUrl && entry.resource?.id) entry.fullUrl = `${base}/${entry.resource.resourceType}/${entry.resource.id}`;
  }
  return bundle;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': FHIR_JSON, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendOutcome(res: ServerResponse, status: number, outcome: OperationOutcome, headers: Record<string, string> = {}): void {
  sendJson(res, status, normalizeOperationOutcome(outcome), headers);
}

function capabilityStatement(origin: string, writeMode: WriteMode): CapabilityStatement {
  const statement = sandboxCapabilityStatement(writeMode, origin + FHIR_BASE_PATH);
  statement.rest![0]!.security = {
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'authorize', valueUri: origin + '/oauth/authorize' },
          { url: 'token', valueUri: origin + '/oauth/token' },
          { url: 'revoke', valueUri: origin + '/oauth/revoke' },
        ],
      },
    ],
  };
  return statement;
}

/**
 * What a vendor write API without transactions or conditional create refuses (modelled on Oracle Health's
 * and Epic's DocumentReference create): bundles, If-None-Exist, creates of types it does not take, more
 * than one content entry, and an authenticator set by the client.
 */
function refusedByVendorServer(
  mode: WriteMode,
  req: IncomingMessage,
  relative: string,
  body: unknown,
): { status: number; text: string } | null {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return null;
  const type = relative.split(/[/?]/)[0] ?? '';
  if (type === '') return { status: 405, text: 'This EHR does not accept transactions or batches: create each resource with its own POST' };
  if (req.headers['if-none-exist']) return { status: 400, text: 'This EHR does not support conditional create (If-None-Exist)' };
  const accepted = mode === 'minimal' ? ['DocumentReference'] : ['DocumentReference', 'Condition', 'Device', 'Provenance'];
  if (method === 'POST' && !accepted.includes(type)) return { status: 405, text: `This EHR does not accept ${type} creates` };
  if (method === 'PUT' && type !== 'DocumentReference') return { status: 405, text: `This EHR does not accept ${type} updates` };
  if (type === 'DocumentReference' && method === 'POST') {
    const doc = body as { content?: unknown[]; authenticator?: unknown } | undefined;
    if ((doc?.content?.length ?? 0) !== 1) return { status: 422, text: 'DocumentReference.content must hold exactly one entry' };
    if (doc?.authenticator) return { status: 422, text: 'DocumentReference.authenticator cannot be set for provider access' };
  }
  return null;
}
