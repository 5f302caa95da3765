import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ScribeError } from '../contract/index.ts';
import { asCode, auditAction, type AuditCaller, type AuditLog } from '../audit/index.ts';
import { checkPracticeServerUrl, type SecretStore } from '../secrets/index.ts';
import { SHERPA_MODELS } from '../transcribe/index.ts';
import { writeFileAtomic } from '../vault/index.ts';

/**
 * Workstation settings (docs/decisions/0080-workstation-settings.md): which recognition engine and model
 * new visits and dictations use, and which EHR Scribe connects to at start. PHI-free by construction:
 * only enums, a model name, a URL and a client id. Kept in `workstation-settings.json` in the data dir,
 * written atomically, validated on every read. Retention, metrics settings and asset packs are stored by
 * their own modules and are not repeated here.
 */
export const SETTINGS_FILE = 'workstation-settings.json';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** An EHR FHIR base URL: https, or http on this machine only (tokens must not cross a network in clear). */
export const EhrBaseUrl = z
  .string()
  .trim()
  .max(2000)
  .url('the EHR base URL must be a full address, e.g. https://ehr.example.org/fhir/R4')
  .superRefine((value, ctx) => {
    if (!URL.canParse(value)) return; // reported by .url() above
    const url = new URL(value);
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'the EHR base URL must not contain a user name or password' });
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return;
    ctx.addIssue({
      code: 'custom',
      message: 'the EHR base URL must use https (plain http is accepted only for this machine, 127.0.0.1 or localhost)',
    });
  });

export const EngineSetting = z.enum(['sphinx', 'sherpa', 'server']);
export type EngineSetting = z.infer<typeof EngineSetting>;

/** A speech model of the manifest usable for recognition (offline or streaming; not diarization parts). */
export const RECOGNITION_MODELS: readonly string[] = Object.entries(SHERPA_MODELS)
  .filter(([, spec]) => spec.role === 'offline' || spec.role === 'streaming')
  .map(([name]) => name);

const ClientId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9\-._~:/]+$/, 'a client id (letters, digits and -._~:/)');

/** Which engine drafts notes: the built-in drafter, a local GGUF model (a model pack name or a file path), or a practice server. */
/** A practice server (OpenAI-compatible): its address, the model it serves, the plain-http addresses IT allows. */
const PracticeServerSetting = z
  .object({
    baseUrl: z.string().trim().max(2000).url('the server address must be a full address, e.g. https://llm.clinic.local:8000'),
    model: z.string().trim().min(1).max(200),
    /** Addresses IT allows over plain http on the clinic network (loopback is always allowed). */
    allowedPlainHosts: z.array(z.string().trim().min(1).max(253)).max(20).default([]),
  })
  .strict();

function checkServerRule(server: z.infer<typeof PracticeServerSetting>, path: string[], ctx: z.RefinementCtx): void {
  try {
    checkPracticeServerUrl(server.baseUrl, server.allowedPlainHosts);
  } catch (error) {
    ctx.addIssue({ code: 'custom', path, message: (error as Error).message });
  }
}

export const DraftingSetting = z
  .object({
    engine: z.enum(['builtin', 'llm', 'server']),
    /** llm: an installed model pack's name (models/manifest.json) or the path of a .gguf file. */
    model: z.string().trim().min(1).max(1000).nullable(),
    /** server: the practice's OpenAI-compatible server (its API key, if any, is kept in the OS keychain). */
    server: PracticeServerSetting.nullable(),
  })
  .strict();
export type DraftingSetting = z.infer<typeof DraftingSetting>;
export const DEFAULT_DRAFTING: DraftingSetting = { engine: 'builtin', model: null, server: null };

