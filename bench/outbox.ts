// npm run bench:outbox — 200 signed notes through the outbox to the sandbox EHR (loopback, auth off),
// each a full transaction (Device, US Core DocumentReference, Condition, Provenance), validated locally
// and by the server. Latency is Sign (enqueue) → posted (server id + version known).
//   1. one at a time, as clinicians sign them: latency p50/p95 (target p95 < 500 ms);
//   2. a burst of 200 signed at once (e.g. the EHR was down all morning): notes per second.
// WRITE_MODE=direct|minimal: the sandbox plays an EHR without transactions (separate POSTs, each found
// by a search first: decision 0151).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createEhrClient,
  createFileOutboxStore,
  createOutbox,
  defaultWriteContext,
  SANDBOX_PRACTITIONER_REF,
  startSandbox,
  WRITE_MODES,
  writePlanFromCapabilities,
  type OutboxUpdate,
  type SignedNoteInput,
  type WriteMode,
} from '../app/fhir/index.ts';

const NOTES = Number(process.env['NOTES'] ?? 200);
const WRITE_MODE = (process.env['WRITE_MODE'] ?? 'full') as WriteMode;
if (!WRITE_MODES.includes(WRITE_MODE)) throw new Error(`WRITE_MODE must be one of ${WRITE_MODES.join(', ')}`);

function note(i: number, run: string): SignedNoteInput {
  const signedAt = new Date().toISOString();
  const patients = ['maria-gonzalez', 'james-carter', 'aisha-khan', 'robert-chen', 'linda-okafor'];
  return {
    noteId: `bench-${run}-${i}`,
    patientId: patients[i % 5]!,
    encounterId: `enc-today-${(i % 5) + 1}`,
    practitionerRef: SANDBOX_PRACTITIONER_REF,
    visitType: 'follow-up',
    text: `Subjective: follow-up visit ${i}. Blood pressure readings at home 130s over 80s.\nAssessment: hypertension, controlled.\nPlan: continue lisinopril 10 mg daily; recheck in 3 months.`,
    sections: [
      { id: 'subjective', title: 'Subjective', text: `Follow-up visit ${i}. Blood pressure readings at home 130s over 80s.` },
      { id: 'assessment', title: 'Assessment', text: 'Hypertension, controlled.' },
      { id: 'plan', title: 'Plan', text: 'Continue lisinopril 10 mg daily; recheck in 3 months.' },
    ],
    signedAt,
    period: { start: new Date(Date.now() - 15 * 60_000).toISOString(), end: signedAt },
    drafter: { engine: 'builtin', version: '0.1.0' },
    diagnoses: [{ code: 'I10', display: 'Essential (primary) hypertension' }],
  };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

const sandbox = await startSandbox({ seed: true, writeMode: WRITE_MODE });
const plan = writePlanFromCapabilities(await createEhrClient({ baseUrl: sandbox.baseUrl }).capabilities());
const dir = await mkdtemp(path.join(os.tmpdir(), 'scribe-bench-outbox-'));
try {
  const signedAt = new Map<string, number>();
  const latencies: number[] = [];
  const outbox = createOutbox({
    store: createFileOutboxStore(dir),
    ehr: createEhrClient({ baseUrl: sandbox.baseUrl }),
    writeContext: () => defaultWriteContext({ plan }),
    onUpdate: (u: OutboxUpdate) => {
      if (u.status === 'posted') latencies.push(performance.now() - signedAt.get(u.noteId)!);
      if (u.status === 'failed') throw new Error(`${u.noteId} failed: ${u.error}`);
    },
  });
  await outbox.start();
  // Warm-up (definitions indexed, JIT): not counted.
  signedAt.set('bench-warm-0', performance.now());
  await outbox.enqueue(note(0, 'warm'));
  await outbox.whenSettled('bench-warm-0');
  latencies.length = 0;

  const t0 = performance.now();
  for (let i = 0; i < NOTES; i++) {
    const n = note(i, 'seq');
    signedAt.set(n.noteId, performance.now());
    await outbox.enqueue(n);
    await outbox.whenSettled(n.noteId);
  }
  const seqSeconds = (performance.now() - t0) / 1000;
  const sequential = [...latencies];
  latencies.length = 0;

  const t1 = performance.now();
  const burst = Array.from({ length: NOTES }, (_, i) => note(i, 'burst'));
  for (const n of burst) {
    signedAt.set(n.noteId, performance.now());
    await outbox.enqueue(n);
  }
  await Promise.all(burst.map((n) => outbox.whenSettled(n.noteId)));
  const burstSeconds = (performance.now() - t1) / 1000;
  await outbox.close();

  const ehr = createEhrClient({ baseUrl: sandbox.baseUrl });
  const stored = await ehr.search('DocumentReference', { _count: '1000' });
  console.log(
    `outbox → sandbox EHR (${plan.mode} write plan), ${NOTES} signed notes, ${plan.mode === 'full' ? 'a transaction of 4 resources' : plan.mode === 'direct' ? '4 searches + 4 POSTs' : '1 search + 1 POST'} each (loopback, file store with fsync)`,
  );
  console.log(
    `one at a time: ${(NOTES / seqSeconds).toFixed(1)} notes/s; Sign→posted p50 ${percentile(sequential, 50).toFixed(0)} ms, p95 ${percentile(sequential, 95).toFixed(0)} ms, max ${Math.max(...sequential).toFixed(0)} ms (target p95 < 500 ms: ${percentile(sequential, 95) < 500 ? 'met' : 'NOT met'})`,
  );
  console.log(
    `burst of ${NOTES}:  ${(NOTES / burstSeconds).toFixed(1)} notes/s; Sign→posted p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms (queueing included)`,
  );
  console.log(`DocumentReferences stored: ${stored.length} (expected ${2 * NOTES + 1})`);
} finally {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}
