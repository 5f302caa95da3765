/**
 * One recording's recognition: Silero VAD segments the audio as it arrives, each segment is decoded while it
 * is spoken (partials) and finalised as soon as its pause is detected. Runs inside the transcription worker
 * (or directly, for tests); nothing here touches the UI thread.
 */
import type { Transcript, TranscriptSegment } from '../api/schemas.ts';
import { ScribeError } from '../api/define.ts';
import { SileroVad } from './vad/silero.ts';
import { SpeechSegmenter, type SegmenterEvent, type SegmenterOptions } from './vad/segmenter.ts';
import type { SegmentRecogniser, TranscribeOptions } from './types.ts';
import { createSegmentRecogniser } from './engines.ts';

/** How often the in-progress hypothesis is refreshed while someone speaks. */
const PARTIAL_INTERVAL_SECONDS = 0.3;

export interface SessionCallbacks {
  onPartial?: (text: string) => void;
  onSegment?: (segment: TranscriptSegment) => void;
}

export class RecognitionSession {
  private readonly segments: TranscriptSegment[] = [];
  private paused = false;
  private finished = false;
  private lastPartialAt = 0;
  private lastPartial = '';

  private constructor(
    private readonly vad: SileroVad,
    private readonly segmenter: SpeechSegmenter,
    private readonly recogniser: SegmentRecogniser,
    private readonly callbacks: SessionCallbacks,
  ) {}

  static async create(opts: TranscribeOptions & { segmenter?: SegmenterOptions }, callbacks: SessionCallbacks = {}): Promise<RecognitionSession> {
    const recogniser = await createSegmentRecogniser(opts);
    let vad: SileroVad;
    try {
      vad = await SileroVad.create();
    } catch (err) {
      recogniser.close();
      throw err;
    }
    return new RecognitionSession(vad, new SpeechSegmenter(vad, opts.segmenter), recogniser, callbacks);
  }

  get engine(): string {
    return this.recogniser.engine;
  }

  async push(pcm: Int16Array): Promise<void> {
    if (this.finished) throw new ScribeError('conflict', 'this transcription has already finished');
    if (this.paused || pcm.length === 0) return;
    await this.handle(await this.segmenter.push(pcm));
  }

  async pause(): Promise<void> {
    if (this.paused || this.finished) return;
    this.paused = true;
    await this.handle(await this.segmenter.flush());
  }

  resume(): void {
    this.paused = false;
  }

  async finish(): Promise<Transcript> {
    if (!this.finished) {
      this.finished = true;
      await this.handle(await this.segmenter.flush());
    }
    return this.transcript();
  }

  transcript(): Transcript {
    return { engine: this.recogniser.engine, model: this.recogniser.model, segments: [...this.segments] };
  }

  async close(): Promise<void> {
    this.recogniser.close();
    await this.vad.close();
  }

  private async handle(events: SegmenterEvent[]): Promise<void> {
    for (const ev of events) {
      if (ev.type === 'start') {
        this.lastPartialAt = ev.start;
        this.lastPartial = '';
        this.recogniser.begin();
        this.recogniser.feed(ev.pcm);
      } else if (ev.type === 'audio') {
        this.recogniser.feed(ev.pcm);
        const now = this.segmenter.seconds;
        if (this.callbacks.onPartial && now - this.lastPartialAt >= PARTIAL_INTERVAL_SECONDS) {
          this.lastPartialAt = now;
          const text = this.recogniser.partial();
          if (text !== this.lastPartial) {
            this.lastPartial = text;
            this.callbacks.onPartial(text);
          }
        }
      } else {
        const utterance = await this.recogniser.end();
        if (this.lastPartial !== '') {
          this.lastPartial = '';
          this.callbacks.onPartial?.('');
        }
        const text = utterance.text.trim();
        if (!ev.keep || text === '') continue; // too short to be speech, or nothing recognisable: no invented words
        const segment: TranscriptSegment = {
          id: `seg-${String(this.segments.length + 1).padStart(4, '0')}`,
          start: round(ev.start),
          end: round(Math.max(ev.end, ev.start)),
          text,
          ...(utterance.speaker ? { speaker: utterance.speaker } : {}),
          ...(utterance.confidence === undefined ? {} : { confidence: round(Math.max(0, Math.min(1, utterance.confidence))) }),
        };
        this.segments.push(segment);
        this.callbacks.onSegment?.(segment);
      }
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
