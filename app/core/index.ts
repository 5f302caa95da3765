import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { User } from '../contract/index.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { createHandlers } from './handlers.ts';
import type { CoreServices } from './services.ts';

import { createDictationService } from '../dictation/index.ts';
import { createDrafter, createDrafterForChoice, DRAFTING_SERVER_KEY_ACCOUNT, listTemplates, type NoteDrafter } from '../draft/index.ts';
import type { DrafterPort } from '../encounter/index.ts';
import { createVisitService, type SchedulePort, type TranscriberPort, type OutboxPort, type VisitStorage } from '../encounter/index.ts';
import {
  SANDBOX_PRACTITIONER_ID, SANDBOX_PRACTITIONER_NAME, SANDBOX_PRACTITIONER_REF, createEhrClient, createOutbox,
  createSmartSession, identifierSystems, narrowPlanToScopes, planForMode, scopesForPlan, startSandbox, writePlanFromCapabilities,
  type EhrClient, type Sandbox, type SmartSession, type SmartUser, type WriteMode, type WritePlan,
} from '../fhir/index.ts';
import { auditAction } from '../audit/index.ts';
import { createQueueService } from '../queue/index.ts';
import { openKeychain, type SecretStore } from '../secrets/index.ts';
import { createSessionService } from '../session/index.ts';
import { createStreamingTranscriber, TRANSCRIPTION_SERVER_KEY_ACCOUNT } from '../transcribe/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { createAuditTrail, openAuditLog, type AuditLog } from '../audit/index.ts';
import { createSessionLock } from '../security/index.ts';
import { createRetention, type RetentionService } from '../retention/index.ts';
import { createCodingService, loadTerminology } from '../coding/index.ts';
import { createMetricsService, metricsLifecycleListener } from '../metrics/index.ts';
import { ehrFromSettings, openSettings, recognitionInForce, type SettingsService } from '../settings/index.ts';
import { createStyleLearning, createStyleService, STYLE_NAMESPACE, withClinicianStyle } from '../style/index.ts';

export { MAX_PAYLOAD_BYTES, toWireError, type Dispatch } from './dispatch.ts';
export type { CoreServices } from './services.ts';

export interface CoreOptions {
  /** Where the vault and settings live (Electron: app.getPath('userData')). */
  dataDir: string;
  /** The OS keychain by default; tests of the core may pass their own keychain service name. */
  secrets?: SecretStore;
  keychainService?: string;
  /** Which EHR: the embedded sandbox or a real one reached with SMART on FHIR (default: the saved workstation setting, else the sandbox). */
  ehr?: { mode: 'sandbox'; port?: number; requireAuth?: boolean; writeMode?: WriteMode } | { mode: 'fhir'; baseUrl: string; clientId: string; label?: string };
  /** Recognition engine forced for this run; without it the saved workstation setting (app/settings) is read at each visit start. */
  engine?: 'sphinx' | 'sherpa' | 'server';
}

export interface Core {
  dispatch: Dispatch;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  services: CoreServices;
  /** FHIR base URL of the EHR in use (the sandbox's when embedded). */
  fhirBaseUrl: string;
  vault: Vault;
  audit: AuditLog;
  retention: RetentionService;
  close(): Promise<void>;
}

/** The client id Scribe presents to the sandbox's SMART server (it registers any native client). */
export const SANDBOX_CLIENT_ID = 'scribe-desktop';

