import { ScribeError } from '../define.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../handlers.ts';

type VisitCalls =
  | 'visit.start' | 'visit.appendAudio' | 'visit.pause' | 'visit.resume' | 'visit.stop' | 'visit.get' | 'visit.list'
  | 'visit.recoverable' | 'visit.recover' | 'visit.delete' | 'retention.get' | 'retention.set'
  | 'transcript.setSpeaker' | 'draft.templates' | 'visit.audioClip' | 'draft.updateSection' | 'draft.regenerate' | 'visit.sign';

function retentionOf(s: CoreServices): NonNullable<CoreServices['retention']> {
  if (!s.retention) throw new ScribeError('unavailable', 'Retention is not configured in this core');
  return s.retention;
}

export function visitHandlers(s: CoreServices): PartialHandlers<VisitCalls> {
  return {
    'visit.start': ({ encounterId, consent }, ctx) => s.visits.start(ctx.user!, encounterId, consent),
    'visit.appendAudio': ({ visitId, seq, pcm16 }) => s.visits.appendAudio(visitId, seq, pcm16),
    'visit.pause': ({ visitId }) => s.visits.pause(visitId),
    'visit.resume': ({ visitId }) => s.visits.resume(visitId),
    'visit.stop': ({ visitId }) => s.visits.stop(visitId),
    'visit.get': ({ visitId }) => s.visits.get(visitId),
    'visit.list': () => s.visits.list(),
    'draft.updateSection': async ({ visitId, sectionId, text, baseVersion }, ctx) => {
      // A scribe edits only visits assigned to them; nobody writes past someone else's edit lock (app/queue).
      await s.queue?.assertMayEditDraft(ctx.user!, visitId);
      return s.visits.updateSection(visitId, sectionId, text, baseVersion);
    },
    'visit.recoverable': () => s.visits.recoverable(),
    'visit.recover': ({ visitId }) => s.visits.recover(visitId),
    'visit.delete': async ({ visitId }, ctx) => {
      await s.visits.get(visitId);
      await retentionOf(s).deleteVisit({ id: ctx.user!.id, role: ctx.user!.role }, visitId);
      return { deleted: true as const };
    },
    'retention.get': () => retentionOf(s).policy(),
    'retention.set': (patch, ctx) => retentionOf(s).setPolicy({ id: ctx.user!.id, role: ctx.user!.role }, patch),
    'draft.templates': () => {
      if (!s.templates) throw new ScribeError('unavailable', 'No note templates are configured in this core');
      return s.templates();
    },
    'transcript.setSpeaker': ({ visitId, segmentId, speaker }) => s.visits.setSpeaker(visitId, segmentId, speaker),
    'visit.audioClip': ({ visitId, start, end }) => s.visits.audioClip(visitId, start, end),
    'draft.regenerate': ({ visitId, template }) => s.visits.regenerate(visitId, template),
    'visit.sign': ({ visitId }, ctx) => s.visits.sign(ctx.user!, visitId),
  };
}
