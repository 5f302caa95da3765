/** Settings' Check: one tiny generation against the chosen drafting engine, reported in words. */
import { GenerationError, type ModelGenerator } from './generator.ts';
import { LocalModel } from './local.ts';
import { resolveModelFile } from './model-packs.ts';
import { ServerModel } from './server.ts';

export interface DraftingCheckChoice {
  engine: 'builtin' | 'llm' | 'server';
  model: string | null;
  server: { baseUrl: string; model: string; allowedPlainHosts?: readonly string[] } | null;
}

export interface DraftingCheckResult {
  ok: boolean;
  engine: DraftingCheckChoice['engine'];
  /** The model that answered (name, and where it was served or its version). */
  model: string | null;
  seconds: number | null;
  tokens: number | null;
  /** The result in one plain sentence: what answered and how fast, or why it did not. */
  summary: string;
}

/**
 * A one-word answer: enough to prove the model loads (or the server answers) and honours a JSON schema. The
 * schema admits only {"status":"ready"}, so any model under a grammar finishes in a few tokens; a server
 * without structured output must still say it in valid JSON.
 */
const TINY_REQUEST = {
  system: 'You check that a clinical drafting model is working. Answer with JSON only.',
  user: 'Reply with {"status":"ready"}.',
  schema: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['ready'] } },
    required: ['status'],
    additionalProperties: false,
  },
  maxTokens: 64,
};

/**
 * Run a tiny generation on the engine a setting names (without saving it). Never throws for the engine's
 * own failures: a missing pack, a refused address, a server down, a hang past `timeoutMs` or a model that
 * will not load is answered with `ok: false` and the reason in words.
 */
export async function checkDraftingEngine(
  choice: DraftingCheckChoice,
  options: { apiKey?: string | null; timeoutMs?: number; threads?: number; cpuOnly?: boolean } = {},
): Promise<DraftingCheckResult> {
  const failed = (model: string | null, reason: string): DraftingCheckResult => ({
    ok: false,
    engine: choice.engine,
    model,
    seconds: null,
    tokens: null,
    summary: reason,
  });
  if (choice.engine === 'builtin') {
    return {
      ok: true,
      engine: 'builtin',
      model: null,
      seconds: 0,
      tokens: 0,
      summary: 'The built-in drafter needs no model: it is always ready on this workstation.',
    };
  }
  let generator: ModelGenerator;
  let label: string;
  try {
    if (choice.engine === 'llm') {
      if (!choice.model) return failed(null, 'Choose a model pack (or a .gguf file) first.');
      label = choice.model;
      generator = new LocalModel({
        modelPath: resolveModelFile(choice.model),
        contextSize: 512, // the check's prompt and answer are a few dozen tokens
        ...(options.threads ? { threads: options.threads } : {}),
        ...(options.cpuOnly ? { cpuOnly: true } : {}),
      });
    } else {
      if (!choice.server) return failed(null, 'Enter the server address and the model name first.');
      label = choice.server.model;
      generator = new ServerModel({
        baseUrl: choice.server.baseUrl,
        model: choice.server.model,
        ...(choice.server.allowedPlainHosts ? { allowedPlainHosts: choice.server.allowedPlainHosts } : {}),
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      });
    }
  } catch (err) {
    return failed(choice.model, `Not ready: ${(err as Error).message}.`);
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = performance.now();
  try {
    const identity = await generator.identity();
    label = identity.version ? `${identity.name} (${identity.version})` : identity.name;
    const result = await generator.generate(TINY_REQUEST, { signal: controller.signal });
    try {
      JSON.parse(result.text);
    } catch {
      return failed(label, `${label} answered, but not with the JSON asked for: ${result.text.slice(0, 80)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const where = choice.engine === 'llm' ? 'on this workstation' : 'on the practice server';
    return {
      ok: true,
      engine: choice.engine,
      model: label,
      seconds,
      tokens: result.tokens,
      summary: `${label} answered ${where} in ${seconds.toFixed(1)} s${result.tokens ? ` (${result.tokens} tokens)` : ''}. Drafting can use it.`,
    };
  } catch (err) {
    if (controller.signal.aborted)
      return failed(
        label,
        `${label} did not answer within ${Math.round(timeoutMs / 1000)} s; notes would fall back to the built-in draft.`,
      );
    const message = err instanceof GenerationError || err instanceof Error ? err.message : String(err);
    return failed(label, `${label} did not answer: ${message}. Notes would fall back to the built-in draft.`);
  } finally {
    clearTimeout(timer);
    await generator.close().catch(() => undefined);
  }
}
