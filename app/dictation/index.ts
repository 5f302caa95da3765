/** Dictation: spoken commands and the session that applies final utterances to a note's sections. */
export {
  COMMAND_VOCABULARY, interpretUtterance, normaliseSpoken, resolveSection, shapeInsertion, startsSentence,
  type DictationCommand, type InterpretedUtterance, type NamedSection, type PunctuationMark,
} from './commands.ts';
export {
  DictationSession, diffBounds, mapRange,
  type Cursor, type DictatedSpan, type DictationEffect, type DictationSnapshot, type SectionText,
} from './session.ts';
export {
  createDictationService,
  type DictationAppliedEvent, type DictationDeps, type DictationPartialEvent, type DictationRecord, type DictationRecords,
  type DictationService, type DictationState, type DictationTranscriber,
} from './service.ts';
