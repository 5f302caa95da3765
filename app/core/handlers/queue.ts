import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type QueueCalls =
  | 'queue.list'
  | 'queue.scribes'
  | 'queue.assign'
  | 'queue.open'
  | 'queue.takeOver'
  | 'queue.release'
  | 'queue.save'
  | 'queue.markReady'
  | 'queue.diff'
  | 'queue.versions';

/**
 * The scribe's queue. Who may act on which visit is the contract's access (app/core/access.ts): a scribe
 * only on visits assigned to them, a clinician only on their own; the queue service keeps the edit locks.
 */
export function queueHandlers(s: CoreServices): PartialHandlers<QueueCalls> {
  return {
    'queue.list': ({ status }, ctx) => s.queue.list(ctx.user!, status ? { status } : {}),
    'queue.scribes': () =>
      s.session
        .get()
        .profiles.filter((p) => p.role === 'scribe')
        .map(({ id, name, role }) => ({ id, name, role })),
    'queue.assign': ({ visitId, scribeId }, ctx) => s.queue.assign(ctx.user!, visitId, scribeId),
    'queue.open': ({ visitId }, ctx) => s.queue.open(ctx.user!, visitId),
    'queue.takeOver': ({ visitId }, ctx) => s.queue.takeOver(ctx.user!, visitId),
    'queue.release': ({ visitId, lockToken }, ctx) => s.queue.release(ctx.user!, visitId, lockToken),
    'queue.save': ({ visitId, lockToken, baseVersion, sections }, ctx) =>
      s.queue.save(ctx.user!, visitId, lockToken, baseVersion, sections),
    'queue.markReady': ({ visitId, lockToken }, ctx) => s.queue.markReady(ctx.user!, visitId, lockToken),
    'queue.diff': ({ visitId }, ctx) => s.queue.diff(ctx.user!, visitId),
    'queue.versions': ({ visitId }, ctx) => s.queue.versions(ctx.user!, visitId),
  };
}
