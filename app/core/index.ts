import { createHash } from 'node:crypto';
import { ScribeError } from '../contract/index.ts';
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { EventName, EventPayload, User } from '../contract/index.ts';
import { createAccessPolicy } from './access.ts';
import { createDispatcher, type Dispatch } from './dispatch.ts';
import { createHandlers } from './handlers.ts';
import type { CoreServices } from './services.ts';

import { createDictationService } from '../dictation/index.ts';
import { createDrafter, createDrafterForChoice, DRAFTING_SERVER_KEY_ACCOUNT, listTemplates, type NoteDrafter } from '../draft/index.ts';
import {
  createVisitService,
  type DrafterPort,
  type LifecycleEvent,
  type SchedulePort,
  type TranscriberPort,
  type VisitDeadlines,
  type VisitStorage,
} from '../encounter/index.ts';
import {
  SANDBOX_PRACTITIONER_ID,
  SANDBOX_PRACTITIONER_NAME,
  SANDBOX_PRACTITIONER_REF,
  createEhrClient,
  createOutbox,
  createSmartSession,
  identifierSystems,
  narrowPlanToScopes,
  planForMode,
  scopesForPlan,
  startSandbox,
  writePlanFromCapabilities,
  type EhrClient,
  type Sandbox,
  type SmartSession,
  type SmartUser,
  type WriteMode,
  type WritePlan,
} from '../fhir/index.ts';
import { createQueueService } from '../queue/index.ts';
import { openKeychain, type SecretStore } from '../secrets/index.ts';
import { createSessionAnnouncer, createSessionService } from '../session/index.ts';
import { createStreamingTranscriber, removeOwnScratch, removeStaleScratch, TRANSCRIPTION_SERVER_KEY_ACCOUNT } from '../transcribe/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import {
  auditAction,
  createAuditAnchor,
  createAuditTrail,
  keychainAuditSealing,
  openAuditLog,
  type AuditAnchor,
  type AuditLog,
} from '../audit/index.ts';
import { identityOf, isEhrSignInUrl, type RoleDirectory } from '../security/index.ts';
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
  ehr?:
    | { mode: 'sandbox'; port?: number; requireAuth?: boolean; writeMode?: WriteMode }
    | { mode: 'fhir'; baseUrl: string; clientId: string; label?: string };
  /** Recognition engine forced for this run; without it the saved workstation setting (app/settings) is read at each visit start. */
  engine?: 'sphinx' | 'sherpa' | 'server';
  /** How long each wait after Stop may take (app/encounter deadlines; tests shorten them). */
  visitDeadlines?: Partial<VisitDeadlines>;
}

export interface Core {
  /** Every call, from either transport: audited, refused while locked, checked against the contract. */
  dispatch: Dispatch;
  /** The events the signed-in person may receive (app/core/access.ts filters each one). */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
  /** FHIR base URL of the EHR in use (the sandbox's when embedded). */
  fhirBaseUrl: string;
  /** Sends the audit records not sent yet to the EHR as AuditEvents (also every minute while connected). */
  auditAnchor: AuditAnchor;
  /** Whether `url` is a SMART sign-in page this core handed out (the shell opens only those in the browser). */
  isSignInUrl(url: string): boolean;
  /** Resolves when background work (recognition, drafting) is done: for shutdown, benches and tests. */
  idle(): Promise<void>;
  close(): Promise<void>;
  /**
   * FOR TESTS ONLY: the parts a test inspects behind the contract (what the vault holds on disk, the
   * audit log's records, a service's internals). The app never uses it.
   */
  forTests: { services: CoreServices; vault: Vault; audit: AuditLog; retention: RetentionService };
}

/** The client id Scribe presents to the sandbox's SMART server (it registers any native client). */
export const SANDBOX_CLIENT_ID = 'scribe-desktop';

/** Demo people of the sandbox, one per role. The clinician is the seeded Practitioner. */
export const SANDBOX_PROFILES: User[] = [
  { id: SANDBOX_PRACTITIONER_ID, name: SANDBOX_PRACTITIONER_NAME, role: 'clinician', fhirUser: SANDBOX_PRACTITIONER_REF },
  { id: 'sam-scribe', name: 'Sam Ortiz', role: 'scribe' },
  { id: 'morgan-manager', name: 'Morgan Lee', role: 'manager' },
];

