import { ScribeError } from '../api/define.ts';
import { ENGINES, type SegmentRecogniser, type TranscribeOptions } from './types.ts';
import { SphinxRecogniser } from './sphinx/recogniser.ts';

/** The engine adapter chosen by the options (default sphinx). */
export async function createSegmentRecogniser(opts: TranscribeOptions): Promise<SegmentRecogniser> {
  const engine = opts.engine ?? 'sphinx';
  switch (engine) {
    case 'sphinx':
      return new SphinxRecogniser({ vocabulary: opts.vocabulary, ...(opts.scratchDir ? { scratchDir: opts.scratchDir } : {}) });
    case 'sherpa': {
      const { createSherpaRecogniser } = await import('./sherpa/recogniser.ts');
      return createSherpaRecogniser(opts);
    }
    default:
      throw new ScribeError('bad_request', `unknown engine "${String(engine)}"; choose one of ${ENGINES.join(', ')}`);
  }
}
