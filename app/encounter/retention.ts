import type { VisitDesk } from './desk.ts';

/**
 * Retention room: what app/retention asks of a visit. Parts of a signed visit are purged on schedule;
 * a visit being deleted is forgotten first so no late write brings it back.
 */
export function createRetentionRoom(desk: VisitDesk) {
  return {
    /** Remove the transcript or the draft of a signed visit (the signed note lives in the EHR). */
    purge(visitId: string, part: 'transcript' | 'draft'): Promise<void> {
      return desk.serial(visitId, async () => {
        const visit = await desk.load(visitId);
        await desk.save(part === 'transcript' ? { ...visit, transcript: null } : { ...visit, draft: null });
      });
    },

    /** The visit is being crypto-shredded: drop what is cached of it and refuse any later write. */
    forget(visitId: string): void {
      desk.deleted.add(visitId);
      desk.drop(visitId);
    },

    /** Deletion failed: the visit is still on disk, so it may be used again. */
    unforget(visitId: string): void {
      desk.deleted.delete(visitId);
    },
  };
}
