import { callScribe } from '../bridge.ts';
import { withChosenMicrophone } from '../shell/microphone.ts';

function toBase64(pcm: Int16Array): string {
  const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Microphone → AudioWorklet (16 kHz mono, half-second 16-bit chunks) → the core, in order.
 * A chunk that fails to send is retried with the same sequence number (the core ignores duplicates),
 * so a hiccup loses nothing.
 */
export class Recorder {
  private seq = 0;
  private sending: Promise<void> = Promise.resolve();
  private failed: Error | null = null;

  private constructor(
    private readonly visitId: string,
    private readonly context: AudioContext,
    private readonly stream: MediaStream,
    private readonly node: AudioWorkletNode,
    private readonly onLevel: (rms: number) => void,
    private readonly onError: (message: string) => void,
    private readonly onSaved: (audioSeconds: number) => void,
  ) {
    node.port.onmessage = (event: MessageEvent<{ type: string; pcm?: Int16Array; rms?: number }>) => {
      if (event.data.type === 'chunk' && event.data.pcm) {
        this.onLevel(event.data.rms ?? 0);
        this.enqueue(event.data.pcm);
      }
    };
  }

  static async start(
    visitId: string,
    onLevel: (rms: number) => void,
    onError: (message: string) => void,
    onSaved: (audioSeconds: number) => void = () => undefined,
  ): Promise<Recorder> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: withChosenMicrophone({ channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true }),
    });
    const context = new AudioContext({ sampleRate: 16000 });
    await context.audioWorklet.addModule(new URL('./pcm-worklet.js', document.baseURI).href);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, 'pcm-chunker', { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1 });
    source.connect(node);
    return new Recorder(visitId, context, stream, node, onLevel, onError, onSaved);
  }

  private enqueue(pcm: Int16Array): void {
    const seq = this.seq++;
    const pcm16 = toBase64(pcm);
    this.sending = this.sending.then(async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          const { audioSeconds } = await callScribe('visit.appendAudio', { visitId: this.visitId, seq, pcm16 });
          this.onSaved(audioSeconds);
          return;
        } catch (error) {
          if (attempt === 4) {
            this.failed = error instanceof Error ? error : new Error(String(error));
            this.onError(`Audio could not be saved: ${this.failed.message}`);
            return;
          }
          await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        }
      }
    });
  }

  async pause(): Promise<void> {
    await this.flush();
    await this.context.suspend();
  }

  async resume(): Promise<void> {
    await this.context.resume();
  }

  private flush(): Promise<void> {
    return new Promise<void>((resolve) => {
      const previous = this.node.port.onmessage;
      const timer = setTimeout(done, 1000);
      const node = this.node;
      function done() {
        clearTimeout(timer);
        node.port.onmessage = previous;
        resolve();
      }
      this.node.port.onmessage = (event: MessageEvent<{ type: string }>) => {
        previous?.call(this.node.port, event);
        if (event.data.type === 'flushed') done();
      };
      this.node.port.postMessage('flush');
    }).then(() => this.sending);
  }

  /** Stop capturing; resolves when every chunk has reached the core. */
  async stop(): Promise<void> {
    if (this.context.state === 'suspended') await this.context.resume();
    await this.flush();
    this.stream.getTracks().forEach((t) => t.stop());
    await this.context.close();
    await this.sending;
    if (this.failed) throw this.failed;
  }
}
