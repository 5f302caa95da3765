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

type Keytar = typeof import('keytar');

/**
 * The OS keychain through keytar. `service` lets tests and several workstations' profiles keep apart.
 * Probes the keychain once so that a missing Secret Service is reported as KeychainUnavailableError.
 */
export async function openKeychain(service = SERVICE_NAME): Promise<SecretStore> {
  let keytar: Keytar;
  try {
    keytar = createRequire(import.meta.url)('keytar') as Keytar;
  } catch (error) {
    throw new KeychainUnavailableError(error);
  }
  // Probe with a lookup that matches no item: it reaches the Secret Service (and unlocks nothing) without
  // reading other items, which another process may be changing at the same moment. One retry absorbs a
  // keyring daemon that is still starting.
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await keytar.getPassword(service, PROBE_ACCOUNT);
      lastError = null;
      break;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (lastError) throw new KeychainUnavailableError(lastError);
  return {
    kind: 'keychain',
    get: (account) => keytar.getPassword(service, account),
    set: (account, secret) => keytar.setPassword(service, account, secret),
    delete: (account) => keytar.deletePassword(service, account),
    list: async () => (await keytar.findCredentials(service)).map((c) => c.account).sort(),
  };
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
