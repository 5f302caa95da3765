import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDrafter, listTemplates, parseTranscriptText, renderDraftMarkdown } from '../../draft/index.ts';
import { parseCommandArgs } from '../args.ts';

export const summary = 'Draft a clinical note from transcript files (with evidence for every sentence)';

const HELP = `Usage: scribe draft FILE... [--out DIR] [--json] [--template NAME] [--templates-dir DIR]
  FILE is a transcript: lines "[doctor] ..." / "[patient] ..." (ACI-Bench), "Doctor: ..." / "Patient: ...",
  or the JSON of \`scribe transcribe --json\` (a Transcript).
  One FILE prints the note (Markdown) to stdout (or its JSON with --json).
  Several FILEs write NAME.md (and NAME.json with sections and evidence when --json) into --out DIR.
  --template NAME       note layout (default general-visit); --list-templates shows them
  --templates-dir DIR   the clinic's own template JSON files (same name overrides a built-in one)`;

export default async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'draft', usage: HELP, argv,
    options: {
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      template: { type: 'string' },
      'templates-dir': { type: 'string' },
      'list-templates': { type: 'boolean', default: false },
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
  const drafter = createDrafter({ engine: 'builtin', ...(templatesDir ? { templatesDir } : {}) });
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
