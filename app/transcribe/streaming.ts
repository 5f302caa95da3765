/** The main-thread face of the transcription worker. */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Transcript } from '../contract/index.ts';
import { ScribeError, type ScribeErrorCode } from '../contract/index.ts';
import type { StreamingOptions, StreamingTranscriber } from './types.ts';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol.ts';

function workerEntry(): URL {
  const compiled = new URL('./stream-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled;
  return new URL('./stream-worker-bootstrap.mjs', import.meta.url);
}

const KNOWN_CODES: readonly string[] = [
  'bad_request',
  'forbidden',
  'not_found',
  'conflict',
  'unavailable',
  'unsupported',
  'too_large',
  'internal',
];

function toError(code: string, message: string): ScribeError {
  return new ScribeError((KNOWN_CODES.includes(code) ? code : 'internal') as ScribeErrorCode, message);
}

/**
 * Start live transcription in a worker thread. Returns at once; audio pushed before the engine is loaded is
 * queued. Segments arrive through onSegment in order as each pause is detected; finish() resolves with the
 * same segments once the last one is decoded.
 */
export function createStreamingTranscriber(opts: StreamingOptions = {}): StreamingTranscriber {
  const { onPartial, onSegment, onError, onNotice, ...options } = opts;
  const init: WorkerInit = { options, wantPartials: Boolean(onPartial) };
  const worker = new Worker(workerEntry(), { workerData: init });
  let failure: ScribeError | null = null;
  let finished: Promise<Transcript> | null = null;
  let settle: { resolve: (t: Transcript) => void; reject: (e: Error) => void } | null = null;
  let closed = false;
  let drainId = 0;
  const drains = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  const fail = (err: ScribeError) => {
    if (failure) return;
    failure = err;
    onError?.(err);
    settle?.reject(err);
    settle = null;
    for (const d of drains.values()) d.reject(err);
    drains.clear();
  };

  worker.on('message', (msg: WorkerReply) => {
    switch (msg.type) {
      case 'partial':
        onPartial?.(msg.text);
        break;
      case 'notice':
        onNotice?.(msg.message);
        break;
      case 'segment':
        onSegment?.(msg.segment);
        break;
      case 'final':
        settle?.resolve(msg.transcript);
        settle = null;
        shutdown();
        break;
      case 'error':
        fail(toError(msg.code, msg.message));
        shutdown();
        break;
      case 'drained':
        drains.get(msg.id)?.resolve();
        drains.delete(msg.id);
        break;
      case 'ready':
        break;
    }
  });
  worker.on('error', (err) => fail(new ScribeError('internal', `transcription worker failed: ${err.message}`)));
  worker.on('exit', (code) => {
    closed = true;
    if (settle || drains.size > 0) fail(new ScribeError('internal', `transcription worker stopped unexpectedly (exit ${code})`));
  });

  const post = (msg: WorkerRequest, transfer?: ArrayBuffer[]) => {
    if (closed) return;
    worker.postMessage(msg, transfer);
  };

  function shutdown(): void {
    if (closed) return;
    post({ type: 'close' });
    // The worker closes its port after releasing the engine; make sure it is gone even if it hangs.
    setTimeout(() => void worker.terminate(), 5000).unref();
  }

  return {
    push(pcm: Int16Array): void {
      if (finished) throw new ScribeError('conflict', 'cannot push audio after finish()');
      // After an engine failure (reported once through onError; finish() rejects with it) audio is dropped
      // rather than thrown back: the caller has stored it and can recognize it again later.
      if (failure || pcm.length === 0) return;
      const copy = new Int16Array(pcm); // the caller keeps its buffer
      post({ type: 'push', pcm: copy.buffer as ArrayBuffer }, [copy.buffer as ArrayBuffer]);
    },
    pause(): void {
      post({ type: 'pause' });
    },
    resume(): void {
      post({ type: 'resume' });
    },
    drain(): Promise<void> {
      if (failure) return Promise.reject(failure);
      if (closed) return Promise.resolve();
      const id = ++drainId;
      return new Promise<void>((resolve, reject) => {
        drains.set(id, { resolve, reject });
        post({ type: 'drain', id });
      });
    },
    finish(): Promise<Transcript> {
      if (finished) return finished;
      finished = new Promise<Transcript>((resolve, reject) => {
        if (failure) return reject(failure);
        if (closed) return reject(new ScribeError('conflict', 'the transcriber was closed'));
        settle = { resolve, reject };
        post({ type: 'finish' });
      });
      return finished;
    },
    close(): void {
      if (settle) fail(new ScribeError('conflict', 'the transcriber was closed before it finished'));
      shutdown();
    },
  };
}