/** Someone waiting for a value another part delivers later (the SMART authorize address). */
function handOff<T>() {
  const waiting: ((value: T) => void)[] = [];
  return {
    next: () => new Promise<T>((resolve) => waiting.push(resolve)),
    deliver: (value: T) => waiting.splice(0).forEach((resolve) => resolve(value)),
  };
}

/** A typed in-process signal: one part announces, the parts built after it listen. */
function signal<T>() {
  const listeners: ((value: T) => void)[] = [];
  return {
    emit: (value: T) => listeners.forEach((listener) => listener(value)),
    listen: (listener: (value: T) => void) => void listeners.push(listener),
  };
}

/**
 * The composition root, read top to bottom: each service is built after what it needs and is handed it.
 * Keychain → vault → audit log → settings → EHR (embedded sandbox or SMART) → outbox → session →
 * schedule, recognizer, drafter → visits → queue, dictation, coding, metrics, retention, lock →
 * access policy, handlers, dispatcher. Parts that must hear of something built later (the visit's
 * lifecycle, the outbox's progress) listen to a signal instead of holding a variable filled in later.
 */
export async function createCore(opts: CoreOptions): Promise<Core> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const secrets = opts.secrets ?? (await openKeychain(opts.keychainService));
  const vault = await openVault({ dir: path.join(opts.dataDir, 'vault'), secrets });
  const closers: (() => Promise<void> | void)[] = [() => vault.close()];
  try {
    // Events: typed by the contract; internal listeners (the audit trail) hear all, windows what they may.
    const bus = new EventEmitter();
    bus.setMaxListeners(100);
    const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => void bus.emit('event', event, payload);

    // The audit chain is keyed by a secret in the keychain and its head checkpointed there (decision 0120).
    const auditDir = path.join(opts.dataDir, 'audit');
    const audit = openAuditLog({ dir: auditDir, sealing: (await keychainAuditSealing(secrets, auditDir))! });
    // Workstation settings (engine/model, EHR): PHI-free, outside the vault; changes are audited.
    const settingsStore = openSettings({ dir: opts.dataDir, audit: () => audit });
    const ehrConfig: NonNullable<CoreOptions['ehr']> = opts.ehr ?? ehrFromSettings(settingsStore.current());

    const sandbox: Sandbox | null =
      ehrConfig.mode === 'sandbox'
        ? await startSandbox({
            seed: true,
            port: ehrConfig.port ?? 0,
            requireAuth: ehrConfig.requireAuth ?? false,
            writeMode: ehrConfig.writeMode ?? 'full',
          })
        : null;
    if (sandbox) closers.push(() => sandbox.close());
    const baseUrl = sandbox ? sandbox.baseUrl : (ehrConfig as { baseUrl: string }).baseUrl;

    // The write plan (decision 0150): read from the EHR's CapabilityStatement at start, and again at each
    // attempt until it could be read (an EHR down at start). Recorded in the audit log when chosen.
    const ehrSettings = settingsStore.current().ehr;
    const planChosen = signal<WritePlan>();
    let writePlan: WritePlan | null = null;
    let readingPlan: Promise<WritePlan> | null = null;
    const metadataClient = createEhrClient({ baseUrl, timeoutMs: 10_000 });
    const readWritePlan = (): Promise<WritePlan> => {
      if (writePlan) return Promise.resolve(writePlan);
      readingPlan ??= metadataClient
        .capabilities()
        .then((cs) => {
          const plan = writePlanFromCapabilities(cs);
          writePlan = plan;
          void auditAction(audit, null, 'ehr.writePlan', {
            details: { mode: plan.mode, withheld: plan.withheld, ...(sandbox ? { server: 'sandbox' } : {}) },
          }).catch(() => undefined);
          planChosen.emit(plan);
          return plan;
        })
        .finally(() => {
          readingPlan = null;
        });
      return readingPlan;
    };
    const planView = (plan: WritePlan) => ({ mode: plan.mode, summary: plan.summary, notSent: plan.notSent });

    // SMART on FHIR when the EHR needs a sign-in (a real EHR, or the sandbox started with requireAuth).
    const signedOutByEhr = signal<void>();
    const authorizePage = handOff<string>();
    const needsSignIn = ehrConfig.mode === 'fhir' || ehrConfig.requireAuth === true;
    const smart: SmartSession | null = needsSignIn
      ? createSmartSession({
          issuer: baseUrl,
          clientId: ehrConfig.mode === 'fhir' ? ehrConfig.clientId : SANDBOX_CLIENT_ID,
          secrets,
          openUrl: (url) => {
            issuedSignInUrls.add(new URL(url).href);
            authorizePage.deliver(url);
          },
          // Only what the plan needs: an EHR that grants no Provenance.write still signs Scribe in.
          scopes: () => scopesForPlan(writePlan ?? planForMode('full')),
          ...(ehrSettings.redirectPort ? { redirectPort: ehrSettings.redirectPort } : {}),
          // A refused refresh: the clinician sees it at once, not at the next failing call.
          onSignedOut: () => signedOutByEhr.emit(),
        })
      : null;
    const issuedSignInUrls = new Set<string>();
    const ehr: EhrClient = createEhrClient({ baseUrl, ...(smart ? { getAccessToken: (o) => smart.getAccessToken(o) } : {}) });
    // Who a SMART sign-in is: a Practitioner (or PractitionerRole) only, with the role the EHR or the IT
    // admin's roles file gives them (app/security/identity.ts, decision 0123). Anyone else is refused.
    const roles: RoleDirectory = { dataDir: opts.dataDir, ehr };
    const smartUserOf = (u: SmartUser): Promise<User> => identityOf(u, roles);
    const acceptSignIn = async (u: SmartUser, method: 'smart' | 'smart-silent'): Promise<User> => {
      try {
        const user = await smartUserOf(u);
        await auditAction(audit, user, 'session.signedIn', { details: { method, fhirUser: user.fhirUser ?? `${u.resourceType}/${u.id}` } });
        return user;
      } catch (error) {
        await smart?.signOut().catch(() => undefined);
        await auditAction(audit, null, 'session.signInRefused', {
          details: { method, reason: (error as { code?: string }).code ?? 'refused' },
        }).catch(() => undefined);
        throw error;
      }
    };

    // The outbox keeps every signed note and alone knows where each stands.
    const noteProgress = signal<Parameters<NonNullable<Parameters<typeof createOutbox>[0]['onUpdate']>>[0]>();
    const outbox = createOutbox({
      store: vault.namespace('outbox'),
      ehr,
      writeContext: async () => ({
        // What the sign-in was granted can narrow the plan (no Condition.write: diagnoses go into the text).
        plan: narrowPlanToScopes(await readWritePlan(), smart?.status().scope),
        systems: identifierSystems(ehrSettings.identifierBase ?? undefined),
        ...(ehrSettings.organization ? { organizationRef: ehrSettings.organization } : {}),
      }),
      onUpdate: (update) => noteProgress.emit(update),
    });
    closers.push(() => outbox.close());

    // The chain's copy in the EHR: AuditEvents sent automatically while connected (decision 0120).
    const auditAnchor = createAuditAnchor({
      audit,
      secrets,
      account: `audit-sent:${createHash('sha256').update(path.resolve(auditDir)).digest('hex').slice(0, 24)}|${baseUrl}`,
      baseUrl: () => baseUrl,
      token: async () => (smart ? (smart.status().signedIn ? await smart.getAccessToken().catch(() => null) : null) : undefined),
      observer: 'Scribe workstation',
      onError: (error) =>
        console.error(
          `[audit] sending AuditEvents to the EHR failed, will retry: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    closers.push(auditAnchor.start());

    // Set once the session exists (below); a sign-in cannot finish before then.
    let announceSession: () => void = () => undefined;
    const session = createSessionService({
      ehr: () => {
        const status = smart?.status();
        return {
          mode: sandbox ? 'sandbox' : 'smart',
          // The EHR's name: the settings', else its CapabilityStatement's, else its address.
          label: sandbox ? 'Sandbox EHR' : ((ehrConfig.mode === 'fhir' ? ehrConfig.label : undefined) ?? writePlan?.ehrName ?? baseUrl),
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
              begin: () => {
                const page = authorizePage.next();
                // The scopes follow the write plan: read it first (an EHR whose metadata is down gets the full set).
                const signedIn = readWritePlan()
                  .catch(() => null)
                  .then(() => smart.signIn())
                  .then((u) => acceptSignIn(u, 'smart'))
                  .then(
                    (u) => {
                      session.setSmartUser(u);
                      announceSession();
                      // Notes that waited for a sign-in go out now, not at the next retry.
                      outbox.resume();
                    },
                    (error: unknown) => {
                      emit('ehr.signInFailed', { message: error instanceof Error ? error.message : String(error) });
                      throw error instanceof Error ? error : new Error(String(error));
                    },
                  );
                // The authorize address, or the reason sign-in could not even start.
                return Promise.race([page, signedIn.then(() => page)]);
              },
              signOut: () => smart.signOut(),
            },
          }
        : {}),
    });
    if (smart) {
      const restored = await smart.restore().catch(() => null);
      // A silent sign-in is a sign-in: audited like the interactive one, and held to the same identity rules.
      if (restored) session.setSmartUser(await acceptSignIn(restored, 'smart-silent').catch(() => null));
    }
    // Windows hear of a change of who is acting (session.changed) apart from a change on the EHR's side
    // (ehr.changed), and of nothing when nothing changed (decision 0187).
    announceSession = createSessionAnnouncer(() => session.get(), {
      session: (s) => emit('session.changed', s),
      ehr: (e) => emit('ehr.changed', e),
    });
    signedOutByEhr.listen(() => {
      if (!sandbox) session.setSmartUser(null);
      announceSession();
    });
    // Known before the first sign (the visit screen shows it); an EHR down now is asked again at the first send.
    planChosen.listen(() => announceSession());
    void readWritePlan().catch((error: unknown) =>
      console.error(`scribe: could not read the EHR's CapabilityStatement yet: ${error instanceof Error ? error.message : String(error)}`),
    );

    const schedule: SchedulePort = {
      todaysEncounters: (user) => ehr.todaysEncounters(user.fhirUser ?? `Practitioner/${user.id}`),
      async patientContext(patientId) {
        const ctx = await ehr.patientContext(patientId);
        return {
          problems: ctx.problems.map((p) => p.display),
          medications: ctx.medications.map((m) => m.display),
          conditions: ctx.problems.flatMap((p) => (p.id ? [{ reference: `Condition/${p.id}`, display: p.display }] : [])),
        };
      },
      async chart(patientId) {
        const ctx = await ehr.patientContext(patientId);
        return {
          problems: ctx.problems.map((p) => ({ ...(p.code ? { code: p.code } : {}), display: p.display })),
          medications: ctx.medications.map((m) => ({ ...(m.rxcui ? { rxcui: m.rxcui } : {}), display: m.display })),
        };
      },
      searchPatients: (text) => ehr.searchPatients(text),
      async walkIn(user, patientId) {
        const practitionerRef = user.fhirUser ?? `Practitioner/${user.id}`;
        const id = await ehr.createWalkIn(patientId, practitionerRef);
        const found = (await ehr.todaysEncounters(practitionerRef)).find((e) => e.encounterId === id);
        if (!found) throw new ScribeError('internal', "The walk-in encounter was created in the EHR but is not on today's schedule");
        return found;
      },
    };
    const storage: VisitStorage = { visit: (id) => vault.visit(id), listVisits: () => vault.listVisits() };
    const settings: SettingsService = {
      store: settingsStore,
      ehrInUse: { mode: sandbox ? 'sandbox' : 'fhir', baseUrl },
      engineOverride: opts.engine ?? null,
      secrets,
    };
    // Read at every start: a change of engine or model applies to the next visit or dictation, no restart.
    // The engines' run-time files (a visit's vocabulary) go to private per-process folders in the data
    // folder, never /tmp (decision 0124); those of a crashed run are removed now.
    const scratchDir = path.join(opts.dataDir, 'scratch');
    removeStaleScratch(scratchDir);
    closers.push(() => removeOwnScratch(scratchDir));
    // The transcription server's API key (OS keychain) is read at start and again at every transcriber start
    // (start is synchronous, so a key saved just now applies from the next visit on).
    let transcriptionKey: string | null = await secrets.get(TRANSCRIPTION_SERVER_KEY_ACCOUNT).catch(() => null);
    const transcriber: TranscriberPort = {
      start: ({ vocabulary, onPartial, onSegment, onNotice, local }) => {
        const saved = recognitionInForce(settings);
        // The fallback after recognition did not finish (decision 0185): the built-in recognizer on this computer,
        // which needs no server and no downloaded model.
        const inForce: typeof saved = local ? { engine: 'sphinx' } : saved;
        const server = inForce.server ? { server: { ...inForce.server, ...(transcriptionKey ? { apiKey: transcriptionKey } : {}) } } : {};
        if (inForce.engine === 'server')
          void secrets.get(TRANSCRIPTION_SERVER_KEY_ACCOUNT).then(
            (k) => {
              transcriptionKey = k;
            },
            () => undefined,
          );
        return createStreamingTranscriber({
          ...inForce,
          ...server,
          vocabulary,
          scratchDir,
          onPartial,
          onSegment,
          ...(onNotice ? { onNotice } : {}),
        });
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
        // The key is read at each draft too: a key changed in Settings applies to the next draft.
        const apiKey = choice.engine === 'server' ? await secrets.get(DRAFTING_SERVER_KEY_ACCOUNT).catch(() => null) : null;
        const key = JSON.stringify([choice, apiKey]);
        if (drafterInForce?.key !== key) {
          // SCRIBE_LLM_THREADS: CPU threads for the local model (default: node-llama-cpp's choice).
          const threads = Number(process.env['SCRIBE_LLM_THREADS'] ?? 0);
          drafterInForce = {
            key,
            drafter: createDrafterForChoice(choice, { templatesDir, ...(apiKey ? { apiKey } : {}), ...(threads > 0 ? { threads } : {}) }),
          };
        }
        return drafterInForce.drafter.draft(input);
      },
    };
    const templates = () => {
      const listing = listTemplates({ templatesDir });
      return {
        templates: listing.templates.map(({ name, title, description }) => ({ name, title, description })),
        problems: listing.problems,
      };
    };

    // Each clinician's note style (app/style): encrypted in the vault, applied after drafting, learned at signing.
    const style = createStyleService({
      store: vault.namespace(STYLE_NAMESPACE),
      audit,
      sectionTitle: (id) =>
        listTemplates({ templatesDir })
          .templates.flatMap((t) => t.sections)
          .find((x) => x.id === id)?.title,
    });
    const styledDrafter = withClinicianStyle(drafter, style, {
      check: (d, t) => drafter.check(d, t),
      onError: (error) =>
        console.error(`scribe: the note style could not be applied: ${error instanceof Error ? error.message : String(error)}`),
    });

    const lifecycle = signal<LifecycleEvent>();
    const visits = createVisitService({
      storage,
      transcriber,
      drafter: styledDrafter,
      schedule,
      emit,
      outbox: {
        enqueue: async (note) => void (await outbox.enqueue(note)),
        amend: async (original, note) => void (await outbox.amend(original, note)),
        status: (noteId) => outbox.status(noteId),
      },
      lifecycle: (event) => lifecycle.emit(event),
      ...(opts.visitDeadlines ? { deadlines: opts.visitDeadlines } : {}),
    });
    noteProgress.listen((update) => void visits.noteChanged(update).catch(() => undefined));
    closers.push(async () => {
      await visits.idle();
      visits.close();
    });

    const queue = createQueueService({ storage, notes: visits, person: (id) => session.get().profiles.find((p) => p.id === id), emit });
    // Dictation: the same transcriber port as visits, records in each visit's vault.
    const dictation = createDictationService({
      transcriber,
      notes: visits,
      storage,
      emit,
      mayEdit: (user, visitId) => queue.assertMayEditDraft(user, visitId),
      // IT's chart deadline (SCRIBE_VISIT_DEADLINES) holds for dictation's chart read too.
      ...(opts.visitDeadlines?.chartMs !== undefined ? { deadlines: { chartMs: opts.visitDeadlines.chartMs } } : {}),
      vocabulary: async (visit) => {
        const ctx = await schedule.patientContext(visit.patientId);
        return [...ctx.problems, ...ctx.medications];
      },
      drugWords: async (visit) => {
        const ctx = await schedule.patientContext(visit.patientId);
        return ctx.medications.map((m) => m.toLowerCase().split(/[^a-z]+/)[0] ?? '').filter((w) => w.length > 3);
      },
    });
    closers.push(() => dictation.close());
    const coding = createCodingService({ visits, terminology: () => loadTerminology() });
    const styleLearning = createStyleLearning({
      style,
      visit: (visitId) => visits.get(visitId),
      // A scribe's saved version of the note (app/queue) makes it someone else's edit until the clinician accepts it.
      editedByOthers: async (visit) => {
        const versions = await queue
          .versions({ id: visit.clinicianId, name: visit.clinicianId, role: 'clinician' }, visit.id)
          .catch(() => []);
        return versions.some((v) => v.kind === 'saved' && v.savedBy.id !== visit.clinicianId);
      },
    });
    lifecycle.listen((event) => {
      if (event.type !== 'visit.signed') return;
      void styleLearning
        .onSigned(event.visitId)
        .catch((error: unknown) =>
          console.error(
            `scribe: could not learn the note style from ${event.visitId}: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    });

    const metrics = createMetricsService({
      store: vault.namespace('metrics'),
      ehr: () => ({
        baseUrl,
        ...(smart
          ? {
              headers: async (): Promise<Record<string, string>> => {
                const t = await smart.getAccessToken();
                return t ? { authorization: `Bearer ${t}` } : {};
              },
            }
          : {}),
      }),
    });
    closers.push(() => metrics.close());
    lifecycle.listen(
      metricsLifecycleListener(metrics.recorder, {
        // Dictated words are the clinician's own, not AI draft: metrics leave them out of draft retention (app/dictation).
        dictatedText: (visitId) => dictation.dictatedText(visitId),
        // A diagnosis the clinician added without a hint counts as an accepted one.
        codingDecisions: async (visitId) =>
          ((await visits.get(visitId)).codingDecisions ?? []).map((d) => ({ action: d.action === 'add' ? ('accept' as const) : d.action })),
      }),
    );

    const retention = createRetention({
      vault,
      audit,
      settingsDir: opts.dataDir,
      purge: (visitId, part) => visits.purge(visitId, part),
      onVisitDeleted: (visitId) => {
        visits.forget(visitId);
        void style.forgetVisit(visitId).catch(() => undefined);
      },
    });
    lifecycle.listen((event) => {
      if (event.type === 'visit.signed') void retention.visitSigned(event.visitId, event.at).catch(() => undefined);
    });
    const retentionJob = retention.start();
    closers.push(() => retentionJob.stop());

    // Idle lock: engages for people who set an unlock PIN; while locked only unlocking works (capture goes on).
    const lockScope = createHash('sha256').update(path.resolve(opts.dataDir)).digest('hex').slice(0, 16);
    const lock = createSessionLock({
      secrets,
      audit,
      scope: lockScope,
      currentUser: () => session.current(),
      onChange: (status) => emit('session.lockChanged', status),
    });
    // A restart is no proof the person is still there: the lock and its wrong-PIN count come back from the keychain.
    await lock.restore();
    closers.push(lock.startTimer());

    // Who may make which call and receive which event: the contract says, this policy applies it.
    const access = createAccessPolicy({
      clinicianOf: async (visitId) => (await visits.get(visitId)).clinicianId,
      scribeOf: async (visitId) => await queue.assignedScribe(visitId),
      visitOfDictation: (dictationId) => dictation.visitOf(dictationId),
    });
    const services: CoreServices = {
      session,
      schedule,
      templates,
      visits,
      queue,
      dictation,
      metrics,
      coding,
      retention,
      lock,
      settings,
      style: { service: style, learning: styleLearning },
    };
    const trail = createAuditTrail({
      audit,
      currentUser: () => session.current(),
      readVisit: (visitId) => visits.get(visitId).catch(() => null),
      readAudio: (visitId) => vault.visit(visitId).readAudio(),
    });
    bus.on('event', (event: string, payload: unknown) => trail.onEvent(event, payload));
    // Closers run last-first: flushing the audit trail goes just before the vault closes, after the
    // visit service, outbox and dictation have finished (their last events still get recorded).
    closers.splice(1, 0, () => trail.flush());
    const dispatch = trail.wrap(lock.wrap(createDispatcher(createHandlers(services), () => session.current(), access)));
    await outbox.start();

    return {
      dispatch,
      subscribe(listener) {
        // Per recipient, in order: each event waits for the one before it to be checked and delivered.
        let delivered: Promise<unknown> = Promise.resolve();
        const handler = (event: EventName, payload: unknown) => {
          delivered = delivered
            .then(() => access.mayReceive(event, session.current(), payload))
            .then((ok) => ok && listener(event, payload))
            .catch(() => undefined);
        };
        bus.on('event', handler);
        return () => bus.off('event', handler);
      },
      fhirBaseUrl: baseUrl,
      isSignInUrl: (url) => isEhrSignInUrl(url, issuedSignInUrls),
      auditAnchor,
      idle: () => visits.idle(),
      forTests: { services, vault, audit, retention },
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
