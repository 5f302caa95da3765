/**
 * The transcription worker thread: owns one RecognitionSession (VAD + engine) so decoding never blocks the
 * thread that captures audio or serves the UI.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecognitionSession } from './session.ts';
import type { WorkerRequest, WorkerReply, WorkerInit } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('stream-worker must run in a worker thread');

const send = (msg: WorkerReply) => port.postMessage(msg);
const init = workerData as WorkerInit;

function errorReply(err: unknown): WorkerReply {
  const e = err as { code?: string; message?: string };
  return { type: 'error', code: typeof e?.code === 'string' ? e.code : 'internal', message: e?.message ?? String(err) };
}

let session: RecognitionSession | null = null;
// Messages are handled strictly in order, one at a time.
let queue: Promise<void> = Promise.resolve();

try {
  session = await RecognitionSession.create(init.options, {
    onPartial: init.wantPartials ? (text) => send({ type: 'partial', text }) : undefined,
    onSegment: (segment) => send({ type: 'segment', segment }),
    onNotice: (message) => send({ type: 'notice', message }),
  });
  send({ type: 'ready', engine: session.engine });
} catch (err) {
  send(errorReply(err));
  port.close(); // nothing more can be done here; the client has the error
}

port.on('message', (msg: WorkerRequest) => {
  queue = queue.then(async () => {
    if (!session) {
      if (msg.type === 'drain') send({ type: 'drained', id: msg.id });
      return;
    }
    try {
      switch (msg.type) {
        case 'push':
          await session.push(new Int16Array(msg.pcm));
          break;
        case 'pause':
          await session.pause();
          break;
        case 'resume':
          session.resume();
          break;
        case 'drain':
          send({ type: 'drained', id: msg.id });
          break;
        case 'finish':
          send({ type: 'final', transcript: await session.finish() });
          break;
        case 'close':
          await session.close();
          session = null;
          port.close();
          break;
      }
    } catch (err) {
      send(errorReply(err));
    }
  });
});
