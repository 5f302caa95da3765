import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createDrafter,
  DRAFT_ENGINES,
  listTemplates,
  parseTranscriptText,
  renderDraftMarkdown,
  resolveModelFile,
  type DraftEngine,
  type DrafterOptions,
} from '../../draft/index.ts';
import { parseCommandArgs } from '../args.ts';

export const summary = 'Draft a clinical note from transcript files (with evidence for every sentence)';

const HELP = `Usage: scribe draft FILE... [--out DIR] [--json] [--template NAME] [--templates-dir DIR]
  FILE is a transcript: lines "[doctor] ..." / "[patient] ..." (ACI-Bench), "Doctor: ..." / "Patient: ...",
  or the JSON of \`scribe transcribe --json\` (a Transcript).
  One FILE prints the note (Markdown) to stdout (or its JSON with --json).
  Several FILEs write NAME.md (and NAME.json with sections and evidence when --json) into --out DIR.
  --template NAME       note layout (default general-visit); --list-templates shows them
  --templates-dir DIR   the clinic's own template JSON files (same name overrides a built-in one)
  --engine builtin|llm|server   who drafts (default builtin). llm and server fall back to the built-in
                        draft with the reason on stderr when the model cannot draft.
  --model NAME|PATH     llm: an installed model pack (scribe assets list) or a .gguf file
  --server URL --server-model NAME   server: an OpenAI-compatible server (https, or http to this machine);
                        its API key, if any, from SCRIBE_LLM_API_KEY
  --timeout SECONDS     longest the model may take (default 120)`;

export default async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'draft',
    usage: HELP,
    argv,
    options: {
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      template: { type: 'string' },
      'templates-dir': { type: 'string' },
      'list-templates': { type: 'boolean', default: false },
      engine: { type: 'string', default: 'builtin' },
      model: { type: 'string' },
      server: { type: 'string' },
      'server-model': { type: 'string' },
      timeout: { type: 'string' },
    },
    positionals: { name: 'FILE', max: Infinity },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const templatesDir = values['templates-dir'];
  if (values['list-templates']) {
    const listing = listTemplates(templatesDir ? { templatesDir } : {});
    for (const t of listing.templates) console.log(`${t.name.padEnd(18)} ${t.title}: ${t.sections.map((s) => s.title).join(', ')}`);
    for (const p of listing.problems) console.error(`unusable template ${p.file}: ${p.error}`);
    return 0;
  }
  if (positionals.length === 0) {
    console.error(`scribe draft: no transcript FILE given\n\n${HELP}`);
    return 2;
  }
  if (positionals.length > 1 && !values.out) {
    console.error('scribe draft: several FILEs need --out DIR (one NAME.md per transcript)');
    return 2;
  }
  let options: DrafterOptions;
  try {
    options = drafterOptions(values);
  } catch (error) {
    console.error(`scribe draft: ${(error as Error).message}`);
    return 2;
  }
  const drafter = createDrafter({ ...options, ...(templatesDir ? { templatesDir } : {}) });
  const names = new Set<string>();
  let failures = 0;
  for (const file of positionals) {
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (error) {
      console.error(`scribe draft: cannot read ${file}: ${(error as Error).message}`);
      failures++;
      continue;
    }
    try {
      const transcript = parseTranscriptText(raw);
      const draft = await drafter.draft({ transcript, ...(values.template ? { template: values.template } : {}) });
      if (draft.fallback) console.error(`scribe draft: ${file}: ${draft.fallback}`);
      const flagged = draft.sections.flatMap((s) => s.sentences.filter((x) => x.flags?.length));
      if (flagged.length)
        console.error(`scribe draft: ${file}: ${flagged.length} sentence(s) flagged as unsupported by their cited turns (shown with ⚠)`);
      if (positionals.length === 1 && !values.out) {
        process.stdout.write(values.json ? `${JSON.stringify(draft, null, 2)}\n` : renderDraftMarkdown(draft));
        continue;
      }
      const out = values.out!;
      await mkdir(out, { recursive: true });
      let name = path.basename(file).replace(/\.[^.]+$/, '') || 'note';
      for (let i = 2; names.has(name); i++) name = `${path.basename(file).replace(/\.[^.]+$/, '')}-${i}`;
      names.add(name);
      await writeFile(path.join(out, `${name}.md`), renderDraftMarkdown(draft));
      if (values.json) await writeFile(path.join(out, `${name}.json`), `${JSON.stringify(draft, null, 2)}\n`);
      console.error(`${file} -> ${path.join(out, `${name}.md`)}`);
    } catch (error) {
      console.error(`scribe draft: ${file}: ${(error as Error).message}`);
      failures++;
    }
  }
  return failures > 0 ? 1 : 0;
}

function drafterOptions(values: {
  engine?: string;
  model?: string;
  server?: string;
  'server-model'?: string;
  timeout?: string;
}): DrafterOptions {
  const engine = values.engine ?? 'builtin';
  if (!(DRAFT_ENGINES as readonly string[]).includes(engine))
    throw new Error(`--engine must be one of ${DRAFT_ENGINES.join(', ')}, not "${engine}"`);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new Error('--timeout must be a number of seconds above 0');
  const base = { engine: engine as DraftEngine, ...(timeout ? { timeoutMs: timeout * 1000 } : {}) };
  if (engine === 'llm') {
    if (!values.model) throw new Error('--engine llm needs --model NAME|PATH (an installed model pack or a .gguf file)');
    const threads = Number(process.env['SCRIBE_LLM_THREADS'] ?? 0);
    return { ...base, llm: { modelPath: resolveModelFile(values.model), ...(threads > 0 ? { threads } : {}) } };
  }
  if (engine === 'server') {
    if (!values.server || !values['server-model']) throw new Error('--engine server needs --server URL and --server-model NAME');
    const apiKey = process.env['SCRIBE_LLM_API_KEY'];
    return { ...base, server: { baseUrl: values.server, model: values['server-model'], ...(apiKey ? { apiKey } : {}) } };
  }
  return base;
}
