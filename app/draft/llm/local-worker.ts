/**
 * The local language-model worker thread: owns the node-llama-cpp runtime and one loaded GGUF model, so
 * loading weights and sampling under the grammar never block the core's event loop. One generation at a
 * time; an abort message stops the running one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { getLlama, LlamaChatSession, LlamaLogLevel, type Llama, type LlamaModel } from 'node-llama-cpp';
import type { GenerationResult, ModelIdentity } from './generator.ts';
import type { LocalWorkerInit, LocalWorkerReply, LocalWorkerRequest } from './local-protocol.ts';

const port = parentPort;
if (!port) throw new Error('local-worker must run in a worker thread');
const init = workerData as LocalWorkerInit;
const send = (msg: LocalWorkerReply): void => port.postMessage(msg);

let llama: Llama | null = null;
let model: LlamaModel | null = null;
let identity: ModelIdentity | null = null;
const aborts = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

class Failure extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolveHash, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => hash.update(b))
      .on('error', reject)
      .on('end', () => resolveHash(hash.digest('hex')));
  });
}

async function loadModel(): Promise<LlamaModel> {
  if (model) return model;
  if (!existsSync(init.modelPath)) throw new Failure('missing', `the model file ${init.modelPath} is not on this workstation`);
  try {
    llama ??= await getLlama({ gpu: init.cpuOnly ? false : 'auto', build: 'never', logLevel: LlamaLogLevel.error });
  } catch (err) {
    throw new Failure('failed', `the language-model runtime could not start: ${(err as Error).message}`);
  }
  try {
    model = await llama.loadModel({ modelPath: init.modelPath });
  } catch (err) {
    const message = (err as Error).message;
    if (/memory|vram|ram\b|allocate/i.test(message))
      throw new Failure('memory', `the model does not fit in this workstation's memory (${message})`);
    throw new Failure('failed', `the model file could not be loaded: ${message}`);
  }
  return model;
}

async function modelIdentity(): Promise<ModelIdentity> {
  if (identity) return identity;
  const m = await loadModel();
  const general = (m.fileInfo.metadata as { general?: { name?: unknown; version?: unknown } }).general ?? {};
  const name = typeof general.name === 'string' && general.name ? general.name : basename(init.modelPath, '.gguf');
  const version = typeof general.version === 'string' ? general.version : undefined;
  identity = { name, ...(version ? { version } : {}), sha256: await sha256Of(init.modelPath) };
  return identity;
}

async function generate(id: number, request: Extract<LocalWorkerRequest, { type: 'generate' }>['request']): Promise<GenerationResult> {
  const m = await loadModel();
  const lm = llama!;
  const controller = aborts.get(id) ?? new AbortController();
  const started = performance.now();
  let context;
  try {
    context = await m.createContext({
      contextSize: { min: 512, max: init.contextSize ?? Math.min(8192, m.trainContextSize) },
      ...(init.threads ? { threads: init.threads } : {}),
    });
  } catch (err) {
    throw new Failure('memory', `no room for the model's working memory: ${(err as Error).message}`);
  }
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: request.system });
    const grammar = await lm.createGrammarForJsonSchema(request.schema as never);
    let tokens = 0;
    const text = await session.prompt(request.user, {
      grammar,
      maxTokens: request.maxTokens,
      signal: controller.signal,
      temperature: 0,
      onToken: (t) => {
        tokens += t.length;
      },
      onTextChunk: (chunk) => send({ type: 'text', id, chunk }),
    });
    return { text, tokens, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    if (controller.signal.aborted) throw new Failure('cancelled', 'generation was stopped');
    throw err;
  } finally {
    await context.dispose();
  }
}

function reply(id: number, err: unknown): void {
  const reason = err instanceof Failure ? err.reason : 'failed';
  send({ type: 'error', id, reason, message: (err as Error)?.message ?? String(err) });
}

port.on('message', (msg: LocalWorkerRequest) => {
  if (msg.type === 'abort') {
    const c = aborts.get(msg.id);
    if (c) c.abort();
    else aborts.set(msg.id, abortedController());
    return;
  }
  if (msg.type === 'generate' && !aborts.has(msg.id)) aborts.set(msg.id, new AbortController());
  queue = queue.then(async () => {
    try {
      switch (msg.type) {
        case 'identity':
          send({ type: 'identity', id: msg.id, identity: await modelIdentity() });
          break;
        case 'generate':
          if (aborts.get(msg.id)?.signal.aborted) throw new Failure('cancelled', 'generation was stopped');
          send({ type: 'done', id: msg.id, result: await generate(msg.id, msg.request) });
          break;
        case 'close':
          await model?.dispose();
          await llama?.dispose();
          model = null;
          port.close();
          break;
      }
    } catch (err) {
      if ('id' in msg) reply(msg.id, err);
    } finally {
      if ('id' in msg) aborts.delete(msg.id);
    }
  });
});

function abortedController(): AbortController {
  const c = new AbortController();
  c.abort();
  return c;
}
