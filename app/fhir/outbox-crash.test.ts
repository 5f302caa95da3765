import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import { createEhrClient } from './ehr-client.ts';
import type { OutboxUpdate } from './outbox.ts';
import { startSandbox, type Sandbox } from './sandbox/server.ts';
import { demoSignedNote } from '../../testing/fhir/demo-note.ts';
import { startFaultProxy, type FaultProxy } from '../../testing/fhir/fault-proxy.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let sandbox: Sandbox;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: true });
  proxy = await startFaultProxy(sandbox.baseUrl);
  dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-outbox-crash-'));
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

function runOutboxProcess(args: string[]): { child: ChildProcess; updates: OutboxUpdate[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '..', '..', 'testing', 'fhir', 'outbox-process.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const updates: OutboxUpdate[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      updates.push(JSON.parse(line) as OutboxUpdate);
    } catch {
      // not a status line
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, updates, exited };
}

describe('outbox process killed while sending', () => {
  it('is restarted and delivers the note exactly once', async () => {
    const store = path.join(dir, 'store');
    const notePath = path.join(dir, 'note.json');
    await writeFile(notePath, JSON.stringify(demoSignedNote('note-crash-1')));

    // 1. The EHR stores the note, but the answer never reaches the app, which is then killed.
    proxy.mode = 'swallow-response';
    proxy.only = (r) => r.method === 'POST';
    const swallowed = proxy.nextSwallowed();
    const first = runOutboxProcess(['--store', store, '--base', proxy.baseUrl, '--mode', 'full', '--enqueue', notePath]);
    await swallowed;
    const onDisk = JSON.parse(await readFile(path.join(store, 'note-crash-1.json'), 'utf8')) as OutboxUpdate;
    expect(onDisk.status).toBe('sending');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.updates.map((u) => u.status)).toEqual(['queued', 'sending']);
    const ehr = createEhrClient({ baseUrl: sandbox.baseUrl });
    const stored = await ehr.search<DocumentReference>('DocumentReference', {
      identifier: 'http://scribe.example.org/fhir/identifier/note|note-crash-1',
    });
    expect(stored).toHaveLength(1);

    // 2. The app starts again: it finds the note it was sending and sends it again.
    proxy.mode = 'pass';
    proxy.only = null;
    const second = runOutboxProcess(['--store', store, '--base', proxy.baseUrl, '--mode', 'full']);
    expect(await second.exited).toBe(0);
    const last = second.updates.at(-1)!;
    expect(last).toMatchObject({
      noteId: 'note-crash-1',
      status: 'posted',
      serverId: stored[0]!.id,
      versionId: stored[0]!.meta!.versionId,
    });
    expect(last.attempts).toBe(2);
    expect(
      await ehr.search('DocumentReference', { identifier: 'http://scribe.example.org/fhir/identifier/note|note-crash-1' }),
    ).toHaveLength(1);
    expect(await ehr.search('Provenance', { _tag: 'http://scribe.example.org/fhir/identifier/provenance|note-crash-1' })).toHaveLength(1);
  });
});
