import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ScribeError } from '../contract/index.ts';
import { MAX_PAYLOAD_BYTES } from '../core/index.ts';
import { startWebBridge, type WebBridge } from './index.ts';

let bridge: WebBridge;
let staticDir: string;
const listeners = new Set<(event: string, payload: unknown) => void>();
const calls: [unknown, unknown][] = [];

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(os.tmpdir(), 'bridge-static-'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Scribe</title>');
  bridge = await startWebBridge({
    staticDir,
    async dispatch(name, input) {
      calls.push([name, input]);
      if (name === 'echo') return input;
      if (name === 'boom') throw new ScribeError('conflict', 'the visit is signed');
      throw new ScribeError('not_found', 'Unknown call');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
});

afterAll(async () => {
  await bridge.close();
  await rm(staticDir, { recursive: true, force: true });
});

function post(name: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${bridge.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}`, ...headers },
    body,
  });
}

describe('web bridge', () => {
  it('listens on loopback only and puts the token in the fragment', () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.url).toBe(`${bridge.origin}/#token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const res = await fetch(`${bridge.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const traversal = await fetch(`${bridge.origin}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(traversal.status);
  });

  it('routes a call with the token to the dispatcher', async () => {
    const res = await post('echo', JSON.stringify({ a: 1 }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: { a: 1 } });
  });

  it('maps core errors to HTTP statuses with the error code and message', async () => {
    const res = await post('boom', '{}');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'conflict', message: 'the visit is signed' } });
  });

  it('accepts the token as ?token= only on the event socket, never on a call (#15)', async () => {
    const before = calls.length;
    const res = await fetch(`${bridge.origin}/api/call/echo?token=${bridge.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(calls.length).toBe(before);
  });

  it('refuses a missing or wrong token', async () => {
    const before = calls.length;
    expect((await post('echo', '{}', { authorization: 'Bearer nope' })).status).toBe(401);
    expect(
      (await fetch(`${bridge.origin}/api/call/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
        .status,
    ).toBe(401);
    expect(calls.length).toBe(before);
  });

  it('refuses cross-origin requests and a foreign Host header (DNS rebinding)', async () => {
    expect((await post('echo', '{}', { origin: 'http://evil.example' })).status).toBe(403);
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = http.request(
        `${bridge.origin}/api/call/echo`,
        {
          method: 'POST',
          headers: { host: 'evil.example', 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('refuses non-JSON bodies, malformed JSON and oversized payloads, and keeps serving', async () => {
    expect((await post('echo', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const bad = await post('echo', '{"a":');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_request');
    const huge = await post('echo', JSON.stringify({ x: 'a'.repeat(MAX_PAYLOAD_BYTES + 10) }));
    expect(huge.status).toBe(413);
    expect((await post('echo', '{"still":"alive"}')).status).toBe(200);
  });

  it('streams core events over the WebSocket to token holders only', async () => {
    const wsUrl = `ws://${bridge.origin.slice('http://'.length)}/api/events`;
    const refused = new WebSocket(`${wsUrl}?token=wrong`);
    await expect(
      new Promise((resolve, reject) => {
        refused.on('open', resolve);
        refused.on('error', reject);
      }),
    ).rejects.toBeTruthy();

    const ws = new WebSocket(`${wsUrl}?token=${bridge.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const got = new Promise<unknown>((resolve) => ws.on('message', (data) => resolve(JSON.parse(String(data)))));
    for (const l of listeners) l('visit.updated', { id: 'v-1' });
    expect(await got).toEqual({ event: 'visit.updated', payload: { id: 'v-1' } });
    ws.close();
  });
});
