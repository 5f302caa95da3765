import { ScribeError } from '../contract/index.ts';

/** Decoded contents of a RIFF/WAVE file: interleaved samples as floats in [-1, 1]. */
export interface DecodedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 = integer PCM, 3 = IEEE float. */
  format: 1 | 3;
  /** Number of sample frames (per channel). */
  frames: number;
  /** One Float32Array per channel. */
  channelData: Float32Array[];
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function unsupported(what: string): ScribeError {
  return new ScribeError('unsupported', `unsupported format: ${what}`);
}

function bad(what: string): ScribeError {
  return new ScribeError('bad_request', what);
}

/** Recognize common non-WAV containers so the error names what the file is. */
function sniffOtherFormat(buf: Uint8Array): string | null {
  const ascii = (start: number, len: number) => String.fromCharCode(...buf.subarray(start, start + len));
  if (buf.length >= 4 && ascii(0, 4) === 'fLaC') return 'FLAC';
  if (buf.length >= 4 && ascii(0, 4) === 'OggS') return 'Ogg (Opus/Vorbis)';
  if (buf.length >= 3 && ascii(0, 3) === 'ID3') return 'MP3';
  if (buf.length >= 2 && buf[0] === 0xff && ((buf[1] ?? 0) & 0xe0) === 0xe0) return 'MP3/AAC';
  if (buf.length >= 12 && ascii(4, 4) === 'ftyp') return 'MP4/M4A';
  if (buf.length >= 4 && buf[0] === 0x1a && buf[1] === 0x45 && buf[2] === 0xdf && buf[3] === 0xa3) return 'WebM/Matroska';
  if (buf.length >= 4 && ascii(0, 4) === 'FORM') return 'AIFF';
  return null;
}

/**
 * Parse a RIFF/WAVE file (PCM 8/16/24/32-bit or float 32/64, any channel count).
 * Throws ScribeError with a message that says what is wrong: not a WAV at all, a truncated header,
 * a compressed encoding, or no audio.
 */
export function parseWav(input: Uint8Array): DecodedWav {
  const layout = parseWavHeader(input);
  const channelData = decodeWavFrames(layout, input.subarray(layout.dataStart, layout.dataStart + layout.frames * layout.frameBytes));
  return {
    sampleRate: layout.sampleRate,
    channels: layout.channels,
    bitsPerSample: layout.bitsPerSample,
    format: layout.format,
    frames: layout.frames,
    channelData,
  };
}

/** Where a WAV file's samples are and how they are encoded. */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  format: 1 | 3;
  /** Byte offset of the first sample in the file, bytes per frame, and whole frames present. */
  dataStart: number;
  frameBytes: number;
  frames: number;
}

/**
 * Read a WAV header. `buf` may be only the start of the file when `totalSize` (the file's size) is given:
 * the sample count is then taken from the file size. Same errors as parseWav.
 */