export const WorkstationSettings = z
  .object({
    recognition: z
      .object({
        engine: EngineSetting,
        /** sherpa: the model of models/manifest.json; sphinx: null (Debian's en-us model with the medicines lexicon). */
        model: z.string().max(100).nullable(),
        /** server: the practice's `/v1/audio/transcriptions` server (its API key, if any, is in the OS keychain). */
        server: PracticeServerSetting.nullable().optional(),
      })
      .strict(),
    ehr: z
      .object({
        mode: z.enum(['sandbox', 'fhir']),
        baseUrl: EhrBaseUrl.nullable(),
        clientId: ClientId.nullable(),
        /** The EHR's name for the header (else its CapabilityStatement's, else its address). */
        name: z.string().trim().min(1).max(80).nullable().optional(),
        /** Base of the identifier systems of what Scribe writes: a URL the practice owns (decision 0152). */
        identifierBase: z
          .string()
          .trim()
          .max(500)
          .url('the identifier base must be a URL the practice owns, e.g. https://clinic.example.org/fhir/identifier')
          .refine((v) => /^https?:\/\//.test(v), 'the identifier base must be an http(s) URL')
          .nullable()
          .optional(),
        /** The practice's Organization ("Organization/123"), for encounters that name no serviceProvider. */
        organization: z
          .string()
          .trim()
          .regex(/^Organization\/[A-Za-z0-9\-.]{1,64}$/, 'the practice Organization as a FHIR reference, e.g. Organization/123')
          .nullable()
          .optional(),
        /** A fixed loopback port for the SMART redirect, when the EHR registered one. */
        redirectPort: z.number().int().min(1024).max(65535).nullable().optional(),
      })
      .strict(),
    drafting: DraftingSetting.default(DEFAULT_DRAFTING),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.drafting.engine === 'llm' && !s.drafting.model) {
      ctx.addIssue({ code: 'custom', path: ['drafting', 'model'], message: 'the llm engine needs a model pack or a .gguf file' });
    }
    if (s.drafting.engine === 'server') {
      if (!s.drafting.server)
        ctx.addIssue({
          code: 'custom',
          path: ['drafting', 'server'],
          message: 'the server engine needs the server address and model name',
        });
      else checkServerRule(s.drafting.server, ['drafting', 'server', 'baseUrl'], ctx);
    }
    if (s.recognition.engine === 'server') {
      if (!s.recognition.server)
        ctx.addIssue({
          code: 'custom',
          path: ['recognition', 'server'],
          message: "the server engine needs the transcription server's address and model name",
        });
      else checkServerRule(s.recognition.server, ['recognition', 'server', 'baseUrl'], ctx);
    }
    if (s.recognition.engine !== 'sherpa' && s.recognition.model !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['recognition', 'model'],
        message: `the ${s.recognition.engine} engine has no model choice here (leave the model empty)`,
      });
    }
    if (s.recognition.engine === 'sherpa' && (s.recognition.model === null || !RECOGNITION_MODELS.includes(s.recognition.model))) {
      ctx.addIssue({
        code: 'custom',
        path: ['recognition', 'model'],
        message: `the sherpa engine needs one of the models ${RECOGNITION_MODELS.join(', ')}`,
      });
    }
    if (s.ehr.mode === 'fhir' && (!s.ehr.baseUrl || !s.ehr.clientId)) {
      ctx.addIssue({ code: 'custom', path: ['ehr'], message: 'a FHIR EHR needs its base URL and the client id registered for Scribe' });
    }
  });
export type WorkstationSettings = z.infer<typeof WorkstationSettings>;

export const DEFAULT_SETTINGS: WorkstationSettings = {
  recognition: { engine: 'sphinx', model: null },
  ehr: { mode: 'sandbox', baseUrl: null, clientId: null },
  drafting: DEFAULT_DRAFTING,
};

/** A change: either group may be given whole. */
export interface SettingsPatch {
  recognition?: z.input<typeof WorkstationSettings>['recognition'];
  ehr?: WorkstationSettings['ehr'];
  /** Validated by WorkstationSettings (allowedPlainHosts defaults to none). */
  drafting?: z.input<typeof DraftingSetting>;
}

export interface SettingsStore {
  /** The settings in force (the defaults when the file is missing or unreadable). Synchronous: read at every visit start. */
  current(): WorkstationSettings;
  /** Why the file on disk could not be used, in plain words; null when it was fine or absent. */
  problem(): string | null;
  /** Validate, write atomically, audit every changed value (`settings.changed`), and return the new settings. */
  set(actor: AuditCaller, patch: SettingsPatch): Promise<WorkstationSettings>;
  /** Audit a setting kept outside the file (a keychain secret): `settings.changed` with `set`/`removed`, never the value. */
  secretChanged(actor: AuditCaller, key: string, to: 'set' | 'removed'): Promise<void>;
  readonly file: string;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 4)
    .map((i) => `${i.path.length ? i.path.join('.') : 'settings'}: ${i.message}`)
    .join('; ');
}

