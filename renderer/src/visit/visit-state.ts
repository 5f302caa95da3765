import type { Visit, VisitSummary } from '../../../app/contract/index.ts';

/** A visit's state in words, the same on the schedule, the visit screen and the recent-visits list. */
export function visitStateLabel(v: Pick<VisitSummary, 'status' | 'post'> & { consent?: Visit['consent'] }): string {
  if (v.post?.status === 'posted') return 'Note posted';
  if (v.post?.status === 'failed') return 'Signed — the EHR refused the note';
  if (v.status === 'signed' || v.post) return 'Signed — sending to the EHR';
  switch (v.status) {
    case 'recording':
      return 'Recording';
    case 'paused':
      return 'Recording paused';
    case 'processing':
      return v.consent === 'declined' ? 'Preparing the note' : 'Drafting';
    case 'draft':
      return v.consent === 'declined' ? 'Note to write (not recorded)' : 'Draft to review';
    case 'failed':
      return 'Not drafted — open the visit to retry';
    default:
      return v.status;
  }
}
