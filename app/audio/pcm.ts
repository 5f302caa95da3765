import { ScribeError } from '../contract/index.ts';
import type { DecodedWav } from './wav.ts';

/** The one sample rate the recognizers take. */
export const SPEECH_SAMPLE_RATE = 16000;
/** Below this there is not enough bandwidth for speech recognition. */
export const MIN_SPEECH_SAMPLE_RATE = 8000;

export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = v < 0 ? Math.round(v * 32768) : Math.round(v * 32767);
  }
  return out;
}

/** Average all channels into one. */
export function downmixToMono(channelData: Float32Array[]): Float32Array {
  const first = channelData[0];
  if (!first) return new Float32Array(0);
  if (channelData.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const ch of channelData) for (let i = 0; i < out.length; i++) out[i]! += ch[i]!;
  const n = channelData.length;
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

/**
 * Band-limited resampling with a Hann-windowed sinc (cut-off at the lower Nyquist frequency), good enough
 * for speech; exact identity when the rates match.
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples;
  const ratio = toRate / fromRate;
  const outLength = Math.floor(samples.length * ratio);
  const out = new Float32Array(outLength);
  const cutoff = Math.min(1, ratio) * 0.95; // relative to the input Nyquist
  const halfTaps = Math.ceil(12 / Math.min(1, ratio));
  for (let o = 0; o < outLength; o++) {
    const centre = o / ratio;
    const first = Math.max(0, Math.ceil(centre - halfTaps));
    const last = Math.min(samples.length - 1, Math.floor(centre + halfTaps));
    let acc = 0;
    let norm = 0;
    for (let i = first; i <= last; i++) {
      const x = i - centre;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / (halfTaps + 1));
      const w = sinc * window;
      acc += samples[i]! * w;
      norm += w;
    }
    out[o] = norm === 0 ? 0 : acc / norm;
  }
  return out;
}

/** Any decoded WAV → 16 kHz mono 16-bit PCM, refusing rates too low for speech. */
export function toSpeechPcm(wav: DecodedWav): Int16Array {
  if (wav.sampleRate < MIN_SPEECH_SAMPLE_RATE) {
    throw new ScribeError(
      'unsupported',
      `sample rate ${wav.sampleRate} Hz is too low for speech recognition (need at least ${MIN_SPEECH_SAMPLE_RATE} Hz; 16000 Hz preferred)`,
    );
  }
  return floatToPcm16(resample(downmixToMono(wav.channelData), wav.sampleRate, SPEECH_SAMPLE_RATE));
}

/** Concatenate PCM chunks. */
export function concatPcm(chunks: readonly Int16Array[]): Int16Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Int16Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
