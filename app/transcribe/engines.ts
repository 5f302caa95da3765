import { ScribeError } from '../contract/index.ts';
import { ENGINES, type SegmentRecognizer, type TranscribeOptions } from './types.ts';
import { SphinxRecognizer } from './sphinx/recognizer.ts';

/** The engine adapter chosen by the options (default sphinx). */
export async function createSegmentRecognizer(opts: TranscribeOptions, onNotice?: (message: string) => void): Promise<SegmentRecognizer> {
  const engine = opts.engine ?? 'sphinx';
  switch (engine) {
    case 'sphinx':
      return createSphinx(opts);
    case 'sherpa': {
      const { createSherpaRecognizer } = await import('./sherpa/recognizer.ts');
      return createSherpaRecognizer(opts);
    }
    case 'server': {
      if (!opts.server)
        throw new ScribeError(
          'bad_request',
          "the server engine needs the transcription server's address and model name (Settings → Speech recognition)",
        );
      const { ServerRecognizer } = await import('./server/recognizer.ts');
      const server = opts.server;
      // The address is checked (https rule) before anything is sent; a refused one closes the local engine again.
      const local = createSphinx(opts);
      try {
        return new ServerRecognizer(local, server, onNotice);
      } catch (error) {
        local.close();
        throw error;
      }
    }
    default:
      throw new ScribeError('bad_request', `unknown engine "${String(engine)}"; choose one of ${ENGINES.join(', ')}`);
  }
}

function createSphinx(opts: TranscribeOptions): SphinxRecognizer {
  return new SphinxRecognizer({ vocabulary: opts.vocabulary, ...(opts.scratchDir ? { scratchDir: opts.scratchDir } : {}) });
}
