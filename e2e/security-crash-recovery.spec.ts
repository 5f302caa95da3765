import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeDir, startApp, type RunningApp } from './harness.ts';

// A real `kill -9` of the core mid-recording: every chunk the core acknowledged survives, at most the
// one second in flight is lost, and the restarted app offers the visit for recovery with that audio.

const CHUNK_BYTES = 32_000; // one second of 16 kHz mono PCM16

async function call<T>(app: RunningApp, name: string, input: unknown): Promise<T> {
  const res = await fetch(`${app.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.code} ${body.error?.message}`);
  return body.result as T;
}

/** A distinct, reproducible second of audio (a tone whose pitch encodes its index, plus noise). */
function second(index: number): Buffer {
  const pcm = Buffer.alloc(CHUNK_BYTES);
  let seed = index * 7919 + 1;
  for (let i = 0; i < CHUNK_BYTES / 2; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const tone = Math.sin((2 * Math.PI * (200 + 40 * index) * i) / 16000) * 6000;
    pcm.writeInt16LE(Math.round(tone + ((seed % 2000) - 1000)), i * 2);
  }
  return pcm;
}

function pcmOfWav(wavBase64: string): Buffer {
  const wav = Buffer.from(wavBase64, 'base64');
  const data = wav.indexOf(Buffer.from('data'));
  return wav.subarray(data + 8, data + 8 + wav.readUInt32LE(data + 4));
}

let dataDir: string;
let app: RunningApp | undefined;

test.afterAll(async () => {
  await app?.stop();
  if (dataDir) removeDir(dataDir);
});

test('kill -9 mid-recording loses at most the last second; the visit is recovered on restart', async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'scribe-e2e-crash-'));
  app = await startApp({ dataDir });
  const [encounter] = await call<{ encounterId: string }[]>(app, 'schedule.today', {});
  const visit = await call<{ id: string }>(app, 'visit.start', { encounterId: encounter!.encounterId, consent: 'agreed' });

  // Record like the renderer does: one chunk a second (paced faster here), each acknowledged after it is on disk.
  const acknowledged: Buffer[] = [];
  for (let seq = 0; seq < 8; seq += 1) {
    await call(app, 'visit.appendAudio', { visitId: visit.id, seq, pcm16: second(seq).toString('base64') });
    acknowledged.push(second(seq));
    await new Promise((r) => setTimeout(r, 150));
  }
  // The next second is in flight when the core dies.
  const inFlight = call(app, 'visit.appendAudio', { visitId: visit.id, seq: 8, pcm16: second(8).toString('base64') }).catch(() => 'lost');
  const killed = app.process;
  await app.stop('SIGKILL');
  expect(killed.signalCode).toBe('SIGKILL');
  await inFlight;

  // Restart on the same data folder: the visit is offered for recovery.
  app = await startApp({ dataDir });
  const recoverable = await call<{ id: string; status: string }[]>(app, 'visit.recoverable', {});
  expect(recoverable.map((v) => v.id)).toContain(visit.id);
  const recovered = await call<{ id: string; status: string; audioSeconds: number }>(app, 'visit.recover', { visitId: visit.id });
  expect(recovered.audioSeconds).toBeGreaterThanOrEqual(acknowledged.length);
  expect(recovered.audioSeconds).toBeLessThanOrEqual(acknowledged.length + 1);

  // The recovered audio is exactly what was recorded, in order: all of it but (at most) the second in flight.
  const clip = await call<{ wavBase64: string }>(app, 'visit.audioClip', { visitId: visit.id, start: 0, end: recovered.audioSeconds });
  const pcm = pcmOfWav(clip.wavBase64);
  const expected = Buffer.concat(acknowledged);
  expect(pcm.length).toBeGreaterThanOrEqual(expected.length);
  const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  expect(digest(pcm.subarray(0, expected.length))).toBe(digest(expected));
  if (pcm.length > expected.length) expect(digest(pcm.subarray(expected.length))).toBe(digest(second(8)));

  // Recovery goes on to a transcript and a draft like any stopped visit.
  await expect
    .poll(async () => (await call<{ status: string }>(app!, 'visit.get', { visitId: visit.id })).status, { timeout: 120_000 })
    .toMatch(/draft|failed/);
  const final = await call<{ status: string; error?: string }>(app, 'visit.get', { visitId: visit.id });
  expect(final.error ?? '').toBe('');
  expect(final.status).toBe('draft');
});
