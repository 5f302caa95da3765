/** Dictation: spoken commands and the session that applies final utterances to a note's sections. */
export { createDictationService, type DictationService } from './service.ts';
