import { createRequire } from 'node:module';

/** Where secrets (vault master key, EHR refresh tokens) live: the OS keychain, never a file. */
export interface SecretStore {
  readonly kind: 'keychain' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Accounts stored under this store's service (no secrets). */
  list(): Promise<string[]>;
}

export const SERVICE_NAME = 'org.scribe.desktop';
const PROBE_ACCOUNT = 'scribe-keychain-probe';

export class KeychainUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      'The OS keychain is not available, so Scribe will not store patient data on this machine. ' +
        'Start a keyring (on Linux: gnome-keyring or KWallet with the Secret Service running and unlocked) and try again. ' +
        `(${cause instanceof Error ? cause.message : String(cause)})`,
    );
    this.name = 'KeychainUnavailableError';
  }
}

type Keyring = typeof import('@napi-rs/keyring');
/** The two calls of the archived `keytar` binding that reading an older installation's keys needs. */
interface LegacyKeytar {
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const require = createRequire(import.meta.url);

/**
 * The OS keychain through @napi-rs/keyring (keyring-rs). `service` lets tests and several workstations'
 * profiles keep apart. On Linux the entry is pinned to the Secret Service: keyring-rs would otherwise fall
 * back to the kernel keyring, which forgets everything at reboot (and with it the vault's master key).
 * Probes the keychain once so that a missing Secret Service is reported as KeychainUnavailableError. A key
 * an older installation stored through keytar is carried over when it is first asked for (decision 0160).
 */
export async function openKeychain(service = SERVICE_NAME): Promise<SecretStore> {
  let keyring: Keyring;
  try {
    keyring = require('@napi-rs/keyring') as Keyring;
  } catch (error) {
    throw new KeychainUnavailableError(error);
  }
  const options = { linux: { store: 'secret-service' as const } };
  const entry = (account: string) => new keyring.AsyncEntry(service, account, options);
  // Probe with a lookup that matches no item: it reaches the Secret Service (and unlocks nothing) without
  // reading other items, which another process may be changing at the same moment. One retry absorbs a
  // keyring daemon that is still starting.
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await entry(PROBE_ACCOUNT).getPassword();
      lastError = null;
      break;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (lastError) throw new KeychainUnavailableError(lastError);
  const current = {
    get: async (account: string) => (await entry(account).getPassword()) ?? null,
    set: (account: string, secret: string) => entry(account).setPassword(secret),
  };
  return {
    kind: 'keychain',
    get: async (account) => (await current.get(account)) ?? (await carryOverKeytarKey(service, account, current)),
    set: current.set,
    delete: async (account) => {
      const deleted = await entry(account).deleteCredential();
      // An entry keytar stored and nobody read since must go too, or the next read would carry it back.
      const legacy = loadKeytar();
      const deletedLegacy = legacy ? await legacy.deletePassword(service, account).catch(() => false) : false;
      return deleted || deletedLegacy;
    },
    list: async () => (await keyring.findCredentialsAsync(service)).map((c) => c.account).sort(),
  };
}

/**
 * Keys stored through keytar (Scribe before decision 0160) are, on Linux, Secret Service items with the
 * attributes `service` + `account`; keyring-rs writes and looks up `service` + `username` + `target`, so it
 * does not see them (on Windows the credential's target name differs too; on macOS both address the same
 * Keychain item, so the first lookup already finds it). When a key is missing under the new binding and the
 * legacy binding is installed (an optional dependency), the old entry is read with keytar's own lookup,
 * written under the new binding, read back, and only then deleted from the old place.
 * Only exact lookups are made through keytar: its `findCredentials` crashes the process on items that
 * another binding wrote under the same service (it copies their missing `account` attribute).
 */
export async function carryOverKeytarKey(
  service: string,
  account: string,
  current: Pick<SecretStore, 'get' | 'set'>,
  legacy = loadKeytar(),
): Promise<string | null> {
  if (!legacy) return null;
  let secret: string | null;
  try {
    secret = await legacy.getPassword(service, account);
  } catch {
    return null; // The legacy binding cannot reach the keychain: there is nothing it could carry over.
  }
  if (secret === null) return null;
  await current.set(account, secret);
  if ((await current.get(account)) !== secret) {
    throw new Error(`Scribe could not copy the keychain entry ${account} to its new keychain binding; the old entry was left in place.`);
  }
  await legacy.deletePassword(service, account);
  return secret;
}

let keytar: LegacyKeytar | null | undefined;
function loadKeytar(): LegacyKeytar | null {
  if (keytar === undefined) {
    try {
      keytar = require('keytar') as LegacyKeytar;
    } catch {
      keytar = null; // Not installed (it is optional): an installation that never had it has nothing to carry over.
    }
  }
  return keytar;
}

/** For unit tests only: never used by the app to hold real secrets. */
export function createMemorySecretStore(): SecretStore {
  const map = new Map<string, string>();
  return {
    kind: 'memory',
    get: async (account) => map.get(account) ?? null,
    set: async (account, secret) => void map.set(account, secret),
    delete: async (account) => map.delete(account),
    list: async () => [...map.keys()].sort(),
  };
}
export { checkPracticeServerUrl, openAiEndpoint } from './practice-server.ts';
