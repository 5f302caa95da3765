import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing used by every vault file. One "sealed box" is `iv(12) | tag(16) | ciphertext`;
 * the additional authenticated data (AAD) binds it to where it belongs (vault, file, frame number), so a
 * ciphertext copied to another place, reordered or altered fails authentication.
 */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const KEY_BYTES = 32;
export const SEAL_OVERHEAD = IV_BYTES + TAG_BYTES;

export class VaultIntegrityError extends Error {
  constructor(what: string) {
    super(`${what} failed authentication: the file was altered or corrupted, so Scribe will not use it`);
    this.name = 'VaultIntegrityError';
  }
}

export function newKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function seal(key: Buffer, plaintext: Uint8Array, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

/** Returns null when the box does not authenticate (callers decide whether that is tampering or a torn write). */
export function tryOpen(key: Buffer, box: Buffer, aad: Buffer): Buffer | null {
  if (box.length < SEAL_OVERHEAD) return null;
  const iv = box.subarray(0, IV_BYTES);
  const tag = box.subarray(IV_BYTES, SEAL_OVERHEAD);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(box.subarray(SEAL_OVERHEAD)), decipher.final()]);
  } catch {
    return null;
  }
}

export function open(key: Buffer, box: Buffer, aad: Buffer, what: string): Buffer {
  const plain = tryOpen(key, box, aad);
  if (!plain) throw new VaultIntegrityError(what);
  return plain;
}

/** `label | 0x00 | parts joined by 0x00`: unambiguous AAD from strings and numbers. */
export function aadOf(label: string, ...parts: (string | number)[]): Buffer {
  return Buffer.from([label, ...parts.map(String)].join('\u0000'), 'utf8');
}

// ── audio frames ────────────────────────────────────────────────────────────
// An audio file is MAGIC followed by frames `u32 BE sealed length | sealed box`. Each frame is sealed on
// its own with AAD (file id, frame number), so every fsync'd frame is independently readable and a
// frame that was dropped, swapped or altered is detected. Only a torn tail (crash mid-write) is skipped.

export const AUDIO_MAGIC = Buffer.from('SCRIBEA1', 'ascii');
/** Largest plaintext in one frame; bigger appends are split. 1 MiB ≈ 33 s of 16 kHz mono PCM16. */
export const AUDIO_FRAME_MAX_PLAIN = 1024 * 1024;
const FRAME_HEADER = 4;
/** A failing frame that starts further than this from the end of the file cannot be a torn tail. */
const TORN_TAIL_WINDOW = FRAME_HEADER + SEAL_OVERHEAD + AUDIO_FRAME_MAX_PLAIN;

export function audioFrameAad(fileId: string, index: number): Buffer {
  return aadOf('scribe-vault/audio-frame/1', fileId, index);
}

export function sealAudioFrame(key: Buffer, fileId: string, index: number, pcm: Uint8Array): Buffer {
  const box = seal(key, pcm, audioFrameAad(fileId, index));
  const header = Buffer.alloc(FRAME_HEADER);
  header.writeUInt32BE(box.length, 0);
  return Buffer.concat([header, box]);
}

export interface AudioScan {
  /** Plaintext of every intact frame, in order (only when asked for). */
  frames: Buffer[];
  frameCount: number;
  plainBytes: number;
  /** File offset just after the last intact frame: where the next frame goes. */
  intactLength: number;
  /** Bytes after the last intact frame that were dropped as a torn write (0 when the file is whole). */
  tornBytes: number;
}

/**
 * Reads the frames of an audio file. A torn tail (fewer bytes than a frame header, a frame running past
 * the end of the file, or a zero-filled tail as some file systems leave after power loss) is dropped;
 * any other frame that fails authentication throws VaultIntegrityError.
 */
export function scanAudio(key: Buffer, fileId: string, file: Buffer, keepFrames: boolean, what: string): AudioScan {
  const frames: Buffer[] = [];
  if (file.length === 0) return { frames, frameCount: 0, plainBytes: 0, intactLength: 0, tornBytes: 0 };
  if (file.length < AUDIO_MAGIC.length) {
    // The file was created but its magic was torn: nothing was ever appended.
    return { frames, frameCount: 0, plainBytes: 0, intactLength: 0, tornBytes: file.length };
  }
  if (!file.subarray(0, AUDIO_MAGIC.length).equals(AUDIO_MAGIC)) throw new VaultIntegrityError(what);
  let offset = AUDIO_MAGIC.length;
  let index = 0;
  let plainBytes = 0;
  while (offset < file.length) {
    const remaining = file.length - offset;
    const tail = file.subarray(offset);
    const inTornWindow = remaining <= TORN_TAIL_WINDOW;
    if (remaining < FRAME_HEADER) break;
    const sealedLength = file.readUInt32BE(offset);
    const end = offset + FRAME_HEADER + sealedLength;
    if (end > file.length || sealedLength < SEAL_OVERHEAD) {
      if (inTornWindow || isAllZero(tail)) break;
      throw new VaultIntegrityError(`${what} (frame ${index})`);
    }
    const plain = tryOpen(key, file.subarray(offset + FRAME_HEADER, end), audioFrameAad(fileId, index));
    if (!plain) {
      if (isAllZero(tail)) break;
      throw new VaultIntegrityError(`${what} (frame ${index})`);
    }
    if (keepFrames) frames.push(plain);
    plainBytes += plain.length;
    index += 1;
    offset = end;
  }
  return { frames, frameCount: index, plainBytes, intactLength: offset, tornBytes: file.length - offset };
}

function isAllZero(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}
