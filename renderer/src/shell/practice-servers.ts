import type { CallOutput } from '../../../app/contract/index.ts';

/** Where a new visit's recognition and drafting run, as the core works it out (settings.get; decision 0205). */
export type Processing = CallOutput<'settings.get'>['processing'];
type Place = Processing['recognition'];

/** The practice servers a visit's audio or text is sent to ([]: all stays here; null while the settings are unknown). */
export function practiceServers(processing: Processing | null): string[] | null {
  if (!processing) return null;
  const hosts = new Set<string>();
  for (const place of [processing.recognition, processing.drafting])
    if (place.on === 'server') hosts.add(place.host ?? 'the practice server');
  return [...hosts];
}

function where(place: Place): string {
  if (place.on === 'computer') return 'on this computer';
  return place.host ? `on our own server (${place.host})` : 'on our own server';
}

/**
 * What the screen says while a visit is processed: which step runs where ("Transcribing on this computer, drafting on
 * our own server (llm.clinic.local)…"). While the settings are unknown it names no place.
 */
export function processingLine(processing: Processing | null): string {
  if (!processing) return 'Transcribing and drafting…';
  const recognition = where(processing.recognition);
  const drafting = where(processing.drafting);
  return recognition === drafting ? `Transcribing and drafting ${recognition}…` : `Transcribing ${recognition}, drafting ${drafting}…`;
}
