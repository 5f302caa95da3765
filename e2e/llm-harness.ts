import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalModel } from '../app/draft/index.ts';
import { startChatServer, type ChatServer } from '../testing/llm/chat-server.ts';
import { type TinyModelOptions, writeTinyModel } from '../testing/llm/tiny-model.ts';

/** A practice drafting server for e2e: an OpenAI-compatible loopback server running node-llama-cpp on a tiny generated model. */
export interface TinyPracticeServer {
  chat: ChatServer;
  model: LocalModel;
  /** host:port, as the consent script and the processing line name the server. */
  host: string;
  close(): Promise<void>;
}

/** Writes the tiny model into `dir` and serves it. */
export async function startTinyPracticeServer(dir: string, options: TinyModelOptions): Promise<TinyPracticeServer> {
  const modelPath = path.join(dir, 'tiny.gguf');
  writeTinyModel(modelPath, options);
  const model = new LocalModel({ modelPath, threads: 1, cpuOnly: true });
  const chat = await startChatServer(model);
  return {
    chat,
    model,
    host: new URL(chat.url).host,
    async close() {
      await chat.close();
      await model.close();
    },
  };
}

/** The workstation settings of an app that records with pocketsphinx, reads the sandbox EHR and drafts on `server`. */
export function writeServerDraftingSettings(dataDir: string, server: TinyPracticeServer, servedModel = 'tiny-served'): void {
  writeFileSync(
    path.join(dataDir, 'workstation-settings.json'),
    JSON.stringify({
      recognition: { engine: 'sphinx', model: null },
      ehr: { mode: 'sandbox', baseUrl: null, clientId: null },
      drafting: { engine: 'server', model: null, server: { baseUrl: server.chat.url, model: servedModel } },
    }),
  );
}
