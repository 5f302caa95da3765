/**
 * Test support: the outbox in a process of its own, so a test can kill it mid-send and start it again.
 * Usage: node --import tsx outbox-process.ts --store DIR --base FHIR_URL [--enqueue NOTE.json] [--mode full|direct|minimal]
 * Prints one JSON line per status change and exits 0 once every note in the store has settled.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createEhrClient } from '../../app/fhir/ehr-client.ts';
import { createOutbox } from '../../app/fhir/outbox.ts';
import { createFileOutboxStore } from '../../app/fhir/outbox-store.ts';
import { defaultWriteContext, type SignedNoteInput } from '../../app/fhir/signed-note.ts';
import { planForMode, writePlanFromCapabilities, type WriteMode } from '../../app/fhir/write-plan.ts';

const { values } = parseArgs({
  options: { store: { type: 'string' }, base: { type: 'string' }, enqueue: { type: 'string' }, mode: { type: 'string' } },
});
const ehr = createEhrClient({ baseUrl: values.base!, timeoutMs: 30_000 });
// The write plan as the app chooses it: from the EHR's CapabilityStatement (or forced by --mode).
const plan = values.mode ? planForMode(values.mode as WriteMode) : writePlanFromCapabilities(await ehr.capabilities());
const outbox = createOutbox({
  store: createFileOutboxStore(values.store!),
  ehr,
  writeContext: () => defaultWriteContext({ plan }),
  backoff: { firstMs: 50, maxMs: 200 },
  onUpdate: (u) => console.log(JSON.stringify(u)),
});
if (values.enqueue) await outbox.enqueue(JSON.parse(await readFile(values.enqueue, 'utf8')) as SignedNoteInput);
await outbox.start();
for (const entry of await outbox.list()) await outbox.whenSettled(entry.noteId);
await outbox.close();
