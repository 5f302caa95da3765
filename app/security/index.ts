/** Session protection that sits in front of the core's dispatcher: idle lock and re-authentication. */
export { createSessionLock, pinAccount, type LockStatus, type LockUser, type SessionLock, type SessionLockOptions } from './session-lock.ts';
export { checkPracticeServerUrl, isLoopbackHost, openAiEndpoint } from './practice-server.ts';
