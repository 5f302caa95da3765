import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support: an HTTP proxy in front of the real sandbox that misbehaves on demand, the way a real
 * EHR or network does: answer 500, answer 200 with garbage JSON, hang, or hold the real answer back
 * (the server did the work, the client never hears of it).
 */
export type FaultMode = 'pass' | 'error-500' | 'garbage-json' | 'hang' | 'swallow-response';

export interface FaultProxy {
  origin: string;
  /** The proxy's FHIR base URL (same path as the upstream's). */
  baseUrl: string;
  mode: FaultMode;
  /** When set, the fault applies only to the requests it accepts; the others pass. */
  only: ((request: { method: string; path: string }) => boolean) | null;
  /** Requests seen per mode (with their bodies: tests check what Scribe posted). */
  seen: { method: string; path: string; mode: FaultMode; body: string }[];
  /** Resolves when the next upstream answer was swallowed (swallow-response mode). */
  nextSwallowed(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(upstreamBaseUrl: string, mode: FaultMode = 'pass'): Promise<FaultProxy> {
  const upstream = new URL(upstreamBaseUrl);
  const hanging = new Set<ServerResponse>();
  let swallowedWaiters: (() => void)[] = [];
  const proxy: FaultProxy = {
    origin: '',
    baseUrl: '',
    mode,
    only: null,
    seen: [],
    nextSwallowed: () => new Promise<void>((resolve) => swallowedWaiters.push(resolve)),
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const up = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const asked = { method: req.method ?? 'GET', path: req.url ?? '/' };
    const current = proxy.only && !proxy.only(asked) ? 'pass' : proxy.mode;
    proxy.seen.push({ ...asked, mode: current, body: body.toString('utf8') });
    try {
      if (current === 'error-500') {
        res.writeHead(500, { 'content-type': 'application/fhir+json' });
        res.end(
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'exception', details: { text: 'Database connection lost' } }],
          }),
        );
      } else if (current === 'garbage-json') {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        res.end('{"resourceType": "Bundle", "type": "transaction-response", "entry": [ <html>oops');
      } else if (current === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
      } else if (current === 'swallow-response') {
        await forward(req, body);
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        const waiters = swallowedWaiters;
        swallowedWaiters = [];
        for (const w of waiters) w();
      } else {
        const answer = await forward(req, body);
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      }
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.baseUrl = proxy.origin + upstream.pathname;
  return proxy;
}
