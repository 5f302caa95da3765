/**
 * Cuts a stream of 16 kHz PCM into speech segments with Silero VAD probabilities, as audio arrives.
 * Emits the speech audio (with a short pre-roll) while a segment is open, so a recognizer can decode it
 * live, and closes the segment once a pause is long enough. Holds no audio beyond the pre-roll and one
 * partial window: memory stays flat however long the visit.
 */
import { VAD_WINDOW, type SileroVad } from './silero.ts';

export interface SegmenterOptions {
  /** Probability at or above which a window is speech. */
  threshold?: number;
  /** Probability below which a window counts as silence (hysteresis). */
  negativeThreshold?: number;
  /** A pause this long ends a segment. */
  minSilenceMs?: number;
  /** Segments shorter than this are dropped (clicks, coughs). */
  minSpeechMs?: number;
  /** Audio kept before the detected start and after the detected end. */
  padMs?: number;
  /** A segment is cut at this length even without a pause (keeps final latency bounded). */
  maxSegmentMs?: number;
}

export type SegmenterEvent =
  /** A segment opened at `start` (seconds from the first sample pushed); `pcm` is its pre-roll and first audio. */
  | { type: 'start'; start: number; pcm: Int16Array }
  /** More audio of the open segment. */
  | { type: 'audio'; pcm: Int16Array }
  /** The open segment closed; `keep` is false when it was too short to be speech. */
  | { type: 'end'; start: number; end: number; keep: boolean };

const SAMPLE_RATE = 16000;

export class SpeechSegmenter {
  private readonly threshold: number;
  private readonly negativeThreshold: number;
  private readonly minSilenceWindows: number;
  private readonly minSpeechSamples: number;
  private readonly padWindows: number;
  private readonly padSamples: number;
  private readonly maxSegmentSamples: number;

  /** Samples not yet a whole window. */
  private pending = new Int16Array(VAD_WINDOW);
  private pendingLength = 0;
  private readonly windowFloat = new Float32Array(VAD_WINDOW);
  /** Index (in samples) of the next window's first sample. */
  private position = 0;
  /** Last windows before the current one, for pre-roll. */
  private preRoll: Int16Array[] = [];

  private open = false;
  private segmentStart = 0;
  private speechStart = 0;
  private lastSpeechEnd = 0;
  private silentWindows = 0;

  constructor(
    private readonly vad: SileroVad,
    opts: SegmenterOptions = {},
  ) {
    const windowMs = (VAD_WINDOW / SAMPLE_RATE) * 1000;
    this.threshold = opts.threshold ?? 0.5;
    this.negativeThreshold = opts.negativeThreshold ?? Math.max(0.05, this.threshold - 0.15);
    this.minSilenceWindows = Math.max(1, Math.round((opts.minSilenceMs ?? 400) / windowMs));
    this.minSpeechSamples = Math.round(((opts.minSpeechMs ?? 250) / 1000) * SAMPLE_RATE);
    this.padWindows = Math.max(0, Math.round((opts.padMs ?? 96) / windowMs));
    this.padSamples = this.padWindows * VAD_WINDOW;
    this.maxSegmentSamples = Math.round(((opts.maxSegmentMs ?? 20_000) / 1000) * SAMPLE_RATE);
  }

  /** Seconds of audio pushed so far. */
  get seconds(): number {
    return (this.position + this.pendingLength) / SAMPLE_RATE;
  }

  get inSpeech(): boolean {
    return this.open;
  }

  async push(pcm: Int16Array): Promise<SegmenterEvent[]> {
    const events: SegmenterEvent[] = [];
    let at = 0;
    while (at < pcm.length) {
      const take = Math.min(VAD_WINDOW - this.pendingLength, pcm.length - at);
      this.pending.set(pcm.subarray(at, at + take), this.pendingLength);
      this.pendingLength += take;
      at += take;
      if (this.pendingLength === VAD_WINDOW) {
        const window = this.pending;
        this.pending = new Int16Array(VAD_WINDOW);
        this.pendingLength = 0;
        await this.processWindow(window, events);
      }
    }
    return events;
  }

  /** Close any open segment now (end of input, or the recording was paused). */
  async flush(): Promise<SegmenterEvent[]> {
    const events: SegmenterEvent[] = [];
    if (this.pendingLength > 0) {
      const tail = this.pending.slice(0, this.pendingLength);
      if (this.open) events.push({ type: 'audio', pcm: tail });
      this.position += this.pendingLength;
      this.pendingLength = 0;
    }
    if (this.open) this.close(events, this.silentWindows > 0 ? this.lastSpeechEnd : this.position);
    this.preRoll = [];
    this.vad.reset();
    return events;
  }

  private async processWindow(window: Int16Array, events: SegmenterEvent[]): Promise<void> {
    for (let i = 0; i < VAD_WINDOW; i++) this.windowFloat[i] = window[i]! / 32768;
    const p = await this.vad.probability(this.windowFloat);
    const windowStart = this.position;
    this.position += VAD_WINDOW;

    if (!this.open) {
      if (p >= this.threshold) {
        const roll = this.preRoll;
        const rollSamples = roll.reduce((a, w) => a + w.length, 0);
        const first = new Int16Array(rollSamples + VAD_WINDOW);
        let o = 0;
        for (const w of roll) {
          first.set(w, o);
          o += w.length;
        }
        first.set(window, o);
        this.open = true;
        this.segmentStart = windowStart - rollSamples;
        this.speechStart = windowStart;
        this.lastSpeechEnd = this.position;
        this.silentWindows = 0;
        this.preRoll = [];
        events.push({ type: 'start', start: this.segmentStart / SAMPLE_RATE, pcm: first });
      } else {
        this.preRoll.push(window);
        if (this.preRoll.length > this.padWindows) this.preRoll.shift();
      }
      return;
    }

    events.push({ type: 'audio', pcm: window });
    if (p >= this.threshold) {
      this.lastSpeechEnd = this.position;
      this.silentWindows = 0;
    } else if (p < this.negativeThreshold || this.silentWindows > 0) {
      this.silentWindows++;
      if (this.silentWindows >= this.minSilenceWindows) {
        this.close(events, this.lastSpeechEnd);
        return;
      }
    }
    if (this.position - this.segmentStart >= this.maxSegmentSamples) this.close(events, this.position);
  }

  private close(events: SegmenterEvent[], speechEnd: number): void {
    const end = Math.min(this.position, speechEnd + this.padSamples);
    const keep = speechEnd - this.speechStart >= this.minSpeechSamples;
    events.push({ type: 'end', start: this.segmentStart / SAMPLE_RATE, end: end / SAMPLE_RATE, keep });
    this.open = false;
    this.silentWindows = 0;
    this.preRoll = [];
  }
}
