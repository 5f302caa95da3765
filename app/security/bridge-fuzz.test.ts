import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { callNames, contract } from '../contract/index.ts';
import { MAX_PAYLOAD_BYTES } from '../core/index.ts';
import { createCore, type Core } from '../core/index.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { startWebBridge, type WebBridge } from '../web-bridge/index.ts';
import { sampleValue } from '../../testing/security/sample-input.ts';

/**
 * Malformed, hostile and oversized payloads through the web bridge (HTTP + WebSocket) and straight into
 * the dispatcher (what Electron's IPC hands it): each is refused with a 4xx-class error, never an internal
 * error, never a hang, and the core keeps answering afterwards.
 */
const CLIENT_ERRORS = new Set(['bad_request', 'forbidden', 'not_found', 'conflict', 'too_large', 'unsupported', 'unavailable']);

/** A deterministic pseudo-random generator so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hostileValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 16);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return -1;
    case 2:
      return 1e308 * 10 > 0 ? Number.MAX_SAFE_INTEGER + 2 : 0;
    case 3:
      return 'x'.repeat(Math.floor(rand() * 300_000));
    case 4:
      return '<img src=x onerror=alert(1)>';
    case 5:
      return '../../../../etc/passwd';
    case 6:
      return '\u0000\uD800\uFFFF';
    case 7:
      return true;
    case 8:
      return [];
    case 9:
      return depth > 3 ? {} : Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`k${i}`, hostileValue(rand, depth + 1)]));
    case 10:
      return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    case 11:
      return 3.5;
    case 12:
      return { visitId: '../../keyring.enc' };
    case 13:
      return 'A'.repeat(1024) + '===';
    case 14:
      return -0;
    default:
      return depth > 3 ? 1 : [hostileValue(rand, depth + 1), hostileValue(rand, depth + 1)];
  }
}

/** A valid input for the call with one field replaced by something hostile (or the whole input). */
function mutatedInput(name: (typeof callNames)[number], rand: () => number, known: Record<string, unknown>): unknown {
  const base = sampleValue(contract[name].input, known) as Record<string, unknown>;
  if (rand() < 0.2) return hostileValue(rand);
  const keys = Object.keys(base);
  const key = keys.length && rand() < 0.8 ? keys[Math.floor(rand() * keys.length)]! : `extra${Math.floor(rand() * 10)}`;
  return { ...base, [key]: hostileValue(rand) };
}

