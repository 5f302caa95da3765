/**
 * The `server` engine (docs/decisions/0117): each VAD segment is recognized by the practice's
 * OpenAI-compatible `/v1/audio/transcriptions` endpoint (vLLM serving Whisper, whisper.cpp's server,
 * faster-whisper servers). The local engine (sphinx) decodes the same audio meanwhile: it gives the live
 * partials, and its final text is kept whenever the server fails (down, HTTP error, malformed answer, no
 * answer in time). The first reason is reported once, in words, and recorded in the transcript.
 */
import { ScribeError } from '../../contract/index.ts';
import { concatPcm, encodeWav } from '../../audio/index.ts';
import { checkPracticeServerUrl, openAiEndpoint } from '../../secrets/index.ts';
import type { SegmentRecognizer, ServerEngineOptions, Utterance } from '../types.ts';

/** How long one segment may wait for the server before the local text is kept. */
export const DEFAULT_SERVER_TIMEOUT_MS = 10_000;
/** After a failure the server is not asked again for this long (a down server costs one wait, not one per segment). */
export const SERVER_RETRY_AFTER_MS = 30_000;

/** Segments shorter than the VAD keeps (250 ms) are not sent. */
const MIN_SEGMENT_SAMPLES = 4000;

export class ServerRecognizer implements SegmentRecognizer {
  readonly engine = 'server' as const;
  readonly model: string;
  private readonly endpoint: URL;
  private readonly timeoutMs: number;
  private chunks: Int16Array[] = [];
  private retryAt = 0;
  private firstFailure: string | null = null;
  private segments = 0;
  private kept = 0;

  constructor(
    private readonly local: SegmentRecognizer,
    private readonly options: ServerEngineOptions,
    private readonly onFallback: (reason: string) => void = () => undefined,
  ) {
    let base: URL;
    try {
      base = checkPracticeServerUrl(options.baseUrl, options.allowedPlainHosts ?? []);
    } catch (error) {
      throw new ScribeError('forbidden', `The transcription server was not used: ${(error as Error).message}`);
    }
    this.endpoint = openAiEndpoint(base, 'audio/transcriptions');
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;
  }

  begin(): void {
    this.chunks = [];
    this.local.begin();
  }

  feed(pcm: Int16Array): void {
    this.chunks.push(new Int16Array(pcm));
    this.local.feed(pcm);
  }

  partial(): string {
    return this.local.partial();
  }

  async end(): Promise<Utterance> {
    const local = await this.local.end();
    const audio = concatPcm(this.chunks);
    this.chunks = [];
    if (audio.length < MIN_SEGMENT_SAMPLES) return local; // the VAD drops it anyway: nothing to send
    this.segments += 1;
    if (Date.now() >= this.retryAt) {
      try {
        const text = await this.ask(audio);
        // The server's words carry no word times here: the segment stays whole (one transcript segment).
        return { text: text.trim(), words: [], ...(local.speaker ? { speaker: local.speaker } : {}) };
      } catch (error) {
        this.retryAt = Date.now() + (this.options.retryAfterMs ?? SERVER_RETRY_AFTER_MS);
        if (this.firstFailure === null) {
          this.firstFailure = (error as Error).message;
          this.onFallback(`${this.firstFailure}; the local engine's text is kept until it answers again`);
        }
      }
    }
    this.kept += 1;
    return local;
  }

  /** Why some segments carry the local engine's text, or null when the server recognized every one. */
  fallback(): string | null {
    if (this.firstFailure === null) return null;
    return `${this.firstFailure}; ${this.kept} of ${this.segments} segments kept the local engine's text`;
  }

  close(): void {
    this.local.close();
  }

  private async ask(pcm: Int16Array): Promise<string> {
    const where = `The transcription server ${this.endpoint.origin}`;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(encodeWav(pcm))], { type: 'audio/wav' }), 'segment.wav');
    form.append('model', this.model);
    form.append('response_format', 'json');
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        body: form,
        headers: this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {},
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new Error(`${where} did not answer within ${Math.round(this.timeoutMs / 100) / 10} s`);
      throw new Error(`${where} could not be reached (${e.cause?.code ?? e.message})`);
    }
    if (!response.ok) throw new Error(`${where} answered HTTP ${response.status}${body.trim() ? `: ${body.trim().slice(0, 160)}` : ''}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Error(`${where} answered something that is not JSON (${JSON.stringify(body.slice(0, 80))})`);
    }
    const text = (parsed as { text?: unknown } | null)?.text;
    if (typeof text !== 'string') throw new Error(`${where} answered JSON without a "text" field`);
    return text;
  }
}
