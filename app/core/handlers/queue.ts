import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type QueueCalls =
  | 'queue.list' | 'queue.scribes' | 'queue.assign' | 'queue.open' | 'queue.takeOver' | 'queue.release'
  | 'queue.save' | 'queue.markReady' | 'queue.diff' | 'queue.versions';

function queueOf(s: CoreServices) {
  if (!s.queue) throw new ScribeError('unavailable', 'The scribe queue is not set up in this core');
  return s.queue;
}

/**
 * The scribe's queue. The dispatcher checks roles per call; the queue service checks the visit:
 * a scribe only on visits assigned to them, a clinician only on their own (signing stays visit.sign,
 * which the contract allows clinicians only).
 */
export function queueHandlers(s: CoreServices): PartialHandlers<QueueCalls> {
  return {
    'queue.list': ({ status }, ctx) => queueOf(s).list(ctx.user!, status ? { status } : {}),
    'queue.scribes': () => s.session.get().profiles.filter((p) => p.role === 'scribe').map(({ id, name, role }) => ({ id, name, role })),
    'queue.assign': ({ visitId, scribeId }, ctx) => queueOf(s).assign(ctx.user!, visitId, scribeId),
    'queue.open': ({ visitId }, ctx) => queueOf(s).open(ctx.user!, visitId),
    'queue.takeOver': ({ visitId }, ctx) => queueOf(s).takeOver(ctx.user!, visitId),
    'queue.release': ({ visitId, lockToken }, ctx) => queueOf(s).release(ctx.user!, visitId, lockToken),
    'queue.save': ({ visitId, lockToken, baseVersion, sections }, ctx) => queueOf(s).save(ctx.user!, visitId, lockToken, baseVersion, sections),
    'queue.markReady': ({ visitId, lockToken }, ctx) => queueOf(s).markReady(ctx.user!, visitId, lockToken),
    'queue.diff': ({ visitId }, ctx) => queueOf(s).diff(ctx.user!, visitId),
    'queue.versions': ({ visitId }, ctx) => queueOf(s).versions(ctx.user!, visitId),
  };
}
