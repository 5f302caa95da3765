import { callScribe } from '../bridge.ts';

const RATE = 16000;
const CHUNK = RATE / 2;

function toBase64(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A recording made elsewhere (any format the browser can decode: WAV, MP3, M4A, OGG, WebM...) becomes a
 * visit: decoded and resampled to 16 kHz mono here, then streamed to the core exactly like live capture.
 */
export const SAMPLE_RATE = RATE;

export async function decodeRecording(file: File): Promise<Int16Array> {
  const data = await file.arrayBuffer();
  if (data.byteLength === 0) throw new Error(`${file.name} is empty`);
  const probe = new AudioContext();
  let decoded: AudioBuffer;
  try {
    decoded = await probe.decodeAudioData(data);
  } catch {
    throw new Error(`${file.name} is not an audio format this computer can decode`);
  } finally {
    void probe.close();
  }
  const frames = Math.ceil(decoded.duration * RATE);
  if (frames === 0) throw new Error(`${file.name} holds no audio`);
  const offline = new OfflineAudioContext(1, frames, RATE);
  const source = offline.createBufferSource();
  source.buffer = decoded;
  source.connect(offline.destination);
  source.start();
  const mono = (await offline.startRendering()).getChannelData(0);
  const pcm = new Int16Array(mono.length);
  for (let i = 0; i < mono.length; i++) {
    const s = Math.max(-1, Math.min(1, mono[i]!));
    pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
  }
  return pcm;
}

/** Streams an already decoded (checked) recording into a new visit with the patient's consent. */
export async function importRecording(encounterId: string, pcm: Int16Array, onProgress: (share: number) => void): Promise<string> {
  const visit = await callScribe('visit.start', { encounterId, consent: 'agreed' });
  let seq = 0;
  for (let i = 0; i < pcm.length; i += CHUNK) {
    await callScribe('visit.appendAudio', { visitId: visit.id, seq: seq++, pcm16: toBase64(pcm.subarray(i, i + CHUNK)) });
    onProgress(Math.min(1, (i + CHUNK) / pcm.length));
  }
  await callScribe('visit.stop', { visitId: visit.id });
  return visit.id;
}
