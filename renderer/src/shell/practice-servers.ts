import type { CallOutput } from '../../../app/contract/index.ts';

/** The practice servers a visit's audio or text is sent to under the workstation's settings (none: all stays here). */
export function practiceServers(settings: CallOutput<'settings.get'> | null): string[] | null {
  if (!settings) return null;
  const hosts = new Set<string>();
  const recognitionEngine = settings.engineOverride ?? settings.recognition.engine;
  const add = (baseUrl: string | undefined) => {
    if (!baseUrl) return;
    try {
      hosts.add(new URL(baseUrl).host);
    } catch {
      hosts.add(baseUrl);
    }
  };
  if (recognitionEngine === 'server') add(settings.recognition.server?.baseUrl ?? 'the practice server');
  if (settings.drafting.engine === 'server') add(settings.drafting.server?.baseUrl ?? 'the practice server');
  return [...hosts];
}
