import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

/** Idle lock and re-authentication (app/security: createSessionLock; docs/decisions/0053-idle-lock.md). */
type LockCalls = 'session.lockStatus' | 'session.lock' | 'session.unlock' | 'session.setPin';

export function sessionLockHandlers(s: CoreServices): PartialHandlers<LockCalls> {
  return {
    'session.lockStatus': () => s.lock.status(),
    'session.lock': (_input, ctx) => s.lock.lock(ctx.user!),
    'session.unlock': ({ pin }, ctx) => s.lock.unlock(ctx.user!, pin),
    'session.setPin': ({ pin, currentPin }, ctx) => s.lock.setPin(ctx.user!, pin, currentPin),
  };
}
