import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type DictationCalls = 'dictation.prepare' | 'dictation.start' | 'dictation.appendAudio' | 'dictation.edit' | 'dictation.stop';

/** Dictation: the contract allows only the visit's own clinician (app/core/access.ts). */
export function dictationHandlers(s: CoreServices): PartialHandlers<DictationCalls> {
  return {
    'dictation.start': ({ visitId, cursor, sections }, ctx) =>
      s.dictation.start(ctx.user!, { visitId, cursor, ...(sections ? { sections } : {}) }),
    'dictation.prepare': ({ visitId }, ctx) => s.dictation.prepare(ctx.user!, visitId),
    'dictation.appendAudio': ({ dictationId, seq, pcm16 }, ctx) => s.dictation.appendAudio(ctx.user!, dictationId, seq, pcm16),
    'dictation.edit': ({ dictationId, sectionId, text, offset }, ctx) =>
      s.dictation.edit(ctx.user!, dictationId, { sectionId, offset, ...(text === undefined ? {} : { text }) }),
    'dictation.stop': ({ dictationId }, ctx) => s.dictation.stop(ctx.user!, dictationId),
  };
}