export function parseWavHeader(input: Uint8Array, totalSize = input.length): WavLayout {
  const buf = input;
  if (totalSize === 0) throw bad('the audio file is empty (zero bytes)');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (at: number) => String.fromCharCode(buf[at] ?? 0, buf[at + 1] ?? 0, buf[at + 2] ?? 0, buf[at + 3] ?? 0);
  const isRiff = buf.length >= 4 && (tag(0) === 'RIFF' || tag(0) === 'RF64');
  if (!isRiff) {
    const other = sniffOtherFormat(buf);
    if (other) throw unsupported(`${other} audio; convert it to WAV (16-bit PCM) first`);
    throw unsupported('not a WAV file (no RIFF/WAVE header); only WAV audio is accepted here');
  }
  if (buf.length < 12) throw bad(`truncated WAV header: ${buf.length} bytes, a WAV header needs at least 44`);
  if (tag(8) !== 'WAVE') throw unsupported(`RIFF file of type "${tag(8)}", not WAVE audio`);

  let fmt: {
    format: number;
    channels: number;
    sampleRate: number;
    bitsPerSample: number;
    blockAlign: number;
    byteRate: number;
  } | null = null;
  let dataStart = -1;
  let dataLength = 0;
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw bad('truncated WAV header: the "fmt " chunk is cut short');
      let format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const sampleRate = view.getUint32(body + 4, true);
      const byteRate = view.getUint32(body + 8, true);
      const blockAlign = view.getUint16(body + 12, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 40 && body + 26 <= buf.length) {
        format = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = { format, channels, sampleRate, bitsPerSample, blockAlign, byteRate };
    } else if (id === 'data') {
      dataStart = body;
      // Streaming writers leave 0 or 0xFFFFFFFF as the size; a cut-off file has less than it claims.
      dataLength = size === 0 || size === 0xffffffff ? totalSize - body : Math.min(size, totalSize - body);
      break;
    }
    at = body + size + (size % 2);
  }
  if (!fmt) throw bad('truncated WAV header: no "fmt " chunk before the end of the file');
  if (dataStart < 0) throw bad('truncated WAV file: no "data" chunk (the header is incomplete or the file was cut off)');
  if (fmt.format !== WAVE_FORMAT_PCM && fmt.format !== WAVE_FORMAT_IEEE_FLOAT) {
    throw unsupported(`WAV encoding ${fmt.format} (compressed); only PCM or float WAV is accepted`);
  }
  if (fmt.channels < 1 || fmt.channels > 32) throw bad(`WAV header says ${fmt.channels} channels`);
  if (fmt.sampleRate < 1000 || fmt.sampleRate > 384000) throw bad(`WAV header says sample rate ${fmt.sampleRate} Hz`);
  const validBits = fmt.format === WAVE_FORMAT_PCM ? [8, 16, 24, 32] : [32, 64];
  if (!validBits.includes(fmt.bitsPerSample)) {
    throw unsupported(`${fmt.bitsPerSample}-bit ${fmt.format === WAVE_FORMAT_PCM ? 'PCM' : 'float'} WAV`);
  }
  const bytesPerSample = fmt.bitsPerSample / 8;
  if (fmt.blockAlign !== bytesPerSample * fmt.channels || fmt.byteRate !== fmt.sampleRate * fmt.blockAlign) {
    throw bad(
      `inconsistent WAV header: sample rate ${fmt.sampleRate} Hz × ${fmt.channels} channel(s) × ${fmt.bitsPerSample} bits ` +
        `does not match its byte rate ${fmt.byteRate} / block size ${fmt.blockAlign}`,
    );
  }
  const frameBytes = bytesPerSample * fmt.channels;
  const frames = Math.floor(dataLength / frameBytes);
  if (frames === 0) throw bad('the WAV file holds no audio (zero-length data chunk)');
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    bitsPerSample: fmt.bitsPerSample,
    format: fmt.format as 1 | 3,
    dataStart,
    frameBytes,
    frames,
  };
}

/** Decode whole frames of sample bytes (as laid out by `layout`) into one Float32Array per channel. */
export function decodeWavFrames(layout: WavLayout, bytes: Uint8Array): Float32Array[] {
  const frames = Math.floor(bytes.length / layout.frameBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPerSample = layout.bitsPerSample / 8;
  const channelData = Array.from({ length: layout.channels }, () => new Float32Array(frames));
  const read = sampleReader(view, layout.format, layout.bitsPerSample);
  for (let f = 0; f < frames; f++) {
    const base = f * layout.frameBytes;
    for (let c = 0; c < layout.channels; c++) channelData[c]![f] = read(base + c * bytesPerSample);
  }
  return channelData;
}

function sampleReader(view: DataView, format: 1 | 3, bits: number): (at: number) => number {
  if (format === WAVE_FORMAT_IEEE_FLOAT) {
    return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  }
  switch (bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => {
        const v = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
        return v / 8388608;
      };
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/** Encode 16-bit mono (or interleaved) PCM as a canonical 44-byte-header WAV file. */
export function encodeWav(pcm: Int16Array, sampleRate = 16000, channels = 1): Uint8Array {
  const dataBytes = pcm.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const writeTag = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  writeTag(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  writeTag(8, 'WAVE');
  writeTag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  writeTag(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.length; i++) view.setInt16(44 + i * 2, pcm[i]!, true);
  return out;
}