/** Each problem by the setting it concerns ("drafting.server.baseUrl"), for Settings to show beside its field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || 'settings'] ??= issue.message;
  return fields;
}

function load(file: string): { settings: WorkstationSettings; problem: string | null } {
  if (!existsSync(file)) return { settings: DEFAULT_SETTINGS, problem: null };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return {
      settings: DEFAULT_SETTINGS,
      problem: `The settings file ${SETTINGS_FILE} is not readable JSON (${(error as Error).message}); the defaults are in use until settings are saved again`,
    };
  }
  const parsed = WorkstationSettings.safeParse(raw);
  if (!parsed.success) {
    return {
      settings: DEFAULT_SETTINGS,
      problem: `The settings file ${SETTINGS_FILE} is not valid (${describe(parsed.error)}); the defaults are in use until settings are saved again`,
    };
  }
  return { settings: parsed.data, problem: null };
}

/** The value of one setting as an audit code (the audit log takes codes, never free text). */
function auditValue(value: string | null): string | null {
  return value === null ? null : asCode(value);
}

/**
 * Open the settings of a data dir. Never throws for a bad file: the defaults are used, the problem is
 * reported by `problem()`, and the bad file is kept aside (`.bad-<time>`) when settings are next saved.
 */
export function openSettings(opts: { dir: string; audit?: AuditLog | (() => AuditLog | null); now?: () => Date }): SettingsStore {
  const file = path.join(opts.dir, SETTINGS_FILE);
  const now = opts.now ?? (() => new Date());
  let { settings, problem } = load(file);
  let writing: Promise<unknown> = Promise.resolve();

  const auditLog = (): AuditLog | null | undefined => (typeof opts.audit === 'function' ? opts.audit() : opts.audit);

  async function write(actor: AuditCaller, patch: SettingsPatch): Promise<WorkstationSettings> {
    const candidate = {
      ...settings,
      ...(patch.recognition ? { recognition: patch.recognition } : {}),
      ...(patch.ehr ? { ehr: patch.ehr } : {}),
      ...(patch.drafting ? { drafting: patch.drafting } : {}),
    };
    const parsed = WorkstationSettings.safeParse(candidate);
    if (!parsed.success)
      throw new ScribeError('bad_request', `Settings not saved: ${describe(parsed.error)}`, { fields: fieldErrors(parsed.error) });
    const next = parsed.data;
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    if (problem && existsSync(file)) await copyFile(file, `${file}.bad-${now().toISOString().replace(/[:.]/g, '-')}`);
    await writeFileAtomic(file, Buffer.from(`${JSON.stringify(next, null, 2)}\n`));
    const before = settings;
    settings = next;
    problem = null;
    const audit = auditLog();
    if (audit) {
      const changes: [string, string | null, string | null][] = [
        ['recognition.engine', before.recognition.engine, next.recognition.engine],
        ['recognition.model', before.recognition.model, next.recognition.model],
        ['recognition.server', before.recognition.server?.baseUrl ?? null, next.recognition.server?.baseUrl ?? null],
        ['recognition.serverModel', before.recognition.server?.model ?? null, next.recognition.server?.model ?? null],
        ['ehr.mode', before.ehr.mode, next.ehr.mode],
        ['ehr.baseUrl', before.ehr.baseUrl, next.ehr.baseUrl],
        ['ehr.clientId', before.ehr.clientId, next.ehr.clientId],
        ['ehr.name', before.ehr.name ?? null, next.ehr.name ?? null],
        ['ehr.identifierBase', before.ehr.identifierBase ?? null, next.ehr.identifierBase ?? null],
        ['ehr.organization', before.ehr.organization ?? null, next.ehr.organization ?? null],
        [
          'ehr.redirectPort',
          before.ehr.redirectPort == null ? null : String(before.ehr.redirectPort),
          next.ehr.redirectPort == null ? null : String(next.ehr.redirectPort),
        ],
        ['drafting.engine', before.drafting.engine, next.drafting.engine],
        ['drafting.model', before.drafting.model, next.drafting.model],
        ['drafting.server', before.drafting.server?.baseUrl ?? null, next.drafting.server?.baseUrl ?? null],
        ['drafting.serverModel', before.drafting.server?.model ?? null, next.drafting.server?.model ?? null],
      ];
      for (const [key, from, to] of changes) {
        if (from === to) continue;
        await auditAction(audit, actor, 'settings.changed', { details: { key, from: auditValue(from), to: auditValue(to) } });
      }
    }
    return next;
  }

  return {
    file,
    current: () => settings,
    problem: () => problem,
    async secretChanged(actor, key, to) {
      const audit = auditLog();
      if (audit) await auditAction(audit, actor, 'settings.changed', { details: { key, from: null, to } });
    },
    set(actor, patch) {
      // One write at a time: two quick saves never interleave their file writes or audit records.
      const run = writing.catch(() => undefined).then(() => write(actor, patch));
      writing = run;
      return run;
    },
  };
}

