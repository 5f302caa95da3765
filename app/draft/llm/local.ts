/** The core-side face of the local language-model worker (node-llama-cpp on a GGUF file). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  GenerationError,
  type GenerationOptions,
  type GenerationRequest,
  type GenerationResult,
  type ModelGenerator,
  type ModelIdentity,
} from './generator.ts';
import type { LocalWorkerInit, LocalWorkerReply, LocalWorkerRequest } from './local-protocol.ts';

function workerEntry(): URL {
  const compiled = new URL('./local-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled;
  return new URL('./local-worker-bootstrap.mjs', import.meta.url);
}

interface Pending {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
  onText?: (chunk: string) => void;
}

const REASONS = ['missing', 'memory', 'timeout', 'malformed', 'unreachable', 'server', 'cancelled', 'failed'] as const;

export class LocalModel implements ModelGenerator {
  readonly engine = 'llm' as const;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly init: LocalWorkerInit) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    if (!existsSync(this.init.modelPath))
      throw new GenerationError('missing', `the model file ${this.init.modelPath} is not on this workstation`);
    const worker = new Worker(workerEntry(), { workerData: this.init });
    worker.on('message', (msg: LocalWorkerReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'text') {
        p.onText?.(msg.chunk);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.type === 'error') {
        const reason = (REASONS as readonly string[]).includes(msg.reason) ? (msg.reason as GenerationError['reason']) : 'failed';
        p.reject(new GenerationError(reason, msg.message));
      } else if (msg.type === 'identity') p.resolve(msg.identity as never);
      else p.resolve(msg.result as never);
    });
    const failAll = (err: GenerationError): void => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = null;
    };
    worker.on('error', (err) =>
      failAll(new GenerationError(/memory/i.test(err.message) ? 'memory' : 'failed', `the language-model worker failed: ${err.message}`)),
    );
    worker.on('exit', (code) => failAll(new GenerationError('failed', `the language-model worker stopped (exit ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private call<T>(build: (id: number) => LocalWorkerRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<T> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new GenerationError('cancelled', 'generation was stopped'));
        return;
      }
      const onAbort = (): void => worker.postMessage({ type: 'abort', id } satisfies LocalWorkerRequest);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: ((v: T) => (done(), resolve(v))) as (value: never) => void,
        reject: (e) => (done(), reject(e)),
        ...(onText ? { onText } : {}),
      });
      worker.ref();
      worker.postMessage(build(id));
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  identity(): Promise<ModelIdentity> {
    return this.call((id) => ({ type: 'identity', id }));
  }

  generate(request: GenerationRequest, options: GenerationOptions = {}): Promise<GenerationResult> {
    return this.call((id) => ({ type: 'generate', id, request }), options.onText, options.signal);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage({ type: 'close' } satisfies LocalWorkerRequest);
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
