import type { SecretStore } from '../secrets/index.ts';

/**
 * The vault: every byte of PHI Scribe writes to disk goes through here (docs/security.md,
 * docs/decisions/0050-vault-keyring.md).
 *
 * - Each record (a visit's `visit.json`, `transcript.json`, its audio, an outbox entry...) has its own
 *   AES-256-GCM data key, created on first write. Data keys and the visit ids / record names live in one
 *   keyring file sealed by a master key that is kept only in the OS keychain (@napi-rs/keyring).
 * - Files on disk have random names; nothing in a path or a header reveals a visit, patient or record name.
 * - Crypto-shredding removes the data keys from the keyring and then rotates the master key, so even a
 *   stale copy of the old keyring (backup, SSD remnant) can no longer be opened.
 */
export interface RecordStore {
  /** Atomic replace (tmp + fsync + rename), encrypted with AES-256-GCM. */
  write(key: string, data: Uint8Array | string): Promise<void>;
  /** null when the record does not exist; throws VaultIntegrityError when it was altered. */
  read(key: string): Promise<Buffer | null>;
  readJson<T>(key: string): Promise<T | null>;
  writeJson(key: string, value: unknown): Promise<void>;
  /** Deletes the record and its data key. */
  delete(key: string): Promise<void>;
  list(): Promise<string[]>;
}

export interface AudioStatus {
  /** Plaintext PCM bytes in intact frames. */
  bytes: number;
  frames: number;
  /** Bytes of a torn last frame (crash mid-write) that readAudio skips and the next append replaces. */
  tornBytes: number;
}

export interface VisitVault extends RecordStore {
  readonly visitId: string;
  /** Crash-safe append: each call is one (or more, above 1 MiB) independently sealed frame, fsync'd before resolving. */
  appendAudio(pcm: Uint8Array): Promise<void>;
  /** All intact frames; a torn last frame is dropped (recovery). Empty when no audio was recorded. */
  readAudio(): Promise<Buffer>;
  audioBytes(): Promise<number>;
  audioStatus(): Promise<AudioStatus>;
  /** Whether the visit has an audio key (cheap: no file is read). False after the audio was shredded. */
  hasAudio(): Promise<boolean>;
}

export interface Vault {
  readonly dir: string;
  visit(visitId: string): VisitVault;
  namespace(name: string): RecordStore;
  /** Crypto-shred: deletes every data key of the visit, then its files, then rotates the master key. */
  shredVisit(visitId: string): Promise<void>;
  /** Crypto-shred one record of a visit, e.g. `shredRecord(id, AUDIO_RECORD)` destroys only the audio. */
  shredRecord(visitId: string, name: string): Promise<void>;
  /** New master key in the keychain; all data keys re-wrapped under it; the old one deleted. */
  rotateMasterKey(): Promise<void>;
  listVisits(): Promise<string[]>;
  listNamespaces(): Promise<string[]>;
  /** Closes open audio files and releases the vault's lock file. */
  close(): Promise<void>;
}

/** The record name of a visit's audio, for shredRecord. Not usable with write()/read(). */
export const AUDIO_RECORD = 'audio';

export interface OpenVaultOptions {
  dir: string;
  secrets: SecretStore;
  /** Rotate the master key after each shred (default true; see decision 0050). */
  rotateAfterShred?: boolean;
}
