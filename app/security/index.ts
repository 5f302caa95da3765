/** Session protection that sits in front of the core's dispatcher: idle lock and re-authentication. */
export { createSessionLock, lockStateAccount, pinAccount, type SessionLock } from './session-lock.ts';
export { identityOf, type RoleDirectory } from './identity.ts';
export { isEhrSignInUrl } from './sign-in-url.ts';
