/**
 * A real OpenAI-compatible `/v1/audio/transcriptions` server for tests: node:http on 127.0.0.1 that parses
 * the multipart upload and recognizes the WAV with the project's own pocketsphinx engine (no canned
 * answers). `mode` makes it fail the way practice servers do: an HTTP 500, a hang, malformed JSON, the
 * connection closed without an answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeSpeechWav } from '../../app/audio/index.ts';
import { SphinxRecognizer } from '../../app/transcribe/sphinx/recognizer.ts';

export type ServerMode = 'ok' | 'error500' | 'hang' | 'malformed' | 'close';

export interface TranscriptionRequest {
  model: string;
  responseFormat: string | null;
  authorization: string | null;
  fileType: string;
  seconds: number;
  /** What the server answered ('' for failure modes). */
  text: string;
}

export interface TestTranscriptionServer {
  url: string;
  mode: ServerMode;
  requests: TranscriptionRequest[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startTranscriptionServer(mode: ServerMode = 'ok'): Promise<TestTranscriptionServer> {
  const recognizer = new SphinxRecognizer();
  const requests: TranscriptionRequest[] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const state = { mode };
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const raw = await body(req);
      // The multipart form parsed by the platform's own parser (undici), as a server framework would.
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const file = form.get('file');
      if (!(file instanceof Blob)) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"file missing"}');
        return;
      }
      const pcm = decodeSpeechWav(new Uint8Array(await file.arrayBuffer()));
      const request: TranscriptionRequest = {
        model: String(form.get('model') ?? ''),
        responseFormat: typeof form.get('response_format') === 'string' ? String(form.get('response_format')) : null,
        authorization: req.headers.authorization ?? null,
        fileType: file.type,
        seconds: pcm.length / 16000,
        text: '',
      };
      requests.push(request);
      if (state.mode === 'hang') {
        hanging.add(res);
        return;
      }
      if (state.mode === 'close') {
        req.socket.destroy();
        return;
      }
      if (state.mode === 'error500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('model not loaded');
        return;
      }
      recognizer.begin();
      recognizer.feed(pcm);
      request.text = (await recognizer.end()).text;
      if (state.mode === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(`{"text": "${request.text}`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: request.text }));
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(m: ServerMode) {
      state.mode = m;
    },
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      recognizer.close();
    },
  };
}
