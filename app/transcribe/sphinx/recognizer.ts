import type { SegmentRecognizer, Utterance } from '../types.ts';
import { SphinxDecoder } from './decoder.ts';

/** The `sphinx` engine: Debian pocketsphinx, decoding each segment incrementally (live partials). */
export class SphinxRecognizer implements SegmentRecognizer {
  readonly engine = 'sphinx' as const;
  readonly model = 'cmusphinx-en-us';
  private readonly decoder: SphinxDecoder;

  constructor(opts: { vocabulary?: readonly string[]; scratchDir?: string } = {}) {
    this.decoder = new SphinxDecoder(opts);
  }

  /** Vocabulary words without a known pronunciation (not recognizable). */
  get unknownWords(): readonly string[] {
    return this.decoder.unknownWords;
  }

  begin(): void {
    this.decoder.begin();
  }

  feed(pcm: Int16Array): void {
    this.decoder.feed(pcm);
  }

  partial(): string {
    return this.decoder.partial();
  }

  async end(): Promise<Utterance> {
    return this.decoder.end();
  }

  close(): void {
    this.decoder.free();
  }
}
