import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';
import { checkEhrConnection, type SettingsService } from '../../settings/index.ts';

function view(service: SettingsService) {
  const current = service.store.current();
  return { ...current, ehrInUse: service.ehrInUse, engineOverride: service.engineOverride, problem: service.store.problem() };
}

/** Workstation settings (app/settings): reading for everyone; changes and EHR checks for clinician and manager (decision 0081). */
export function settingsHandlers(s: CoreServices): PartialHandlers<'settings.get' | 'settings.set' | 'settings.checkEhr'> {
  return {
    'settings.get': () => view(s.settings),
    'settings.set': async (patch, ctx) => {
      const service = s.settings;
      // Where patient data goes is the practice's decision, not any clinician's (#15, decision 0123): the
      // EHR connection is the practice manager's (standing in for the IT admin); recognition stays open to clinicians.
      if (patch.ehr && ctx.user!.role !== 'manager') {
        throw new ScribeError('forbidden', 'The EHR connection is set by the practice manager or IT admin, not from a clinician\'s profile');
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
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ScribeError('bad_request', 'The EHR base URL must start with https://');
      return checkEhrConnection(url.toString());
    },
  };
}
