/**
 * One recording's recognition: Silero VAD segments the audio as it arrives, each segment is decoded while it
 * is spoken (partials) and finalised as soon as its pause is detected. Runs inside the transcription worker
 * (or directly, for tests); nothing here touches the UI thread.
 */
import type { Transcript, TranscriptSegment } from '../contract/index.ts';
import { ScribeError } from '../contract/index.ts';
import { SileroVad } from './vad/silero.ts';
import { SpeechSegmenter, type SegmenterEvent, type SegmenterOptions } from './vad/segmenter.ts';
import type { RecognizedWord, SegmentRecognizer, TranscribeOptions, Utterance } from './types.ts';
import { createSegmentRecognizer } from './engines.ts';

/** How often the in-progress hypothesis is refreshed while someone speaks. */
const PARTIAL_INTERVAL_SECONDS = 0.3;

export interface SessionCallbacks {
  onPartial?: (text: string) => void;
  onSegment?: (segment: TranscriptSegment) => void;
  /** Said once, in words (the server engine fell back to the local engine). */
  onNotice?: (message: string) => void;
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
    private readonly recognizer: SegmentRecognizer,
    private readonly callbacks: SessionCallbacks,
  ) {}

  static async create(
    opts: TranscribeOptions & { segmenter?: SegmenterOptions },
    callbacks: SessionCallbacks = {},
  ): Promise<RecognitionSession> {
    const recognizer = await createSegmentRecognizer(opts, callbacks.onNotice);
    let vad: SileroVad;
    try {
      vad = await SileroVad.create();
    } catch (err) {
      recognizer.close();
      throw err;
    }
    return new RecognitionSession(vad, new SpeechSegmenter(vad, opts.segmenter), recognizer, callbacks);
  }

  get engine(): string {
    return this.recognizer.engine;
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
    const fallback = this.recognizer.fallback?.() ?? null;
    return {
      engine: this.recognizer.engine,
      model: this.recognizer.model,
      segments: [...this.segments],
      ...(fallback ? { fallback } : {}),
    };
  }

  async close(): Promise<void> {
    this.recognizer.close();
    await this.vad.close();
  }

  private async handle(events: SegmenterEvent[]): Promise<void> {
    for (const ev of events) {
      if (ev.type === 'start') {
        this.lastPartialAt = ev.start;
        this.lastPartial = '';
        this.recognizer.begin();
        this.recognizer.feed(ev.pcm);
      } else if (ev.type === 'audio') {
        this.recognizer.feed(ev.pcm);
        const now = this.segmenter.seconds;
        if (this.callbacks.onPartial && now - this.lastPartialAt >= PARTIAL_INTERVAL_SECONDS) {
          this.lastPartialAt = now;
          const text = this.recognizer.partial();
          if (text !== this.lastPartial) {
            this.lastPartial = text;
            this.callbacks.onPartial(text);
          }
        }
      } else {
        const utterance = await this.recognizer.end();
        if (this.lastPartial !== '') {
          this.lastPartial = '';
          this.callbacks.onPartial?.('');
        }
        if (!ev.keep || utterance.text.trim() === '') continue; // too short to be speech, or nothing recognizable: no invented words
        for (const piece of splitAtPauses(utterance, ev.start, ev.end)) {
          const segment: TranscriptSegment = {
            id: `seg-${String(this.segments.length + 1).padStart(4, '0')}`,
            start: round(piece.start),
            end: round(Math.max(piece.end, piece.start)),
            text: piece.text,
            ...(utterance.speaker ? { speaker: utterance.speaker } : {}),
            ...(piece.confidence === undefined ? {} : { confidence: round(Math.max(0, Math.min(1, piece.confidence))) }),
            // Word confidences travel with the turn: the editor marks uncertain words, the drafter's guard will not
            // put a drug name in the note from an uncertain word alone.
            ...(piece.words.length > 0
              ? {
                  words: piece.words.map((w) => ({
                    word: w.word,
                    start: round(ev.start + w.start),
                    end: round(Math.max(ev.start + w.end, ev.start + w.start)),
                    confidence: round(Math.max(0, Math.min(1, w.confidence))),
                  })),
                }
              : {}),
          };
          this.segments.push(segment);
          this.callbacks.onSegment?.(segment);
        }
      }
    }
  }
}

/** A pause between words at least this long starts a new transcript segment (roughly one sentence each). */
export const SENTENCE_PAUSE_SECONDS = 0.25;

/**
 * Split one recognized speech segment into sentence-like pieces at pauses between words (engines that give
 * word times). Outer boundaries stay the VAD's; inner ones come from the word times.
 */
export function splitAtPauses(
  u: Utterance,
  start: number,
  end: number,
): Array<{ start: number; end: number; text: string; confidence?: number; words: RecognizedWord[] }> {
  const text = u.text.trim();
  if (u.words.length < 2)
    return [{ start, end, text, words: u.words, ...(u.confidence === undefined ? {} : { confidence: u.confidence }) }];
  const groups: RecognizedWord[][] = [[u.words[0]!]];
  for (let i = 1; i < u.words.length; i++) {
    const w = u.words[i]!;
    if (w.start - u.words[i - 1]!.end >= SENTENCE_PAUSE_SECONDS) groups.push([w]);
    else groups[groups.length - 1]!.push(w);
  }
  if (groups.length === 1)
    return [{ start, end, text, words: u.words, ...(u.confidence === undefined ? {} : { confidence: u.confidence }) }];
  return groups.map((g, i) => ({
    start: i === 0 ? start : start + g[0]!.start,
    end: i === groups.length - 1 ? end : start + g[g.length - 1]!.end,
    text: g.map((w) => w.word).join(' '),
    confidence: g.reduce((a, w) => a + w.confidence, 0) / g.length,
    words: g,
  }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
