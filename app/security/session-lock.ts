import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ScribeError, type LockStatus, type User } from '../contract/index.ts';
import { auditAction, type AuditLog } from '../audit/index.ts';
import type { SecretStore } from '../secrets/index.ts';

/**
 * Idle lock and re-authentication (docs/decisions/0053-idle-lock.md). After `idleMs` without a person's
 * call (default 5 minutes) — or when they press Lock — the session locks: every call but the lock's own
 * and `session.get` is refused, so nothing (least of all Sign) happens until the same person unlocks with
 * their PIN. Audio already being captured keeps flowing while locked, so a visit never loses sound.
 * PINs are scrypt hashes in the OS keychain; repeated wrong PINs are slowed down.
 * The lock engages only for people who have set a PIN (otherwise nobody could unlock).
 */
export type LockUser = Pick<User, 'id' | 'role'>;

export interface SessionLockOptions {
  secrets: SecretStore;
  currentUser: () => LockUser | null;
  audit?: AuditLog;
  idleMs?: number;
  now?: () => number;
  /** Keeps this data folder's PINs and lock state apart from others in the same keychain. */
  scope?: string;
  /** Told when the lock state changes (the core forwards it to the UI as an event). */
  onChange?: (status: LockStatus) => void;
}

/** Calls that still work while locked. */
const WHILE_LOCKED = new Set(['session.get', 'session.lockStatus', 'session.unlock']);
/** Capture keeps running while locked, and does not count as a person being at the keyboard. */
const BACKGROUND = new Set(['visit.appendAudio', 'dictation.appendAudio']);
/**
 * Reads the screens repeat on their own (re-reading a visit every 3 s while its note posts, the queue
 * after an event, the lock status every 30 s): they do not show that a person is at the keyboard, so
 * they never reset the idle clock. Only the other calls (a person's changes and requests) do.
 */
const PASSIVE = new Set([
  'session.get',
  'session.lockStatus',
  'visit.get',
  'visit.list',
  'queue.list',
  'visit.recoverable',
  'settings.get',
]);
/**
 * The lock's state in the OS keychain, so quitting and relaunching neither unlocks nor forgets wrong PINs.
 * `scope` keeps apart the data folders that share one keychain (several profiles, test runs).
 */
export function lockStateAccount(scope?: string): string {
  return scope ? `session-lock:${scope}:state` : 'session-lock:state';
}
interface PersistedLock {
  locked: { userId: string; reason: 'idle' | 'user' | 'restart' } | null;
  failures: number;
  retryAt: number;
}
const PIN_PATTERN = /^[0-9]{4,12}$/;
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const FREE_ATTEMPTS = 5;

