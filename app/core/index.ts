import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { User } from '../api/schemas.ts';
import { createDispatcher, type Dispatch } from '../api/dispatch.ts';
import { createHandlers, type CoreServices } from '../api/handlers.ts';
import { createDrafter } from '../draft/index.ts';
import { createVisitService, type SchedulePort, type TranscriberPort, type OutboxPort, type VisitStorage } from '../encounter/index.ts';
import {
  SANDBOX_PRACTITIONER_ID, SANDBOX_PRACTITIONER_NAME, SANDBOX_PRACTITIONER_REF, createEhrClient, startSandbox,
  type EhrClient, type Sandbox,
} from '../fhir/index.ts';
import { openKeychain, type SecretStore } from '../secrets/index.ts';
import { createSessionService } from '../session/index.ts';
import { createStreamingTranscriber } from '../transcribe/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { createNoteOutbox } from './outbox.ts';

export interface CoreOptions {
  /** Where the vault and settings live (Electron: app.getPath('userData')). */
  dataDir: string;
  /** The OS keychain by default; tests of the core may pass their own keychain service name. */
  secrets?: SecretStore;
  keychainService?: string;
  /** Which EHR: the embedded sandbox (default) or a real one reached with SMART on FHIR. */
  ehr?: { mode: 'sandbox'; port?: number; requireAuth?: boolean } | { mode: 'fhir'; baseUrl: string; label?: string };
  /** Recognition engine (default sphinx: works without downloads). */
  engine?: 'sphinx' | 'sherpa';
}

export interface Core {
  dispatch: Dispatch;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  services: CoreServices;
  /** FHIR base URL of the EHR in use (the sandbox's when embedded). */
  fhirBaseUrl: string;
  vault: Vault;
  close(): Promise<void>;
}

/** Demo people of the sandbox, one per role. The clinician is the seeded Practitioner. */
export const SANDBOX_PROFILES: User[] = [
  { id: SANDBOX_PRACTITIONER_ID, name: SANDBOX_PRACTITIONER_NAME, role: 'clinician', fhirUser: SANDBOX_PRACTITIONER_REF },
  { id: 'sam-scribe', name: 'Sam Ortiz (scribe)', role: 'scribe' },
  { id: 'morgan-manager', name: 'Morgan Lee (practice manager)', role: 'manager' },
];

/**
 * The composition root: opens the vault (refusing without a keychain), starts or connects to the EHR,
 * and wires the visit service, recognizer, drafter and outbox into the contract's handlers.
 */
export async function createCore(opts: CoreOptions): Promise<Core> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const secrets = opts.secrets ?? (await openKeychain(opts.keychainService));
  const vault = await openVault({ dir: path.join(opts.dataDir, 'vault'), secrets });
  const closers: (() => Promise<void> | void)[] = [() => vault.close()];
  const bus = new EventEmitter();
  bus.setMaxListeners(100);
  const emit = (event: string, payload: unknown) => bus.emit('event', event, payload);

  try {
    const ehrConfig = opts.ehr ?? { mode: 'sandbox' as const };
    let sandbox: Sandbox | null = null;
    let baseUrl: string;
    if (ehrConfig.mode === 'sandbox') {
      sandbox = await startSandbox({ seed: true, port: ehrConfig.port ?? 0, requireAuth: ehrConfig.requireAuth ?? false });
      closers.push(() => sandbox!.close());
      baseUrl = sandbox.baseUrl;
    } else {
      baseUrl = ehrConfig.baseUrl;
    }
    const ehr: EhrClient = createEhrClient({ baseUrl });

    const session = createSessionService({
      ehr: () => ({
        mode: sandbox ? 'sandbox' : 'smart',
        label: sandbox ? 'Sandbox EHR' : ehrConfig.mode === 'fhir' ? ehrConfig.label ?? baseUrl : baseUrl,
        baseUrl,
        connected: true,
      }),
      profiles: sandbox ? SANDBOX_PROFILES : [],
      initial: sandbox ? SANDBOX_PROFILES[0]!.id : null,
    });

    const schedule: SchedulePort = {
      todaysEncounters: (user) => ehr.todaysEncounters(user.fhirUser ?? `Practitioner/${user.id}`),
      async patientContext(patientId) {
        const ctx = await ehr.patientContext(patientId);
        return { problems: ctx.problems.map((p) => p.display), medications: ctx.medications.map((m) => m.display) };
      },
    };

    const storage: VisitStorage = {
      visit: (id) => vault.visit(id),
      listVisits: () => vault.listVisits(),
    };

    const engine = opts.engine ?? 'sphinx';
    const transcriber: TranscriberPort = {
      start: ({ vocabulary, onPartial, onSegment }) => createStreamingTranscriber({ engine, vocabulary, onPartial, onSegment }),
    };

    const drafter = createDrafter({ engine: 'builtin' });

    let visits: ReturnType<typeof createVisitService> | null = null;
    const outbox = await createNoteOutbox({
      store: vault.namespace('outbox'),
      ehr,
      onUpdate: (update) => void visits?.onPostUpdate(update).catch(() => undefined),
    });
    closers.push(() => outbox.close());
    const outboxPort: OutboxPort = outbox;

    visits = createVisitService({ storage, transcriber, drafter, schedule, outbox: outboxPort, emit });
    closers.push(async () => {
      await visits!.idle();
      visits!.close();
    });

    const services: CoreServices = { session, schedule, visits };
    const dispatch = createDispatcher(createHandlers(services), () => session.current());
    outbox.start();

    return {
      dispatch,
      subscribe(listener) {
        const handler = (event: string, payload: unknown) => listener(event, payload);
        bus.on('event', handler);
        return () => bus.off('event', handler);
      },
      services,
      fhirBaseUrl: baseUrl,
      vault,
      async close() {
        for (const close of closers.reverse()) {
          try {
            await close();
          } catch {
            // keep closing the rest
          }
        }
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
}
