/** The `server` engine's model: a practice's OpenAI-compatible /v1/chat/completions endpoint. */
import { checkPracticeServerUrl, openAiEndpoint } from '../../secrets/index.ts';
import {
  GenerationError,
  type GenerationOptions,
  type GenerationRequest,
  type GenerationResult,
  type ModelGenerator,
  type ModelIdentity,
} from './generator.ts';

export interface ServerModelOptions {
  /** e.g. https://llm.clinic.local:8000 (or .../v1). */
  baseUrl: string;
  /** The model name the server knows (vLLM/llama.cpp/Ollama model id). */
  model: string;
  /** Bearer token, read from the OS keychain by the caller. */
  apiKey?: string;
  /** Hosts IT allowed over plain http (besides loopback). */
  allowedPlainHosts?: readonly string[];
  /** Stream the answer (default true). */
  stream?: boolean;
}

interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export class ServerModel implements ModelGenerator {
  readonly engine = 'server' as const;
  private endpointUrl: URL | null = null;
  /** Learnt once: the server refused json_schema structured output, so ask for plain JSON and validate it. */
  private structured = true;

  constructor(private readonly options: ServerModelOptions) {}

  /** The chat endpoint, once the address passed the https rule (a refused address is a clear error at draft time). */
  private get endpoint(): URL {
    if (this.endpointUrl) return this.endpointUrl;
    try {
      this.endpointUrl = openAiEndpoint(checkPracticeServerUrl(this.options.baseUrl, this.options.allowedPlainHosts), 'chat/completions');
    } catch (err) {
      throw new GenerationError('unreachable', (err as Error).message);
    }
    return this.endpointUrl;
  }

  identity(): Promise<ModelIdentity> {
    return Promise.resolve({ name: this.options.model, version: `served by ${new URL(this.options.baseUrl).host}` });
  }

  async generate(request: GenerationRequest, options: GenerationOptions = {}): Promise<GenerationResult> {
    const started = performance.now();
    void this.endpoint;
    const messages: ChatMessage[] = [
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ];
    let response = await this.post(this.body(request, messages, this.structured), options.signal);
    if (this.structured && (response.status === 400 || response.status === 422)) {
      // This server has no json_schema structured output: ask for the same shape in words and validate.
      this.structured = false;
      await response.body?.cancel();
      response = await this.post(this.body(request, messages, false), options.signal);
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      throw new GenerationError(
        'server',
        `the practice server answered ${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`,
      );
    }
    const stream = this.options.stream ?? true;
    const { text, tokens } = stream ? await this.readStream(response, options) : await this.readWhole(response, options);
    return { text, tokens, seconds: (performance.now() - started) / 1000 };
  }

  private body(request: GenerationRequest, messages: ChatMessage[], structured: boolean): Record<string, unknown> {
    const stream = this.options.stream ?? true;
    const withSchema: ChatMessage[] = structured
      ? messages
      : [
          {
            role: 'system',
            content: `${messages[0]!.content}\nAnswer with only one JSON object that follows this JSON schema:\n${JSON.stringify(request.schema)}`,
          },
          messages[1]!,
        ];
    return {
      model: this.options.model,
      messages: withSchema,
      max_tokens: request.maxTokens,
      temperature: 0,
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...(structured
        ? { response_format: { type: 'json_schema', json_schema: { name: 'clinical_note', strict: true, schema: request.schema } } }
        : {}),
    };
  }

  private async post(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw new GenerationError('cancelled', 'generation was stopped');
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new GenerationError(
        'unreachable',
        `the practice server at ${this.endpoint.origin} cannot be reached (${cause?.code ?? cause?.message ?? (err as Error).message})`,
      );
    }
  }

  private async readWhole(response: Response, options: GenerationOptions): Promise<{ text: string; tokens: number }> {
    const json = (await this.readJson(await this.readText(response, options.signal))) as {
      choices?: Array<{ message?: { content?: unknown } }>;
      usage?: { completion_tokens?: unknown };
    };
    const content = json.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new GenerationError('malformed', "the practice server's answer has no message content");
    options.onText?.(content);
    return { text: content, tokens: typeof json.usage?.completion_tokens === 'number' ? json.usage.completion_tokens : 0 };
  }

  private async readText(response: Response, signal?: AbortSignal): Promise<string> {
    try {
      return await response.text();
    } catch (err) {
      if (signal?.aborted) throw new GenerationError('cancelled', 'generation was stopped');
      throw new GenerationError('unreachable', `the practice server's answer broke off (${(err as Error).message})`);
    }
  }

  private readJson(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new GenerationError('malformed', `the practice server did not answer in JSON: ${text.slice(0, 120)}`);
    }
  }

  private async readStream(response: Response, options: GenerationOptions): Promise<{ text: string; tokens: number }> {
    if (!response.body) throw new GenerationError('malformed', 'the practice server sent an empty answer');
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      return this.readWhole(response, options); // some servers ignore stream: true
    }
    const decoder = new TextDecoder();
    let buffer = '';
    let text = '';
    let tokens = 0;
    let usage = 0;
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value: bytes } = await reader.read();
        if (done) break;
        buffer += decoder.decode(bytes, { stream: true });
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') return { text, tokens: usage || tokens };
          const event = this.readJson(data) as {
            choices?: Array<{ delta?: { content?: unknown } }>;
            usage?: { completion_tokens?: unknown };
          };
          if (typeof event.usage?.completion_tokens === 'number') usage = event.usage.completion_tokens;
          const chunk = event.choices?.[0]?.delta?.content;
          if (typeof chunk === 'string' && chunk) {
            text += chunk;
            tokens++;
            options.onText?.(chunk);
          }
        }
      }
    } catch (err) {
      if (err instanceof GenerationError) throw err;
      if (options.signal?.aborted) throw new GenerationError('cancelled', 'generation was stopped');
      throw new GenerationError('unreachable', `the practice server's stream broke off (${(err as Error).message})`);
    }
    return { text, tokens: usage || tokens };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
