import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../handlers.ts';

type VisitCalls =
  | 'visit.start' | 'visit.appendAudio' | 'visit.pause' | 'visit.resume' | 'visit.stop' | 'visit.get' | 'visit.list'
  | 'visit.audioClip' | 'draft.updateSection' | 'draft.regenerate' | 'visit.sign';

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
    'visit.audioClip': ({ visitId, start, end }) => s.visits.audioClip(visitId, start, end),
    'draft.regenerate': ({ visitId, template }) => s.visits.regenerate(visitId, template),
    'visit.sign': ({ visitId }, ctx) => s.visits.sign(ctx.user!, visitId),
  };
}
