/** The scribe's queue: assignments, edit locks, versioned saves, hand-off for signature, diff against the AI draft. */
export {
  ASSIGNMENT_RECORD, createQueueService,
  type EditLock, type NoteDiff, type NoteVersion, type OpenedNote, type Person, type QueueDeps, type QueueItem, type QueueNotes,
  type QueueRecords, type QueueService, type QueueStatus, type QueueStorage, type SaveResult, type VersionKind,
} from './queue.ts';
export { countWords, diffSections, diffWords, tokenise, type DiffOp, type DiffPart, type SectionDiff } from './diff.ts';
