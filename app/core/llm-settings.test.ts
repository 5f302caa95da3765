import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DRAFTING_SERVER_KEY_ACCOUNT, LocalModel } from '../draft/index.ts';
import { startChatServer, type ChatServer } from '../../testing/llm/chat-server.ts';
import { writeTinyModel } from '../../testing/llm/tiny-model.ts';
import type { CallInput, CallName, CallOutput } from '../contract/index.ts';
import { createMemorySecretStore, type SecretStore } from '../secrets/index.ts';
import { createCore, SANDBOX_PROFILES, type Core } from './index.ts';

// The drafting part of Settings through the real core (dispatcher, role gate, audit): the packs with the
// hardware check, the API key kept in the keychain and never returned, and Check running a real tiny
// generation on node-llama-cpp (locally, and through a real loopback practice server).

const KEY = 'sk-practice-0123456789';
let core: Core;
let dataDir: string;
let modelPath: string;
let model: LocalModel;
let chat: ChatServer;
let secrets: SecretStore;
const call = <N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> =>
  core.dispatch(name, input) as Promise<CallOutput<N>>;
const as = (role: 'clinician' | 'scribe' | 'manager') =>
  core.dispatch('session.useProfile', { profileId: SANDBOX_PROFILES.find((p) => p.role === role)!.id });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'scribe-core-llm-settings-'));
  modelPath = path.join(dataDir, 'tiny.gguf');
  writeTinyModel(modelPath, { seed: 2 });
  model = new LocalModel({ modelPath, threads: 1, cpuOnly: true });
  chat = await startChatServer(model);
  secrets = createMemorySecretStore();
  core = await createCore({ dataDir, secrets });
}, 120_000);

afterAll(async () => {
  await core?.close();
  await chat?.close();
  await model?.close();
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('drafting settings through the core', () => {
  it('everyone sees the packs and the recommendation; only clinician and manager change the key or run Check', async () => {
    await as('scribe');
    const info = await call('settings.drafting', {});
    expect(info.packs.map((p) => p.name)).toEqual(expect.arrayContaining(['llm-qwen3-4b-instruct-2507-q4km', 'llm-qwen3-8b-q4km']));
    expect(info.hardware.cores).toBeGreaterThan(0);
    for (const p of info.packs) expect(p.fits ? p.warning === '' : p.warning.includes('needs about')).toBe(true);
    expect(info.apiKeySet).toBe(false);
    await expect(call('settings.setDraftingKey', { apiKey: KEY })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      call('settings.checkDrafting', { drafting: { engine: 'server', model: null, server: { baseUrl: chat.url, model: 'm' } } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await secrets.get(DRAFTING_SERVER_KEY_ACCOUNT)).toBeNull();
    expect(chat.requests).toHaveLength(0);
  });

  it('the API key goes to the keychain, is audited as "set" without its value, and is sent to the server by Check', async () => {
    await as('manager');
    expect(await call('settings.setDraftingKey', { apiKey: KEY })).toEqual({ apiKeySet: true });
    expect(await secrets.get(DRAFTING_SERVER_KEY_ACCOUNT)).toBe(KEY);
    expect((await call('settings.drafting', {})).apiKeySet).toBe(true);
    const records = await core.forTests.audit.records();
    expect(JSON.stringify(records)).not.toContain(KEY);
    expect(records.filter((r) => r.action === 'settings.changed').map((r) => r.details)).toContainEqual({
      key: 'drafting.serverApiKey',
      from: null,
      to: 'set',
    });

    const check = await call('settings.checkDrafting', {
      drafting: { engine: 'server', model: null, server: { baseUrl: chat.url, model: 'tiny-served' } },
    });
    expect(check, check.summary).toMatchObject({
      ok: true,
      engine: 'server',
      model: expect.stringMatching(/^tiny-served \(served by 127\.0\.0\.1:\d+\)$/),
    });
    expect(check.seconds).toBeGreaterThan(0);
    expect(check.summary).toMatch(/answered on the practice server in \d+\.\d s/);
    expect(chat.authorizations.at(-1)).toBe(`Bearer ${KEY}`);

    expect(await call('settings.setDraftingKey', { apiKey: null })).toEqual({ apiKeySet: false });
    expect(await secrets.get(DRAFTING_SERVER_KEY_ACCOUNT)).toBeNull();
  });

  it('Check answers a refused address beside the field, and a server down or failing in words', async () => {
    await as('clinician');
    await expect(
      call('settings.checkDrafting', {
        drafting: { engine: 'server', model: null, server: { baseUrl: 'http://10.0.0.9:8000', model: 'm' } },
      }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      details: { fields: { 'drafting.server.baseUrl': expect.stringContaining('over https') } },
    });
    await expect(
      call('settings.set', { drafting: { engine: 'server', model: null, server: { baseUrl: 'http://10.0.0.9:8000', model: 'm' } } }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      details: { fields: { 'drafting.server.baseUrl': expect.stringContaining('over https') } },
    });

    const down = await call('settings.checkDrafting', {
      drafting: { engine: 'server', model: null, server: { baseUrl: 'http://127.0.0.1:9', model: 'm' } },
    });
    expect(down).toMatchObject({ ok: false, seconds: null });
    expect(down.summary).toMatch(
      /^m \(served by 127\.0\.0\.1:9\) did not answer: the practice server at http:\/\/127\.0\.0\.1:9 cannot be reached/,
    );
    chat.behaviour = { kind: 'status', status: 500 };
    const failing = await call('settings.checkDrafting', {
      drafting: { engine: 'server', model: null, server: { baseUrl: chat.url, model: 'm' } },
    });
    chat.behaviour = { kind: 'model' };
    expect(failing.summary).toContain('answered 500');
    const noPack = await call('settings.checkDrafting', { drafting: { engine: 'llm', model: 'llm-qwen3-8b-q4km', server: null } });
    expect(noPack).toMatchObject({ ok: false });
    expect(noPack.summary).toMatch(/not installed|not on this workstation/);
  });

  it('Check runs the local engine on a .gguf file with node-llama-cpp', async () => {
    // One thread: on this shared 2-core machine node-llama-cpp's default thread count contends ten-fold.
    vi.stubEnv('SCRIBE_LLM_THREADS', '1');
    await as('clinician');
    const check = await call('settings.checkDrafting', { drafting: { engine: 'llm', model: modelPath, server: null } });
    expect(check, check.summary).toMatchObject({ ok: true, engine: 'llm' });
    expect(check.summary).toMatch(/answered on this workstation in \d+\.\d s \(\d+ tokens\)/);
    vi.unstubAllEnvs();
  }, 120_000);
});