describe('IPC / web bridge fuzz', () => {
  let dir: string;
  let core: Core;
  let bridge: WebBridge;
  const known: Record<string, unknown> = {};

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-fuzz-'));
    core = await createCore({ dataDir: dir, secrets: createMemorySecretStore() });
    bridge = await startWebBridge({ dispatch: core.dispatch, subscribe: (l) => core.subscribe(l) });
    const schedule = (await core.dispatch('schedule.today', {})) as { encounterId: string }[];
    known.encounterId = schedule[0]!.encounterId;
  });
  afterAll(async () => {
    await bridge?.close();
    await core?.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  async function post(
    pathname: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: { ok: boolean; error?: { code: string; message: string } } | null }> {
    const res = await fetch(`${bridge.origin}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}`, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    const text = await res.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json };
  }

  async function coreStillAnswers(): Promise<void> {
    const res = await post('/api/call/session.get', '{}');
    expect(res.status).toBe(200);
    expect(res.json?.ok).toBe(true);
  }

  it('refuses malformed HTTP requests with clear 4xx answers', async () => {
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ['/api/call/session.get', '{not json', {}, 400],
      ['/api/call/session.get', '{}', { 'content-type': 'text/plain' }, 415],
      ['/api/call/session.get', '{}', { authorization: 'Bearer wrong' }, 401],
      ['/api/call/no.such.call', '{}', {}, 404],
      ['/api/call/__proto__', '{}', {}, 404],
      ['/api/call/constructor', '{}', {}, 404],
      ['/api/call/visit.get/../../x', '{}', {}, 404],
      ['/api/call/visit.start', '[]', {}, 400],
      ['/api/call/visit.start', '"string"', {}, 400],
      ['/api/call/visit.start', 'null', {}, 400],
      ['/api/call/visit.start', '{"encounterId":"e","consent":"agreed","extra":1}', {}, 400],
      ['/api/call/visit.get', '{"visitId":"../../keyring.enc"}', {}, 400],
      ['/api/call/visit.get', JSON.stringify({ visitId: 'x'.repeat(10_000) }), {}, 400],
      ['/api/call/visit.appendAudio', JSON.stringify({ visitId: 'v', seq: -1, pcm16: 'AAAA' }), {}, 400],
      ['/api/call/visit.appendAudio', JSON.stringify({ visitId: 'v', seq: 0, pcm16: '%%%' }), {}, 400],
      ['/api/call/session.get', '['.repeat(200_000) + ']'.repeat(200_000), {}, 400],
      ['/api/call/session.get', Buffer.from([0xff, 0xfe, 0x00, 0x7b]), {}, 400],
    ];
    for (const [pathname, body, headers, status] of cases) {
      const res = await post(pathname, body, headers);
      expect(res.status, `${pathname} ${String(body).slice(0, 40)}`).toBe(status);
      expect(res.json?.ok).toBe(false);
      expect(typeof res.json?.error?.message).toBe('string');
    }
    await coreStillAnswers();
  });

  it('refuses an oversized payload before parsing it, and keeps serving', async () => {
    const huge = JSON.stringify({ visitId: 'v', seq: 0, pcm16: 'A'.repeat(MAX_PAYLOAD_BYTES + 10) });
    const res = await post('/api/call/visit.appendAudio', huge);
    expect(res.status).toBe(413);
    expect(res.json?.error?.code).toBe('too_large');
    // the largest legal chunk still goes through validation (and is then refused for an unknown visit)
    const legal = await post(
      '/api/call/visit.appendAudio',
      JSON.stringify({ visitId: 'v-none', seq: 0, pcm16: Buffer.alloc(320_000).toString('base64') }),
    );
    expect([404, 409]).toContain(legal.status);
    await coreStillAnswers();
  });

  it('closes a WebSocket that sends oversized frames, without disturbing the core', async () => {
    const ws = new WebSocket(`${bridge.origin.replace('http', 'ws')}/api/events?token=${bridge.token}`, { origin: bridge.origin });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(randomBytes(64 * 1024));
    expect(await closed).toBe(1009);
    const foreign = new WebSocket(`${bridge.origin.replace('http', 'ws')}/api/events?token=${bridge.token}`, {
      origin: 'http://evil.example',
    });
    await expect(
      new Promise((resolve, reject) => {
        foreign.once('open', resolve);
        foreign.once('error', reject);
      }),
    ).rejects.toThrow(/403/);
    await coreStillAnswers();
  });

  it('answers thousands of mutated payloads on every call with client errors only (dispatcher, as over IPC)', async () => {
    const rand = prng(7);
    const unexpected: string[] = [];
    let refused = 0;
    for (let round = 0; round < 40; round += 1) {
      for (const name of callNames) {
        if (name === 'session.useProfile' || name === 'session.lock') continue;
        const input = mutatedInput(name, rand, known);
        try {
          await Promise.race([
            core.dispatch(name, input),
            new Promise((_, reject) =>
              setTimeout(() => reject(Object.assign(new Error(`${name} hung`), { code: 'hang' })), 20_000).unref(),
            ),
          ]);
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'thrown';
          if (CLIENT_ERRORS.has(code)) refused += 1;
          else unexpected.push(`${name} round ${round}: ${code} ${(error as Error).message?.slice(0, 160)}`);
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(refused).toBeGreaterThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    await core.idle();
    await coreStillAnswers();
  });

  it('odd values a structured clone can carry over IPC are refused too', async () => {
    const odd: unknown[] = [
      new Map([['visitId', 'v']]),
      new Date(),
      new Uint8Array(4),
      undefined,
      Symbol.for('x').description,
      NaN,
      Infinity,
      [1, 2, 3],
      Object.create(null),
    ];
    for (const value of odd) {
      for (const name of ['visit.get', 'visit.appendAudio', 'draft.updateSection', 'visit.start'] as const) {
        const outcome = await core.dispatch(name, value).then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? 'thrown',
        );
        expect(CLIENT_ERRORS.has(outcome), `${name} with ${Object.prototype.toString.call(value)} → ${outcome}`).toBe(true);
      }
    }
    await coreStillAnswers();
  });
});
