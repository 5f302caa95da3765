import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type DictationCalls = 'dictation.prepare' | 'dictation.start' | 'dictation.appendAudio' | 'dictation.edit' | 'dictation.stop';

function dictationOf(s: CoreServices) {
  if (!s.dictation) throw new ScribeError('unavailable', 'Dictation is not set up in this core');
  return s.dictation;
}

/** Dictation: the dispatcher allows clinicians only; the service checks the visit is theirs. */
export function dictationHandlers(s: CoreServices): PartialHandlers<DictationCalls> {
  return {
    'dictation.start': ({ visitId, cursor, sections }, ctx) =>
      dictationOf(s).start(ctx.user!, { visitId, cursor, ...(sections ? { sections } : {}) }),
    'dictation.prepare': ({ visitId }, ctx) => dictationOf(s).prepare(ctx.user!, visitId),
    'dictation.appendAudio': ({ dictationId, seq, pcm16 }, ctx) => dictationOf(s).appendAudio(ctx.user!, dictationId, seq, pcm16),
    'dictation.edit': ({ dictationId, sectionId, text, offset }, ctx) =>
      dictationOf(s).edit(ctx.user!, dictationId, { sectionId, offset, ...(text === undefined ? {} : { text }) }),
    'dictation.stop': ({ dictationId }, ctx) => dictationOf(s).stop(ctx.user!, dictationId),
  };
}
