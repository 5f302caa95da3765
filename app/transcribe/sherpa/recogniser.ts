import { ScribeError } from '../../api/define.ts';
import type { SegmentRecogniser, TranscribeOptions } from '../types.ts';

export async function createSherpaRecogniser(opts: TranscribeOptions): Promise<SegmentRecogniser> {
  const name = opts.model ?? 'sherpa-whisper-base.en';
  throw new ScribeError('unavailable', `model "${name}" not installed — run \`scribe assets install ${name}\``);
}