function scrypt(pin: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(pin, salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}

async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pin, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function pinAccount(userId: string, scope?: string): string {
  return scope ? `unlock-pin:${scope}:${userId}` : `unlock-pin:${userId}`;
}

export function createSessionLock(opts: SessionLockOptions) {
  const now = opts.now ?? Date.now;
  const idleMs = opts.idleMs ?? 5 * 60_000;
  let lastActivity = now();
  let locked: PersistedLock['locked'] = null;
  let failures = 0;
  let retryAt = 0;
  const pinKnown = new Map<string, boolean>();

  /** Every change of the lock state is written to the keychain before the call that made it answers. */
  async function persist(): Promise<void> {
    await opts.secrets.set(lockStateAccount(opts.scope), JSON.stringify({ locked, failures, retryAt } satisfies PersistedLock));
  }

  async function hasPin(userId: string): Promise<boolean> {
    const cached = pinKnown.get(userId);
    if (cached !== undefined) return cached;
    const present = (await opts.secrets.get(pinAccount(userId, opts.scope))) !== null;
    pinKnown.set(userId, present);
    return present;
  }

  async function status(): Promise<LockStatus> {
    const user = opts.currentUser();
    return {
      locked: locked !== null,
      ...(locked ? { lockedFor: locked.userId, reason: locked.reason } : {}),
      hasPin: user ? await hasPin(user.id) : false,
      idleMinutes: idleMs / 60_000,
      ...(retryAt > now() ? { retryAfter: new Date(retryAt).toISOString() } : {}),
    };
  }

  async function engage(user: LockUser, reason: 'idle' | 'user' | 'restart'): Promise<void> {
    if (locked) return;
    locked = { userId: user.id, reason };
    await persist();
    if (opts.audit) await auditAction(opts.audit, user, 'session.locked', { details: { reason } }).catch(() => undefined);
    opts.onChange?.(await status());
  }

  /** Locks when the person has been away longer than the idle time (checked on every call and by a timer). */
  async function checkIdle(): Promise<void> {
    const user = opts.currentUser();
    if (!locked && user && now() - lastActivity >= idleMs && (await hasPin(user.id))) await engage(user, 'idle');
  }

  return {
    status,
    checkIdle,

    /**
     * At core start: reads the saved state (a lock and its wrong-PIN count survive a restart), and locks
     * when the person signed in has a PIN, since nobody proved they are still at the keyboard.
     */
    async restore(): Promise<LockStatus> {
      const saved = await opts.secrets.get(lockStateAccount(opts.scope));
      if (saved) {
        try {
          const state = JSON.parse(saved) as PersistedLock;
          locked = state.locked && typeof state.locked.userId === 'string' ? state.locked : null;
          failures = Number.isInteger(state.failures) ? state.failures : 0;
          retryAt = Number.isFinite(state.retryAt) ? state.retryAt : 0;
        } catch {
          // A damaged state errs on the safe side: locked below if the person has a PIN.
        }
      }
      const user = opts.currentUser();
      if (locked && user && locked.userId !== user.id && !(await hasPin(locked.userId))) locked = null;
      if (!locked && user && (await hasPin(user.id))) await engage(user, 'restart');
      lastActivity = now();
      return status();
    },

    /** Whether switching to this person needs their PIN first (they set one). */
    async needsPin(userId: string): Promise<boolean> {
      return hasPin(userId);
    },

    /** Checks a person's PIN (switching profile to them), counting wrong ones like unlocking does. */
    async verifyPin(user: LockUser, pin: string | undefined): Promise<void> {
      if (now() < retryAt)
        throw new ScribeError('forbidden', `Too many wrong PINs: try again after ${new Date(retryAt).toLocaleTimeString()}`, {
          retryAfter: new Date(retryAt).toISOString(),
        });
      const stored = await opts.secrets.get(pinAccount(user.id, opts.scope));
      if (!stored) return;
      if (pin === undefined) throw new ScribeError('forbidden', "Enter this person's PIN to switch to them", { pinRequired: true });
      if (!(await pinMatches(pin, stored))) {
        failures += 1;
        if (failures >= FREE_ATTEMPTS) retryAt = now() + 30_000 * 2 ** (failures - FREE_ATTEMPTS);
        await persist();
        if (opts.audit) await auditAction(opts.audit, user, 'access.denied', { details: { call: 'session.useProfile', reason: 'locked' } });
        throw new ScribeError('forbidden', 'Wrong PIN', { pinRequired: true });
      }
      if (failures !== 0 || retryAt !== 0) {
        failures = 0;
        retryAt = 0;
        await persist();
      }
    },

    /** Wraps the dispatcher: refuses calls while locked, locks after idling, counts activity. */
    wrap(dispatch: (name: unknown, input: unknown) => Promise<unknown>) {
      return async (name: unknown, input: unknown): Promise<unknown> => {
        const call = typeof name === 'string' ? name : '';
        if (!BACKGROUND.has(call) && !WHILE_LOCKED.has(call)) await checkIdle();
        if (locked && !WHILE_LOCKED.has(call) && !BACKGROUND.has(call)) {
          throw new ScribeError('forbidden', 'Scribe is locked: unlock with your PIN to continue', { locked: true });
        }
        if (!BACKGROUND.has(call) && !PASSIVE.has(call)) lastActivity = now();
        return dispatch(name, input);
      };
    },

    async lock(user: LockUser): Promise<LockStatus> {
      if (!(await hasPin(user.id)))
        throw new ScribeError('conflict', 'Set an unlock PIN first (session.setPin): without one nobody could unlock');
      await engage(user, 'user');
      return status();
    },

    async unlock(user: LockUser, pin: string): Promise<LockStatus> {
      if (!locked) return status();
      if (locked.userId !== user.id) throw new ScribeError('forbidden', 'Only the person who was signed in can unlock this session');
      if (now() < retryAt)
        throw new ScribeError('forbidden', `Too many wrong PINs: try again after ${new Date(retryAt).toLocaleTimeString()}`, {
          retryAfter: new Date(retryAt).toISOString(),
        });
      const stored = await opts.secrets.get(pinAccount(user.id, opts.scope));
      if (!stored || !(await pinMatches(pin, stored))) {
        failures += 1;
        if (failures >= FREE_ATTEMPTS) retryAt = now() + 30_000 * 2 ** (failures - FREE_ATTEMPTS);
        await persist();
        if (opts.audit)
          await auditAction(opts.audit, user, 'access.denied', { details: { call: 'session.unlock', reason: 'locked' } }).catch(
            () => undefined,
          );
        throw new ScribeError('forbidden', 'Wrong PIN');
      }
      locked = null;
      failures = 0;
      retryAt = 0;
      await persist();
      lastActivity = now();
      if (opts.audit) await auditAction(opts.audit, user, 'session.unlocked', { details: {} }).catch(() => undefined);
      const next = await status();
      opts.onChange?.(next);
      return next;
    },

    async setPin(user: LockUser, pin: string, currentPin?: string): Promise<LockStatus> {
      if (!PIN_PATTERN.test(pin)) throw new ScribeError('bad_request', 'A PIN is 4 to 12 digits');
      const stored = await opts.secrets.get(pinAccount(user.id, opts.scope));
      if (stored && !(currentPin !== undefined && (await pinMatches(currentPin, stored)))) {
        throw new ScribeError('forbidden', 'Give your current PIN to change it');
      }
      await opts.secrets.set(pinAccount(user.id, opts.scope), await hashPin(pin));
      pinKnown.set(user.id, true);
      if (opts.audit)
        await auditAction(opts.audit, user, 'settings.changed', { details: { key: 'session.unlockPin', to: 'set' } }).catch(
          () => undefined,
        );
      return status();
    },

    /** Checks for idleness every `everyMs` (so the UI is told the moment it locks); returns stop(). */
    startTimer(everyMs = 15_000): () => void {
      const timer = setInterval(() => void checkIdle().catch(() => undefined), everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type SessionLock = ReturnType<typeof createSessionLock>;
