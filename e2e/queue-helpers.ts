import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { CallInput, CallName, CallOutput } from '../app/contract/index.ts';
import type { Visit } from '../app/contract/index.ts';
import { expect, type Page } from '@playwright/test';
import type { RunningApp } from './harness.ts';

/** A call to the running core through the web bridge, as the signed-in profile (the tests' own back door). */
export async function bridgeCall<K extends CallName>(app: RunningApp, name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const res = await fetch(`${app.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
  if (!body.ok) throw Object.assign(new Error(`${name}: ${body.error?.code}: ${body.error?.message}`), { code: body.error?.code });
  return body.result as CallOutput<K>;
}

/** The error code a call fails with (or 'ok'). */
export async function callFails(app: RunningApp, name: CallName, input: unknown): Promise<string> {
  try {
    await bridgeCall(app, name, input as never);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  }
}

/**
 * flite speech, 16 kHz mono, one WAV: each utterance followed by `gap` seconds of silence (so the VAD
 * closes it as its own utterance), after `lead` seconds of silence (the microphone opens a little late).
 */
export function utterancesWav(utterances: string[], file: string, opts: { gap?: number; lead?: number; voice?: string } = {}): string {
  const parts: string[] = [];
  utterances.forEach((text, i) => {
    const raw = file.replace(/\.wav$/, `.${i}.raw.wav`);
    const part = file.replace(/\.wav$/, `.${i}.wav`);
    execFileSync('flite', ['-voice', opts.voice ?? 'slt', '-t', text, '-o', raw]);
    execFileSync('sox', [
      raw,
      '-r',
      '16000',
      '-c',
      '1',
      '-b',
      '16',
      part,
      'pad',
      i === 0 ? String(opts.lead ?? 1.5) : '0',
      String(opts.gap ?? 1.3),
    ]);
    rmSync(raw, { force: true });
    parts.push(part);
  });
  execFileSync('sox', [...parts, file]);
  for (const p of parts) rmSync(p, { force: true });
  return file;
}

/** 16-bit PCM samples of a 16 kHz mono WAV made by sox (44-byte header). */
export function wavPcm(file: string): Buffer {
  const wav = readFileSync(file);
  const data = wav.indexOf(Buffer.from('data'));
  return wav.subarray(data + 8);
}

/**
 * A visit with a draft, made through the contract the way the recorder does it: start (consent agreed),
 * flite speech in 1 s chunks, stop, wait for the draft.
 */
export async function draftedVisit(app: RunningApp, fixtures: string, spoken: string): Promise<Visit> {
  const encounters = await bridgeCall(app, 'schedule.today', {});
  const encounter = encounters[0];
  if (!encounter) throw new Error('the sandbox has no encounter today');
  const visit = await bridgeCall(app, 'visit.start', { encounterId: encounter.encounterId, consent: 'agreed' });
  const wav = path.join(fixtures, `visit-${visit.id}.wav`);
  execFileSync('flite', ['-voice', 'slt', '-t', spoken, '-o', `${wav}.raw.wav`]);
  execFileSync('sox', [`${wav}.raw.wav`, '-r', '16000', '-c', '1', '-b', '16', wav, 'pad', '0.3', '1']);
  const pcm = wavPcm(wav);
  for (let seq = 0, at = 0; at < pcm.length; seq++, at += 32000) {
    await bridgeCall(app, 'visit.appendAudio', { visitId: visit.id, seq, pcm16: pcm.subarray(at, at + 32000).toString('base64') });
  }
  await bridgeCall(app, 'visit.stop', { visitId: visit.id });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const v = await bridgeCall(app, 'visit.get', { visitId: visit.id });
    if (v.status === 'draft' && v.draft) return v;
    if (v.status === 'failed') throw new Error(`the visit failed: ${v.error}`);
    if (Date.now() > deadline) throw new Error(`no draft after 120 s (status ${v.status})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const VISIT_SPEECH =
  'The patient has had a headache for three days. Her blood pressure is one hundred forty over ninety. We will start lisinopril ten milligrams daily.';

/** Clinician: send the most recent drafted visit to the scribe. */
export async function sendToScribe(page: Page, scribeId = 'sam-scribe'): Promise<void> {
  await page.getByTestId('recent-visits').getByRole('button').first().click();
  await page.getByTestId('scribe-select').selectOption(scribeId);
  await page.getByTestId('assign').click();
  await expect(page.getByTestId('queue-status')).toHaveAttribute('data-status', 'waiting_for_edit');
}

/** Switch to the scribe's profile and open the visit from the queue (which takes the edit lock). */
export async function scribeOpens(page: Page, visitId: string, scribeId = 'sam-scribe'): Promise<void> {
  await page.getByTestId('profile-select').selectOption(scribeId);
  const row = page.locator(`[data-testid="queue-item"][data-visit-id="${visitId}"]`);
  await expect(row).toHaveAttribute('data-status', 'waiting_for_edit');
  await row.getByTestId('queue-open').click();
  await expect(page.getByTestId('queue-note-status')).toHaveText('In edit');
}

/** Scribe: type at the end of a section of the queue note and wait until it is saved. */
export async function scribeAppends(page: Page, sectionId: string, text: string): Promise<void> {
  const box = page.getByTestId(`queue-section-${sectionId}`);
  await expect(box).toBeEditable();
  await box.click();
  await box.press('Control+End');
  await box.pressSequentially(` ${text}`);
  await box.blur();
  await expect(page.getByTestId('queue-save-state')).toHaveText('All changes saved');
}

/** Back to the clinician's profile, then the queue of notes waiting for signature. */
export async function clinicianQueue(page: Page, clinicianId: string): Promise<void> {
  await page.getByTestId('profile-select').selectOption(clinicianId);
  // The switch lands when the core answers (it checks for a PIN first) and sends the app home: wait for
  // it, or the home screen replaces the queue opened in between.
  await expect(page.getByTestId('profile-select')).toHaveValue(clinicianId);
  await page.getByTestId('nav-queue').click();
}
