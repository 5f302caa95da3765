import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import { checkDraftingEngine, checkHardware, DRAFTING_SERVER_KEY_ACCOUNT, packReport, type Hardware } from '../../draft/index.ts';
import { checkPracticeServerUrl, type SecretStore } from '../../secrets/index.ts';
import { checkEhrConnection, processingInForce, type SettingsService } from '../../settings/index.ts';

function view(service: SettingsService) {
  const current = service.store.current();
  return {
    ...current,
    ehrInUse: service.ehrInUse,
    engineOverride: service.engineOverride,
    problem: service.store.problem(),
    processing: processingInForce(service),
  };
}

function keychainOf(service: SettingsService): SecretStore {
  if (!service.secrets) throw new ScribeError('unavailable', 'The OS keychain is not available to this core, so no API key can be kept');
  return service.secrets;
}

type SettingsCall =
  | 'settings.get'
  | 'settings.set'
  | 'settings.checkEhr'
  | 'settings.drafting'
  | 'settings.setDraftingKey'
  | 'settings.checkDrafting';

/** Workstation settings (app/settings): reading for everyone; changes and outbound checks for clinician and manager (decisions 0081, 0114). */
export function settingsHandlers(s: CoreServices, hardware: () => Promise<Hardware> = checkHardware): PartialHandlers<SettingsCall> {
  // The hardware does not change while Scribe runs: probed once (node-llama-cpp's GPU probe takes a moment).
  let probed: Promise<Hardware> | null = null;
  const hw = (): Promise<Hardware> =>
    (probed ??= hardware().catch((e: unknown) => {
      probed = null;
      throw e;
    }));
  const apiKey = async (service: SettingsService): Promise<string | null> =>
    service.secrets ? await service.secrets.get(DRAFTING_SERVER_KEY_ACCOUNT) : null;
  return {
    'settings.drafting': async () => {
      const service = s.settings;
      const machine = await hw();
      const { packs, recommended } = packReport(machine);
      return {
        hardware: {
          totalMemoryBytes: machine.totalMemoryBytes,
          cores: machine.cores,
          gpu: machine.gpu || null,
          gpuMemoryBytes: machine.gpuMemoryBytes,
        },
        packs: packs.map((p) => ({ ...p, installCommand: `scribe assets install ${p.name}` })),
        recommended,
        apiKeySet: (await apiKey(service)) !== null,
      };
    },
    'settings.setDraftingKey': async ({ apiKey: key }, ctx) => {
      const service = s.settings;
      const keychain = keychainOf(service);
      if (key === null) await keychain.delete(DRAFTING_SERVER_KEY_ACCOUNT).catch(() => false);
      else await keychain.set(DRAFTING_SERVER_KEY_ACCOUNT, key);
      await service.store.secretChanged(
        { id: ctx.user!.id, role: ctx.user!.role },
        'drafting.serverApiKey',
        key === null ? 'removed' : 'set',
      );
      return { apiKeySet: key !== null };
    },
    'settings.checkDrafting': async ({ drafting }) => {
      const service = s.settings;
      if (drafting.engine === 'server' && drafting.server) {
        try {
          checkPracticeServerUrl(drafting.server.baseUrl, drafting.server.allowedPlainHosts ?? []);
        } catch (error) {
          throw new ScribeError('bad_request', (error as Error).message, {
            fields: { 'drafting.server.baseUrl': (error as Error).message },
          });
        }
      }
      const threads = Number(process.env['SCRIBE_LLM_THREADS'] ?? 0);
      return checkDraftingEngine(drafting, {
        apiKey: drafting.engine === 'server' ? await apiKey(service) : null,
        ...(threads > 0 ? { threads } : {}),
      });
    },
    'settings.get': () => view(s.settings),
    'settings.set': async (patch, ctx) => {
      const service = s.settings;
      // Where patient data goes is the practice's decision, not any clinician's (#15, decision 0123): the
      // EHR connection is the practice manager's (standing in for the IT admin); recognition stays open to clinicians.
      if (patch.ehr && ctx.user!.role !== 'manager') {
        throw new ScribeError('forbidden', "The EHR connection is set by the practice manager or IT admin, not from a clinician's profile");
      }
      await service.store.set({ id: ctx.user!.id, role: ctx.user!.role }, patch);
      return view(service);
    },
    'settings.checkEhr': ({ baseUrl }) => {
      let url: URL;
      try {
        url = new URL(baseUrl);
      } catch {
        throw new ScribeError('bad_request', 'The EHR base URL must be a full address, e.g. https://ehr.example.org/fhir/R4');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw new ScribeError('bad_request', 'The EHR base URL must start with https://');
      return checkEhrConnection(url.toString());
    },
  };
}
