import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelGenerator } from '../../app/draft/index.ts';

/**
 * A real OpenAI-compatible /v1/chat/completions server for tests, answering by running node-llama-cpp
 * (a LocalModel) on the request's messages under the request's JSON schema: streamed (SSE) or whole.
 * `behaviour` switches it into the faults a practice server can have.
 */

export type ChatServerBehaviour =
  /** Run the model. `stepped`: a streamed answer stops after its first finished section until `release()`. */
  | { kind: 'model'; stepped?: boolean }
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
  /** Stepped streaming: resolves once an answer has sent its first section and waits. */
  holding(): Promise<void>;
  /** Stepped streaming: lets the waiting answer go on to its end. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Where the sections of a streamed note answer end: a section is finished when its list closes at the
 * top level of the JSON object (strings and escapes are skipped).
 */
class SectionEnds {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The offsets in `chunk` just after each section's closing bracket. */
  scan(chunk: string): number[] {
    const ends: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        this.depth--;
        if (c === ']' && this.depth === 1) ends.push(i + 1);
      }
    }
    return ends;
  }
}

/**
 * An SSE writer that, when stepped, stops after the first finished section: what follows is queued until
 * the test releases it, so a test sees the editor with one section and not the rest, without any timing.
 */
function steppedWriter(res: ServerResponse, stepped: boolean, gate: Gate): { write(text: string): void; end(tail: string): Promise<void> } {
  const ends = new SectionEnds();
  let queue = Promise.resolve();
  // The client may hang up while an answer waits (drafting stopped): nothing more is sent then.
  let gone = false;
  let sections = 0;
  res.on('close', () => {
    gone = true;
    gate.release();
  });
  return {
    write(text) {
      if (!stepped) {
        res.write(chunkEvent(text));
        return;
      }
      queue = queue.then(async () => {
        let from = 0;
        for (const end of ends.scan(text)) {
          if (gone) return;
          res.write(chunkEvent(text.slice(from, end)));
          from = end;
          await gate.pause(++sections === 1);
        }
        if (from < text.length && !gone) res.write(chunkEvent(text.slice(from)));
      });
    },
    async end(tail) {
      await queue;
      if (!gone) res.end(tail);
    },
  };
}

const chunkEvent = (content: string): string =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;

/** A stepped answer waits after its first section until the test releases it. */
class Gate {
  private waiting: Array<() => void> = [];
  private paused: Array<() => void> = [];
  /** Called after each finished section of a stepped answer: only the first one waits. */
  pause(first: boolean): Promise<void> {
    if (!first) return Promise.resolve();
    for (const w of this.waiting.splice(0)) w();
    return new Promise((resolve) => this.paused.push(resolve));
  }
  holding(): Promise<void> {
    if (this.paused.length) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    for (const resume of this.paused.splice(0)) resume();
  }
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
  const gate = new Gate();
  const state: ChatServer = {
    url: '',
    behaviour: { kind: 'model' },
    requests: [],
    authorizations: [],
    holding: () => gate.holding(),
    release: () => gate.release(),
    close: async () => {},
  };

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
      if (stream) res.writeHead(200, { 'content-type': 'text/event-stream' });
      const out = steppedWriter(res, stream && b.kind === 'model' && b.stepped === true, gate);
      let text: string;
      let tokens: number;
      if (b.kind === 'content') {
        text = b.content;
        tokens = 0;
        if (stream) for (let i = 0; i < text.length; i += 16) out.write(text.slice(i, i + 16));
      } else {
        const result = await model.generate(
          {
            system: system.split(`\nAnswer with only one JSON object that ${SCHEMA_MARK}`)[0]!,
            user,
            schema: schema ?? { type: 'object' },
            maxTokens: body.max_tokens ?? 512,
          },
          stream ? { onText: (c) => out.write(c) } : {},
        );
        text = result.text;
        tokens = result.tokens;
      }
      const usage = { completion_tokens: tokens };
      if (stream) {
        await out.end(`data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [], usage })}\n\ndata: [DONE]\n\n`);
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
