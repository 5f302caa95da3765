/** Session protection that sits in front of the core's dispatcher: idle lock and re-authentication. */
export { createSessionLock, pinAccount, type LockStatus, type SessionLock } from './session-lock.ts';