export { checkEhrConnection } from './check-ehr.ts';

/** What the API handlers need: the store, and what this run actually started with. */
export interface SettingsService {
  store: SettingsStore;
  /** The EHR this run connected to at start. */
  ehrInUse: { mode: 'sandbox' | 'fhir'; baseUrl: string };
  /** An engine forced for this run (command line), overriding the saved one; null when none. */
  engineOverride: EngineSetting | null;
  /** The OS keychain, for the practice server's API key (account DRAFTING_SERVER_KEY_ACCOUNT). */
  secrets?: SecretStore;
}

/** The engine and model a new visit or dictation uses now (read at each transcriber start). */
export function recognitionInForce(service: Pick<SettingsService, 'store' | 'engineOverride'>): {
  engine: EngineSetting;
  model?: string;
  server?: { baseUrl: string; model: string; allowedPlainHosts: string[] };
} {
  const saved = service.store.current().recognition;
  // The saved server stays in force under an override to `server` (the command line names no address).
  const server = saved.server ? { server: saved.server } : {};
  if (service.engineOverride && service.engineOverride !== saved.engine)
    return { engine: service.engineOverride, ...(service.engineOverride === 'server' ? server : {}) };
  return { engine: saved.engine, ...(saved.model ? { model: saved.model } : {}), ...(saved.engine === 'server' ? server : {}) };
}

/** Where one step of a visit runs: on this computer, or sent to a practice server (its host; null when none is set). */
export interface ProcessingPlace {
  on: 'computer' | 'server';
  host: string | null;
}

function placeOf(engine: string, server: { baseUrl: string } | null | undefined): ProcessingPlace {
  if (engine !== 'server') return { on: 'computer', host: null };
  if (!server?.baseUrl) return { on: 'server', host: null };
  try {
    return { on: 'server', host: new URL(server.baseUrl).host };
  } catch {
    return { on: 'server', host: server.baseUrl };
  }
}

/**
 * Where a new visit's recognition and drafting run under the settings in force, worked out once here (decision 0205):
 * the command-line engine override counts, and a step set to a practice server counts as sent there even before an
 * address is set (what the patient is told must never understate where their words go).
 */
export function processingInForce(service: Pick<SettingsService, 'store' | 'engineOverride'>): {
  recognition: ProcessingPlace;
  drafting: ProcessingPlace;
} {
  const recognition = recognitionInForce(service);
  const drafting = service.store.current().drafting;
  return { recognition: placeOf(recognition.engine, recognition.server), drafting: placeOf(drafting.engine, drafting.server) };
}

/** The EHR the saved settings ask for, as createCore's `ehr` option (sandbox unless a FHIR EHR is saved). */
export function ehrFromSettings(
  settings: WorkstationSettings,
): { mode: 'sandbox' } | { mode: 'fhir'; baseUrl: string; clientId: string; label?: string } {
  const { mode, baseUrl, clientId, name } = settings.ehr;
  return mode === 'fhir' && baseUrl && clientId
    ? { mode: 'fhir', baseUrl, clientId, ...(name ? { label: name } : {}) }
    : { mode: 'sandbox' };
}
