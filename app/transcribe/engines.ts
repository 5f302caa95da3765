import { ScribeError } from '../contract/index.ts';
import { ENGINES, type SegmentRecognizer, type TranscribeOptions } from './types.ts';
import { SphinxRecognizer } from './sphinx/recognizer.ts';

/** The engine adapter chosen by the options (default sphinx). */
export async function createSegmentRecognizer(opts: TranscribeOptions): Promise<SegmentRecognizer> {
  const engine = opts.engine ?? 'sphinx';
  switch (engine) {
    case 'sphinx':
      return new SphinxRecognizer({ vocabulary: opts.vocabulary, ...(opts.scratchDir ? { scratchDir: opts.scratchDir } : {}) });
    case 'sherpa': {
      const { createSherpaRecognizer } = await import('./sherpa/recognizer.ts');
      return createSherpaRecognizer(opts);
    }
    default:
      throw new ScribeError('bad_request', `unknown engine "${String(engine)}"; choose one of ${ENGINES.join(', ')}`);
  }
}
