import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_PAYLOAD_BYTES, toWireError } from '../core/index.ts';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

/**
 * The contract's handlers over loopback HTTP + WebSocket, for `npm run dev:web` and the e2e tests.
 * Same dispatcher as Electron's IPC, so the browser drives the real core. Never started by a packaged app.
 * Guards: 127.0.0.1 only, a random per-run token, same-origin only (Origin and Host checked), JSON only,
 * payload size limit.
 */
export interface WebBridgeOptions {
  dispatch: (name: unknown, input: unknown) => Promise<unknown>;
  subscribe: (listener: (event: string, payload: unknown) => void) => () => void;
  /** Built renderer (vite build output) to serve; omit to serve the API only. */
  staticDir?: string;
  port?: number;
  token?: string;
}

export interface WebBridge {
  origin: string;
  /** The address to open: the token travels in the fragment, which never reaches a server log. */
  url: string;
  token: string;
  close(): Promise<void>;
}

const STATUS: Record<string, number> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unavailable: 503,
  internal: 500,
};

export { CONTENT_SECURITY_POLICY };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export async function startWebBridge(opts: WebBridgeOptions): Promise<WebBridge> {
  if (process.versions['electron'] && !process.env['SCRIBE_ALLOW_WEB_BRIDGE']) {
    throw new Error('The web bridge is a development and test entry; it is never started inside the desktop app');
  }
  const token = opts.token ?? randomBytes(32).toString('base64url');
  let origin = '';
  let host = '';

  function sameOrigin(req: http.IncomingMessage): boolean {
    if (req.headers.host !== host) return false; // DNS rebinding
    const o = req.headers.origin;
    return o === undefined || o === origin;
  }

  /**
   * The token comes in the Authorization header. Only the event socket may carry it as `?token=` (a
   * browser cannot set headers on a WebSocket); a URL is logged and kept in history far more than a header.
   */
  function authorised(req: http.IncomingMessage, url: URL, queryAllowed = false): boolean {
    const header = req.headers.authorization;
    const given = header?.startsWith('Bearer ') ? header.slice(7) : queryAllowed ? url.searchParams.get('token') : null;
    return typeof given === 'string' && tokensEqual(given, token);
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD_BYTES) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (!opts.staticDir || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const root = path.resolve(opts.staticDir);
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(root, '.' + rel);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      if (!sameOrigin(req))
        return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin requests are refused' } });
      if (!url.pathname.startsWith('/api/')) return serveStatic(req, res, url);
      if (!authorised(req, url))
        return send(res, 401, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong bridge token' } });
      const match = /^\/api\/call\/([A-Za-z0-9.]{1,80})$/.exec(url.pathname);
      if (!match || req.method !== 'POST') return send(res, 404, { ok: false, error: { code: 'not_found', message: 'Unknown endpoint' } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, { ok: false, error: { code: 'unsupported', message: 'Calls are JSON (content-type: application/json)' } });
      }
      const body = await readBody(req);
      if (!body) return send(res, 413, { ok: false, error: { code: 'too_large', message: `Payload over ${MAX_PAYLOAD_BYTES} bytes` } });
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return send(res, 400, { ok: false, error: { code: 'bad_request', message: 'Body is not valid JSON' } });
      }
      try {
        const result = await opts.dispatch(match[1], input);
        send(res, 200, { ok: true, result });
      } catch (error) {
        const wire = toWireError(error);
        send(res, STATUS[wire.code] ?? 500, { ok: false, error: wire });
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: toWireError(error) });
    });
  });
  server.requestTimeout = 120_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/api/events' || !sameOrigin(req) || !authorised(req, url, true)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // An oversized or malformed frame makes ws emit 'error' (then close): without a listener that
      // would be an uncaught exception that ends the core.
      ws.on('error', () => ws.terminate());
      ws.on('message', () => undefined); // events flow one way
    });
  });
  const unsubscribe = opts.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
