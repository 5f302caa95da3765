import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/** Idle lock and re-authentication (app/security: createSessionLock; docs/decisions/0053-idle-lock.md). */
type LockCalls = 'session.lockStatus' | 'session.lock' | 'session.unlock' | 'session.setPin';

function lockOf(s: CoreServices): NonNullable<CoreServices['lock']> {
  if (!s.lock) throw new ScribeError('unavailable', 'The idle lock is not configured in this core');
  return s.lock;
}

export function sessionLockHandlers(s: CoreServices): PartialHandlers<LockCalls> {
  return {
    'session.lockStatus': () => lockOf(s).status(),
    'session.lock': (_input, ctx) => lockOf(s).lock(ctx.user!),
    'session.unlock': ({ pin }, ctx) => lockOf(s).unlock(ctx.user!, pin),
    'session.setPin': ({ pin, currentPin }, ctx) => lockOf(s).setPin(ctx.user!, pin, currentPin),
  };
}
