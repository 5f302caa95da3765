import { callScribe } from '../bridge.ts';
import { withChosenMicrophone } from '../shell/microphone.ts';

function toBase64(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Dictation wants words on screen quickly: the worklet is asked for a chunk every 100 ms (not every 500 ms). */
const CHUNK_MS = 100;

/**
 * The microphone for dictation: the same 16 kHz PCM worklet as visit recording, streamed in small
 * chunks to `dictation.appendAudio` in order (a failed chunk is retried with its sequence number).
 */
export class DictationMic {
  private seq = 0;
  private sending: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  private constructor(
    private readonly dictationId: string,
    private readonly context: AudioContext,
    private readonly stream: MediaStream,
    private readonly node: AudioWorkletNode,
    private readonly onLevel: (rms: number) => void,
    private readonly onError: (message: string) => void,
    private readonly onStoppedByVoice: () => void,
  ) {
    node.port.onmessage = (event: MessageEvent<{ type: string; pcm?: Int16Array; rms?: number }>) => {
      if (event.data.type === 'chunk' && event.data.pcm) {
        this.onLevel(event.data.rms ?? 0);
        this.enqueue(event.data.pcm);
      }
    };
    this.timer = setInterval(() => node.port.postMessage('flush'), CHUNK_MS);
  }

  static async open(
    dictationId: string,
    handlers: { onLevel: (rms: number) => void; onError: (message: string) => void; onStoppedByVoice: () => void },
  ): Promise<DictationMic> {
    // Dictation is one person close to the microphone: the browser's echo cancellation and noise suppression
    // only distort the speech the recognizer sees (its own VAD copes with background noise).
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: withChosenMicrophone({ channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: true }),
    });
    try {
      const context = new AudioContext({ sampleRate: 16000 });
      await context.audioWorklet.addModule(new URL('./pcm-worklet.js', document.baseURI).href);
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, 'pcm-chunker', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
      source.connect(node);
      return new DictationMic(dictationId, context, stream, node, handlers.onLevel, handlers.onError, handlers.onStoppedByVoice);
    } catch (error) {
      stream.getTracks().forEach((t) => t.stop());
      throw error;
    }
  }

  private enqueue(pcm: Int16Array): void {
    if (this.closed) return;
    const seq = this.seq++;
    const pcm16 = toBase64(pcm);
    this.sending = this.sending.then(async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          const answer = await callScribe('dictation.appendAudio', { dictationId: this.dictationId, seq, pcm16 });
          if (answer.stopped && !this.closed) this.onStoppedByVoice();
          return;
        } catch (error) {
          if (attempt === 3 || (error instanceof Error && /No dictation/.test(error.message))) {
            if (!this.closed)
              this.onError(`Dictation audio could not reach Scribe: ${error instanceof Error ? error.message : String(error)}`);
            this.closed = true;
            return;
          }
          await new Promise((r) => setTimeout(r, 150 * 2 ** attempt));
        }
      }
    });
  }

  /** Stop capturing; resolves once every captured chunk has reached the core. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.closed) {
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, 500);
        const previous = this.node.port.onmessage;
        this.node.port.onmessage = (event: MessageEvent<{ type: string }>) => {
          previous?.call(this.node.port, event);
          if (event.data.type === 'flushed') {
            clearTimeout(timeout);
            resolve();
          }
        };
        this.node.port.postMessage('flush');
      });
    }
    this.stream.getTracks().forEach((t) => t.stop());
    await this.context.close().catch(() => undefined);
    await this.sending;
    this.closed = true;
  }
}
