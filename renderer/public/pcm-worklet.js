// AudioWorklet: converts the microphone's float samples (the AudioContext runs at 16 kHz) into
// 16-bit PCM chunks of half a second, plus their RMS level for the meter. Runs on the audio thread.
class PcmChunker extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunk = new Int16Array(8000);
    this.filled = 0;
    this.sumSquares = 0;
    this.port.onmessage = (event) => {
      if (event.data === 'flush') {
        this.emit();
        this.port.postMessage({ type: 'flushed' });
      }
    };
  }
  emit() {
    if (this.filled === 0) return;
    const pcm = this.chunk.slice(0, this.filled);
    const rms = Math.sqrt(this.sumSquares / this.filled);
    this.port.postMessage({ type: 'chunk', pcm, rms }, [pcm.buffer]);
    this.filled = 0;
    this.sumSquares = 0;
  }
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        const s = Math.max(-1, Math.min(1, channel[i]));
        this.chunk[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
        this.sumSquares += s * s;
        if (this.filled === this.chunk.length) this.emit();
      }
    }
    return true;
  }
}
registerProcessor('pcm-chunker', PcmChunker);
