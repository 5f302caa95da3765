import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelGenerator } from '../../app/draft/index.ts';

/**
 * A real OpenAI-compatible /v1/chat/completions server for tests, answering by running node-llama-cpp
 * (a LocalModel) on the request's messages under the request's JSON schema: streamed (SSE) or whole.
 * `behaviour` switches it into the faults a practice server can have.
 */

export type ChatServerBehaviour =
  | { kind: 'model' }
  /** Refuse json_schema structured output with 400 (as servers without it do); plain requests run the model. */
  | { kind: 'no-structured-output' }
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  /** Answer this content instead of running the model (hostile or broken answers). */
  | { kind: 'content'; content: string };

export interface ChatServer {
  url: string;
  behaviour: ChatServerBehaviour;
  /** Bodies received, in order. */
  requests: Array<Record<string, unknown>>;
  /** The Authorization header of each request (null when none), in order. */
  authorizations: Array<string | null>;
  close(): Promise<void>;
}

interface ChatBody {
  model?: string;
  messages?: Array<{ role: string; content: string }>;
  max_tokens?: number;
  stream?: boolean;
  response_format?: { type?: string; json_schema?: { schema?: Record<string, unknown> } };
}

const SCHEMA_MARK = 'follows this JSON schema:\n';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (s += c));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

export async function startChatServer(model: ModelGenerator): Promise<ChatServer> {
  const hanging = new Set<ServerResponse>();
  const state: ChatServer = { url: '', behaviour: { kind: 'model' }, requests: [], authorizations: [], close: async () => {} };

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(await readBody(req)) as ChatBody;
      state.requests.push(body as Record<string, unknown>);
      state.authorizations.push(req.headers.authorization ?? null);
      const b = state.behaviour;
      if (b.kind === 'status') {
        res.writeHead(b.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'model crashed' } }));
        return;
      }
      if (b.kind === 'hang') {
        hanging.add(res);
        return;
      }
      let schema = body.response_format?.type === 'json_schema' ? body.response_format.json_schema?.schema : undefined;
      if (schema && b.kind === 'no-structured-output') {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: "response_format type 'json_schema' is not supported" } }));
        return;
      }
      const system = body.messages?.find((m) => m.role === 'system')?.content ?? '';
      const user = body.messages?.find((m) => m.role === 'user')?.content ?? '';
      if (!schema && system.includes(SCHEMA_MARK))
        schema = JSON.parse(system.slice(system.indexOf(SCHEMA_MARK) + SCHEMA_MARK.length)) as Record<string, unknown>;
      const stream = body.stream === true;
      const chunkEvent = (content: string): string =>
        `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;
      if (stream) res.writeHead(200, { 'content-type': 'text/event-stream' });
      let text: string;
      let tokens: number;
      if (b.kind === 'content') {
        text = b.content;
        tokens = 0;
        if (stream) for (let i = 0; i < text.length; i += 16) res.write(chunkEvent(text.slice(i, i + 16)));
      } else {
        const result = await model.generate(
          {
            system: system.split(`\nAnswer with only one JSON object that ${SCHEMA_MARK}`)[0]!,
            user,
            schema: schema ?? { type: 'object' },
            maxTokens: body.max_tokens ?? 512,
          },
          stream ? { onText: (c) => res.write(chunkEvent(c)) } : {},
        );
        text = result.text;
        tokens = result.tokens;
      }
      const usage = { completion_tokens: tokens };
      if (stream) {
        res.write(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
        res.end('data: [DONE]\n\n');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
            usage,
          }),
        );
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
