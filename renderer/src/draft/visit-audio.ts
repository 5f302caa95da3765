import { callScribe } from '../bridge.ts';

let current: HTMLAudioElement | null = null;

/** Plays a stretch of the visit's audio (the core cuts the WAV); stops whatever evidence audio was playing. */
export async function playVisitAudio(visitId: string, start: number, end: number): Promise<void> {
  const clip = await callScribe('visit.audioClip', { visitId, start, end: Math.max(end, start + 0.2) });
  const bytes = Uint8Array.from(atob(clip.wavBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
  current?.pause();
  const audio = new Audio(url);
  current = audio;
  audio.onended = () => URL.revokeObjectURL(url);
  await audio.play();
}
