import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `scribe <command> ...`: each command is a file in ./commands exporting `summary` and a default
 * `run(argv) → exit code`, so capabilities add commands without touching this file.
 */
interface CommandModule {
  summary: string;
  default: (argv: string[]) => Promise<number>;
}

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

async function commandNames(): Promise<string[]> {
  const files = await readdir(commandsDir);
  return files
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<CommandModule> {
  // A template literal with a static folder, so a bundler (scripts/build-core.mjs) finds every command.
  return (await import(`./commands/${name}.ts`)) as CommandModule;
}

/** Read a command's summary from its source, so that `--help` does not load every capability. */
async function summaryOf(name: string): Promise<string> {
  const source = await readFile(path.join(commandsDir, `${name}.ts`), 'utf8');
  const m = /export const summary\s*=\s*(['"`])((?:\\.|(?!\1).)*)\1/.exec(source);
  return m ? m[2]!.replace(/\\(.)/g, '$1') : (await loadCommand(name)).summary;
}

async function usage(): Promise<string> {
  const lines = ['Usage: scribe <command> [options]', '', 'Commands:'];
  for (const name of await commandNames()) {
    lines.push(`  ${name.padEnd(14)} ${await summaryOf(name)}`);
  }
  lines.push('', 'Run `scribe <command> --help` for its options.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  const names = await commandNames();
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !names.includes(name)) {
    console.error(`scribe: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  try {
    return await (await loadCommand(name)).default(rest);
  } catch (error) {
    console.error(`scribe ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