/** Demo people of the sandbox, one per role. The clinician is the seeded Practitioner. */
export const SANDBOX_PROFILES: User[] = [
  { id: SANDBOX_PRACTITIONER_ID, name: SANDBOX_PRACTITIONER_NAME, role: 'clinician', fhirUser: SANDBOX_PRACTITIONER_REF },
  { id: 'sam-scribe', name: 'Sam Ortiz', role: 'scribe' },
  { id: 'morgan-manager', name: 'Morgan Lee', role: 'manager' },
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

  // Workstation settings (engine/model, EHR): PHI-free, outside the vault; the audit log is attached below.
  let auditForSettings: AuditLog | null = null;
  const settingsStore = openSettings({ dir: opts.dataDir, audit: () => auditForSettings });
  try {
    const ehrConfig: NonNullable<CoreOptions['ehr']> = opts.ehr ?? ehrFromSettings(settingsStore.current());
    let sandbox: Sandbox | null = null;
    let baseUrl: string;
    if (ehrConfig.mode === 'sandbox') {
      sandbox = await startSandbox({ seed: true, port: ehrConfig.port ?? 0, requireAuth: ehrConfig.requireAuth ?? false, writeMode: ehrConfig.writeMode ?? 'full' });
      closers.push(() => sandbox!.close());
      baseUrl = sandbox.baseUrl;
    } else {
      baseUrl = ehrConfig.baseUrl;
    }
    // The write plan (decision 0150): read from the EHR's CapabilityStatement at start, and again at each
    // attempt until it could be read (an EHR down at start). Recorded in the audit log when chosen.
    const ehrSettings = settingsStore.current().ehr;
    let writePlan: WritePlan | null = null;
    let readingPlan: Promise<WritePlan> | null = null;
    let auditForPlan: AuditLog | null = null;
    const metadataClient = createEhrClient({ baseUrl, timeoutMs: 10_000 });
    const readWritePlan = (): Promise<WritePlan> => {
      if (writePlan) return Promise.resolve(writePlan);
      readingPlan ??= metadataClient.capabilities().then((cs) => {
        const plan = writePlanFromCapabilities(cs);
        writePlan = plan;
        if (auditForPlan) {
          void auditAction(auditForPlan, null, 'ehr.writePlan', { details: { mode: plan.mode, withheld: plan.withheld, ...(sandbox ? { server: 'sandbox' } : {}) } }).catch(() => undefined);
        }
        emit('session.changed', session.get());
        return plan;
      }).finally(() => {
        readingPlan = null;
      });
      return readingPlan;
    };
    const planView = (plan: WritePlan) => ({ mode: plan.mode, summary: plan.summary, notSent: plan.notSent });
    // SMART on FHIR when the EHR needs a sign-in (a real EHR, or the sandbox started with requireAuth).
    const needsSignIn = ehrConfig.mode === 'fhir' || ehrConfig.requireAuth === true;
    const smart: SmartSession | null = needsSignIn
      ? createSmartSession({
        issuer: baseUrl,
        clientId: ehrConfig.mode === 'fhir' ? ehrConfig.clientId : SANDBOX_CLIENT_ID,
        secrets,
        openUrl: (url) => pendingAuthorize?.(url),
        // Only what the plan needs: an EHR that grants no Provenance.write still signs Scribe in.
        scopes: () => scopesForPlan(writePlan ?? planForMode('full')),
        ...(ehrSettings.redirectPort ? { redirectPort: ehrSettings.redirectPort } : {}),
        // A refused refresh: the clinician sees it at once, not at the next failing call.
        onSignedOut: () => {
          if (!sandbox) session.setSmartUser(null);
          emit('session.changed', session.get());
        },
      })
      : null;
    let pendingAuthorize: ((url: string) => void) | null = null;
    let resumeOutbox: (() => Promise<void>) | null = null;
    const ehr: EhrClient = createEhrClient({ baseUrl, ...(smart ? { getAccessToken: (o) => smart.getAccessToken(o) } : {}) });
    const smartUserOf = (u: SmartUser): User => ({ id: u.id, name: u.name ?? u.fhirUser, role: 'clinician', fhirUser: u.fhirUser });

    const session = createSessionService({
      ehr: () => {
        const status = smart?.status();
        return {
          mode: sandbox ? 'sandbox' : 'smart',
          // The EHR's name: the settings', else its CapabilityStatement's, else its address.
          label: sandbox ? 'Sandbox EHR' : (ehrConfig.mode === 'fhir' ? ehrConfig.label : undefined) ?? writePlan?.ehrName ?? baseUrl,
          baseUrl,
          auth: smart ? 'smart' : 'none',
          connected: status ? status.signedIn : true,
          ...(writePlan ? { writePlan: planView(narrowPlanToScopes(writePlan, status?.scope)) } : {}),
          ...(status?.signedOutReason ? { signedOutReason: status.signedOutReason } : {}),
        };
      },
      profiles: sandbox ? SANDBOX_PROFILES : [],
      initial: sandbox ? SANDBOX_PROFILES[0]!.id : null,
      ...(smart
        ? {
          signIn: {
            begin: () => new Promise<string>((resolve, reject) => {
              pendingAuthorize = resolve;
              // The scopes follow the write plan: read it first (an EHR whose metadata is down gets the full set).
              readWritePlan().catch(() => null).then(() => smart.signIn()).then(
                (u) => {
                  session.setSmartUser(smartUserOf(u));
                  emit('session.changed', session.get());
                  // Notes that waited for a sign-in go out now, not at the next retry.
                  void resumeOutbox?.();
                },
                (error: unknown) => {
                  reject(error instanceof Error ? error : new Error(String(error)));
                  emit('ehr.signInFailed', { message: error instanceof Error ? error.message : String(error) });
                },
              ).finally(() => (pendingAuthorize = null));
            }),
            signOut: () => smart.signOut(),
          },
        }
        : {}),
    });
    if (smart) {
      const restored = await smart.restore().catch(() => null);
      if (restored) session.setSmartUser(smartUserOf(restored));
    }

    const schedule: SchedulePort = {
      todaysEncounters: (user) => ehr.todaysEncounters(user.fhirUser ?? `Practitioner/${user.id}`),
      async patientContext(patientId) {
        const ctx = await ehr.patientContext(patientId);
        return { problems: ctx.problems.map((p) => p.display), medications: ctx.medications.map((m) => m.display) };
      },
      async chart(patientId) {
        const ctx = await ehr.patientContext(patientId);
        return {
          problems: ctx.problems.map((p) => ({ ...(p.code ? { code: p.code } : {}), display: p.display })),
          medications: ctx.medications.map((m) => ({ ...(m.rxcui ? { rxcui: m.rxcui } : {}), display: m.display })),
        };
      },
      searchPatients: (text) => ehr.searchPatients(text),
    };

    const storage: VisitStorage = {
      visit: (id) => vault.visit(id),
      listVisits: () => vault.listVisits(),
    };

    const settings: SettingsService = {
      store: settingsStore,
      ehrInUse: { mode: sandbox ? 'sandbox' : 'fhir', baseUrl },
      engineOverride: opts.engine ?? null,
    };
    // Read at every start: a change of engine or model applies to the next visit or dictation, no restart.
    // The transcription server's API key (OS keychain) is read at start and again at every transcriber start
    // (start is synchronous, so a key saved just now applies from the next visit on).
    let transcriptionKey: string | null = await secrets.get(TRANSCRIPTION_SERVER_KEY_ACCOUNT).catch(() => null);
    const transcriber: TranscriberPort = {
      start: ({ vocabulary, onPartial, onSegment }) => {
        const inForce = recognitionInForce(settings);
        const server = inForce.server ? { server: { ...inForce.server, ...(transcriptionKey ? { apiKey: transcriptionKey } : {}) } } : {};
        if (inForce.engine === 'server') void secrets.get(TRANSCRIPTION_SERVER_KEY_ACCOUNT).then((k) => { transcriptionKey = k; }, () => undefined);
        return createStreamingTranscriber({ ...inForce, ...server, vocabulary, onPartial, onSegment });
      },
    };

    // The clinic's own templates (JSON, same name replaces a built-in one) live beside the data.
    const templatesDir = path.join(opts.dataDir, 'templates');
    await mkdir(templatesDir, { recursive: true });
    // Read at every draft: a change of drafting engine, model pack or server applies to the next draft.
    let drafterInForce: { key: string; drafter: NoteDrafter } | null = null;
    // The evidence guard's check is the same for every engine (the built-in drafter's lexicons).
    const builtinDrafter = createDrafter({ engine: 'builtin', templatesDir });
    const drafter: DrafterPort & Pick<NoteDrafter, 'check'> = {
      check: (d, t) => builtinDrafter.check(d, t),
      async draft(input) {
        const choice = settingsStore.current().drafting;
        const key = JSON.stringify(choice);
        if (drafterInForce?.key !== key) {
          const apiKey = choice.engine === 'server' ? await secrets.get(DRAFTING_SERVER_KEY_ACCOUNT).catch(() => null) : null;
          // SCRIBE_LLM_THREADS: CPU threads for the local model (default: node-llama-cpp's choice).
          const threads = Number(process.env['SCRIBE_LLM_THREADS'] ?? 0);
          drafterInForce = { key, drafter: createDrafterForChoice(choice, { templatesDir, ...(apiKey ? { apiKey } : {}), ...(threads > 0 ? { threads } : {}) }) };
        }
        return drafterInForce.drafter.draft(input);
      },
    };
    const templates = () => {
      const listing = listTemplates({ templatesDir });
      return { templates: listing.templates.map(({ name, title, description }) => ({ name, title, description })), problems: listing.problems };
    };

    let visits: ReturnType<typeof createVisitService> | null = null;
    const reportPost = async (update: Parameters<ReturnType<typeof createVisitService>['onPostUpdate']>[0], attempt: number): Promise<void> => {
      try {
        await visits?.onPostUpdate(update);
      } catch (error) {
        if (attempt >= 5) {
          console.error(`scribe: could not record the posting status of ${update.noteId}: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)).unref());
        await reportPost(update, attempt + 1);
      }
    };
    const outbox = createOutbox({
      store: vault.namespace('outbox'),
      ehr,
      writeContext: async () => ({
        // What the sign-in was granted can narrow the plan (no Condition.write: diagnoses go into the text).
        plan: narrowPlanToScopes(await readWritePlan(), smart?.status().scope),
        systems: identifierSystems(ehrSettings.identifierBase ?? undefined),
        ...(ehrSettings.organization ? { organizationRef: ehrSettings.organization } : {}),
      }),
      // The visit shows the outbox's progress. A failed write of that status is retried, and visit.get
      // reconciles with the outbox (below), so the screen never sits at "queued" after the note went out.
      onUpdate: (update) => void reportPost(update, 0),
    });
    closers.push(() => outbox.close());
    resumeOutbox = async () => outbox.resume();
    const outboxPort: OutboxPort = {
      enqueue: async (note) => void (await outbox.enqueue(note)),
      amend: async (original, note) => void (await outbox.amend(original, note)),
    };

    const audit = openAuditLog({ dir: path.join(opts.dataDir, 'audit') });
    auditForSettings = audit;
    auditForPlan = audit;
    // Known before the first sign (the visit screen shows it); an EHR down now is asked again at the first send.
    void readWritePlan().catch((error: unknown) => console.error(`scribe: could not read the EHR's CapabilityStatement yet: ${error instanceof Error ? error.message : String(error)}`));
    let retention: RetentionService | null = null;
    const metrics = createMetricsService({
      store: vault.namespace('metrics'),
      ehr: () => ({
        baseUrl,
        ...(smart ? { headers: async (): Promise<Record<string, string>> => { const t = await smart.getAccessToken(); return t ? { authorization: `Bearer ${t}` } : {}; } } : {}),
      }),
    });
    closers.push(() => metrics.close());
    // Each clinician's note style (app/style): encrypted in the vault, applied after drafting, learned at signing.
    const style = createStyleService({
      store: vault.namespace(STYLE_NAMESPACE),
      audit,
      sectionTitle: (id) => listTemplates({ templatesDir }).templates.flatMap((t) => t.sections).find((x) => x.id === id)?.title,
    });
    const styledDrafter = withClinicianStyle(drafter, style, {
      check: (d, t) => drafter.check(d, t),
      onError: (error) => console.error(`scribe: the note style could not be applied: ${error instanceof Error ? error.message : String(error)}`),
    });
    let styleLearning: ReturnType<typeof createStyleLearning> | null = null;
    let dictatedTextOf: ((visitId: string) => Promise<string>) | null = null;
    let visitsForMetrics: ReturnType<typeof createVisitService> | null = null;
    const recordLifecycle = metricsLifecycleListener(metrics.recorder, {
      dictatedText: (visitId) => dictatedTextOf?.(visitId) ?? Promise.resolve(''),
      // A diagnosis the clinician added without a hint counts as an accepted one.
      codingDecisions: async (visitId) =>
        ((await visitsForMetrics?.get(visitId))?.codingDecisions ?? []).map((d) => ({ action: d.action === 'add' ? ('accept' as const) : d.action })),
    });

    visits = createVisitService({
      storage, transcriber, drafter: styledDrafter, schedule, outbox: outboxPort, emit,
      postStatus: (noteId) => outbox.status(noteId),
      lifecycle: (event) => {
        if (event.type === 'visit.signed') {
          // Dictated words are the clinician's own, not AI draft: metrics leave them out of draft retention (app/dictation).
          void dictation.dictatedText(event.visitId).catch(() => '').then((dictatedText) =>
            recordLifecycle({ ...event, ...(dictatedText ? { dictatedText } : {}) } as unknown as { type: string } & Record<string, unknown>));
        } else recordLifecycle(event as unknown as { type: string } & Record<string, unknown>);
        if (event.type === 'visit.signed') void retention?.visitSigned(event.visitId, event.at).catch(() => undefined);
        if (event.type === 'visit.signed') {
          void styleLearning?.onSigned(event.visitId).catch((error: unknown) =>
            console.error(`scribe: could not learn the note style from ${event.visitId}: ${error instanceof Error ? error.message : String(error)}`));
        }
      },
    });
    const visitService = visits;
    visitsForMetrics = visitService;
    closers.push(async () => {
      await visitService.idle();
      visitService.close();
    });

    retention = createRetention({
      vault,
      audit,
      settingsDir: opts.dataDir,
      purge: (visitId, part) => visitService.purge(visitId, part),
      onVisitDeleted: (visitId) => {
        visitService.forget(visitId);
        void style.forgetVisit(visitId).catch(() => undefined);
      },
    });
    const retentionJob = retention.start();
    const retentionService = retention;
    closers.push(() => retentionJob.stop());

    // Dictation and the scribe queue (app/dictation, app/queue): same transcriber port as visits, records in each visit's vault.
    const queue = createQueueService({ storage, notes: visitService, person: (id) => session.get().profiles.find((p) => p.id === id), emit });
    const dictation = createDictationService({
      transcriber, notes: visitService, storage, emit,
      mayEdit: (user, visitId) => queue.assertMayEditDraft(user, visitId),
      vocabulary: async (visit) => {
        const ctx = await schedule.patientContext(visit.patientId);
        return [...ctx.problems, ...ctx.medications];
      },
    });
    closers.push(() => dictation.close());
    dictatedTextOf = (visitId) => dictation.dictatedText(visitId);

    styleLearning = createStyleLearning({
      style,
      visit: (visitId) => visitService.get(visitId),
      // A scribe's saved version of the note (app/queue) makes it someone else's edit until the clinician accepts it.
      editedByOthers: async (visit) => {
        const versions = await queue.versions({ id: visit.clinicianId, name: visit.clinicianId, role: 'clinician' }, visit.id).catch(() => []);
        return versions.some((v) => v.kind === 'saved' && v.savedBy.id !== visit.clinicianId);
      },
    });
    const coding = createCodingService({ visits: visitService, terminology: () => loadTerminology() });
    // Idle lock: engages for people who set an unlock PIN; while locked only unlocking works (capture goes on).
    const lock = createSessionLock({ secrets, audit, currentUser: () => session.current(), onChange: (status) => emit('session.lockChanged', status) });
    closers.push(lock.startTimer());
    const services: CoreServices = { session, schedule, templates, visits: visitService, queue, dictation, metrics, coding, retention: retentionService, lock, settings, style: { service: style, learning: styleLearning } };
    const trail = createAuditTrail({
      audit,
      currentUser: () => session.current(),
      readVisit: (visitId) => visitService.get(visitId).catch(() => null),
      readAudio: (visitId) => vault.visit(visitId).readAudio(),
    });
    bus.on('event', (event: string, payload: unknown) => trail.onEvent(event, payload));
    // Closers run last-first: flushing the audit trail goes just before the vault closes, after the
    // visit service, outbox and dictation have finished (their last events still get recorded).
    closers.splice(1, 0, () => trail.flush());
    const dispatch = trail.wrap(lock.wrap(createDispatcher(createHandlers(services), () => session.current())));
    await outbox.start();

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
      audit,
      retention: retentionService,
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
