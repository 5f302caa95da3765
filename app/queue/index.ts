/** The scribe's queue: assignments, edit locks, versioned saves, hand-off for signature, diff against the AI draft. */
export { createQueueService, type QueueService } from './queue.ts';
export { diffWords } from './diff.ts';
