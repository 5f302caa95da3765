import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../audit/index.ts';
import {
  DEFAULT_SETTINGS,
  RECOGNITION_MODELS,
  SETTINGS_FILE,
  ehrFromSettings,
  openSettings,
  processingInForce,
  recognitionInForce,
} from './index.ts';

const admin = { id: 'morgan-manager', role: 'manager' as const };

describe('workstation settings (app/settings)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-settings-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('starts from the defaults (sphinx, sandbox EHR) without writing anything', () => {
    const store = openSettings({ dir });
    expect(store.current()).toEqual(DEFAULT_SETTINGS);
    expect(store.problem()).toBeNull();
    expect(existsSync(path.join(dir, SETTINGS_FILE))).toBe(false);
    expect(ehrFromSettings(store.current())).toEqual({ mode: 'sandbox' });
  });

  it('persists a change atomically and a fresh open reads it back', async () => {
    const model = RECOGNITION_MODELS[0]!;
    const store = openSettings({ dir });
    await store.set(admin, { recognition: { engine: 'sherpa', model } });
    await store.set(admin, { ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org/fhir/R4', clientId: 'scribe-clinic-7' } });
    const again = openSettings({ dir });
    expect(again.current()).toEqual({
      recognition: { engine: 'sherpa', model },
      ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org/fhir/R4', clientId: 'scribe-clinic-7' },
      drafting: { engine: 'builtin', model: null, server: null },
    });
    expect(ehrFromSettings(again.current())).toEqual({
      mode: 'fhir',
      baseUrl: 'https://ehr.example.org/fhir/R4',
      clientId: 'scribe-clinic-7',
    });
    expect(recognitionInForce({ store: again, engineOverride: null })).toEqual({ engine: 'sherpa', model });
    expect(recognitionInForce({ store: again, engineOverride: 'sphinx' })).toEqual({ engine: 'sphinx' });
    // No temporary files left behind by the atomic write.
    expect(readdirSync(dir).sort()).toEqual([SETTINGS_FILE]);
  });

  it.each([
    [{ recognition: { engine: 'sherpa', model: 'no-such-model' } }, /sherpa engine needs one of the models/],
    [{ recognition: { engine: 'sherpa', model: null } }, /sherpa engine needs one of the models/],
    [{ recognition: { engine: 'sphinx', model: 'sherpa-whisper-tiny-en' } }, /sphinx engine has no model/],
    [{ ehr: { mode: 'fhir', baseUrl: 'http://ehr.example.org/fhir', clientId: 'x' } }, /must use https/],
    [
      { drafting: { engine: 'server', model: null, server: { baseUrl: 'http://10.0.0.9:8000', model: 'qwen3-8b' } } },
      /only go to a practice server over https/,
    ],
    [{ drafting: { engine: 'llm', model: null, server: null } }, /needs a model pack or a \.gguf file/],
    [
      { recognition: { engine: 'server', model: null, server: { baseUrl: 'http://10.0.0.9:8000', model: 'whisper-small' } } },
      /recognition\.server\.baseUrl: .*only go to a practice server over https/,
    ],
    [{ recognition: { engine: 'server', model: null } }, /server engine needs the transcription server's address and model name/],
    [
      {
        recognition: {
          engine: 'server',
          model: 'sherpa-whisper-tiny-en',
          server: { baseUrl: 'https://asr.clinic.local', model: 'whisper-small' },
        },
      },
      /server engine has no model choice/,
    ],
    [{ ehr: { mode: 'fhir', baseUrl: 'https://user:pw@ehr.example.org/fhir', clientId: 'x' } }, /user name or password/],
    [{ ehr: { mode: 'fhir', baseUrl: 'not a url', clientId: 'x' } }, /full address/],
    [{ ehr: { mode: 'fhir', baseUrl: null, clientId: null } }, /needs its base URL and the client id/],
    [{ ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org/fhir', clientId: '<script>' } }, /client id/],
  ])('refuses %j with a clear error and keeps what was saved', async (patch, message) => {
    const store = openSettings({ dir });
    await store.set(admin, { ehr: { mode: 'fhir', baseUrl: 'http://127.0.0.1:8080/fhir', clientId: 'kept' } });
    const before = await readFile(path.join(dir, SETTINGS_FILE), 'utf8');
    await expect(store.set(admin, patch as never)).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(message) });
    expect(await readFile(path.join(dir, SETTINGS_FILE), 'utf8')).toBe(before);
    expect(store.current().ehr.clientId).toBe('kept');
  });

  it.each([
    ['not JSON', '{"recognition": '],
    ['wrong shape', JSON.stringify({ recognition: { engine: 'whisper-cpp', model: null }, ehr: DEFAULT_SETTINGS.ehr })],
    ['unknown keys', JSON.stringify({ ...DEFAULT_SETTINGS, patientName: 'Jane' })],
    ['empty file', ''],
  ])(
    'a bad settings file (%s) gives the defaults and a clear problem, never a crash; saving keeps the bad file aside',
    async (_label, content) => {
      await writeFile(path.join(dir, SETTINGS_FILE), content);
      const store = openSettings({ dir });
      expect(store.current()).toEqual(DEFAULT_SETTINGS);
      expect(store.problem()).toMatch(/settings file workstation-settings\.json is not (readable JSON|valid).*defaults are in use/);
      await store.set(admin, { recognition: { engine: 'sphinx', model: null } });
      expect(store.problem()).toBeNull();
      const aside = readdirSync(dir).filter((f) => f.startsWith(`${SETTINGS_FILE}.bad-`));
      expect(aside).toHaveLength(1);
      expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toBe(content);
      expect(openSettings({ dir }).problem()).toBeNull();
    },
  );

  it('stores the server recognition engine with its server; plain http only to loopback or an address IT allowed', async () => {
    const store = openSettings({ dir });
    const server = { baseUrl: 'http://10.0.0.9:8000', model: 'Systran/faster-whisper-small.en', allowedPlainHosts: ['10.0.0.9'] };
    await store.set(admin, { recognition: { engine: 'server', model: null, server } });
    const again = openSettings({ dir });
    expect(again.current().recognition).toEqual({ engine: 'server', model: null, server });
    expect(recognitionInForce({ store: again, engineOverride: null })).toEqual({ engine: 'server', server });
    // --engine sphinx for this run: no server; --engine server keeps the saved server.
    expect(recognitionInForce({ store: again, engineOverride: 'sphinx' })).toEqual({ engine: 'sphinx' });
    await again.set(admin, { recognition: { engine: 'sphinx', model: null, server } });
    expect(recognitionInForce({ store: again, engineOverride: 'server' })).toEqual({ engine: 'server', server });
    expect(recognitionInForce({ store: again, engineOverride: null })).toEqual({ engine: 'sphinx' });
  });

  it('reports where recognition and drafting run, worked out once from the settings in force (decision 0205)', async () => {
    const store = openSettings({ dir });
    const here = { on: 'computer', host: null };
    expect(processingInForce({ store, engineOverride: null })).toEqual({ recognition: here, drafting: here });
    const asr = { baseUrl: 'https://asr.clinic.example:8443/v1', model: 'Systran/faster-whisper-small.en' };
    const llm = { baseUrl: 'https://llm.clinic.example', model: 'qwen3-8b' };
    // Drafting on the practice server only: recognition stays here.
    await store.set(admin, {
      recognition: { engine: 'sphinx', model: null, server: asr },
      drafting: { engine: 'server', model: null, server: llm },
    });
    expect(processingInForce({ store, engineOverride: null })).toEqual({
      recognition: here,
      drafting: { on: 'server', host: 'llm.clinic.example' },
    });
    // The command-line override counts: --engine server sends audio to the saved transcription server.
    expect(processingInForce({ store, engineOverride: 'server' })).toEqual({
      recognition: { on: 'server', host: 'asr.clinic.example:8443' },
      drafting: { on: 'server', host: 'llm.clinic.example' },
    });
    // A local language model is this computer too.
    await store.set(admin, { drafting: { engine: 'llm', model: 'llm-qwen3-8b-q4km', server: null } });
    expect(processingInForce({ store, engineOverride: null }).drafting).toEqual(here);
    // Set to a server without an address: still reported as the server (never understated), host unknown.
    expect(processingInForce({ store, engineOverride: 'server' }).recognition).toEqual({ on: 'server', host: 'asr.clinic.example:8443' });
    await store.set(admin, { recognition: { engine: 'sphinx', model: null, server: null } });
    expect(processingInForce({ store, engineOverride: 'server' }).recognition).toEqual({ on: 'server', host: null });
  });

  it('audits each changed value as settings.changed (codes only), and nothing when nothing changed', async () => {
    const audit = openAuditLog({ dir: path.join(dir, 'audit') });
    const store = openSettings({ dir, audit });
    const model = RECOGNITION_MODELS[0]!;
    await store.set(admin, { recognition: { engine: 'sherpa', model } });
    await store.set(admin, { recognition: { engine: 'sherpa', model } });
    await store.set(admin, { ehr: { mode: 'fhir', baseUrl: 'https://ehr.example.org/fhir/R4', clientId: 'scribe-7' } });
    const records = await audit.records();
    const changes = records.map((r) => ({ action: r.action, actor: r.actor, details: r.details }));
    expect(changes).toEqual([
      { action: 'settings.changed', actor: admin, details: { key: 'recognition.engine', from: 'sphinx', to: 'sherpa' } },
      { action: 'settings.changed', actor: admin, details: { key: 'recognition.model', from: null, to: model } },
      { action: 'settings.changed', actor: admin, details: { key: 'ehr.mode', from: 'sandbox', to: 'fhir' } },
      { action: 'settings.changed', actor: admin, details: { key: 'ehr.baseUrl', from: null, to: 'https:-ehr.example.org-fhir-R4' } },
      { action: 'settings.changed', actor: admin, details: { key: 'ehr.clientId', from: null, to: 'scribe-7' } },
    ]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('two saves at once both land, in order', async () => {
    const store = openSettings({ dir });
    await Promise.all([
      store.set(admin, { ehr: { mode: 'fhir', baseUrl: 'https://a.example.org/fhir', clientId: 'a' } }),
      store.set(admin, { recognition: { engine: 'sherpa', model: RECOGNITION_MODELS[0]! } }),
    ]);
    const again = openSettings({ dir }).current();
    expect(again.ehr.clientId).toBe('a');
    expect(again.recognition.engine).toBe('sherpa');
  });
});
