import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/**
 * The one way a `scribe` command reads its arguments: node:util `parseArgs` (strict), plus `-h/--help`,
 * a check of how many positionals it takes and which options it needs, and errors in plain words
 * (`scribe code: unknown option --tpo`) followed by the command's usage, exit code 2.
 */
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

type Config<O extends ParseArgsOptionsConfig> = { args: string[]; options: O & typeof HELP_OPTION; allowPositionals: true; strict: true };
export type CommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<Config<O>>>;

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  /** As the user typed it, e.g. `code` or `assets install`: the prefix of every error. */
  command: string;
  usage: string;
  argv: string[];
  options: O;
  /** What the positionals are called in errors (`FILE`), and how many are allowed (default: none). */
  positionals?: { name: string; min?: number; max?: number };
  /** Options that must be given. */
  required?: ReadonlyArray<keyof O & string>;
}

/**
 * Parsed arguments, or the exit code when the command should stop here: 0 after printing the usage for
 * `--help`, 2 after printing what is wrong and the usage.
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): CommandArgs<O> | number {
  let parsed: CommandArgs<O>;
  try {
    parsed = parseArgs<Config<O>>({ args: spec.argv, options: { ...spec.options, ...HELP_OPTION }, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(spec, plainWords(error));
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(spec.usage);
    return 0;
  }
  const { name = 'argument', min = 0, max = 0 } = spec.positionals ?? {};
  const count = parsed.positionals.length;
  if (count < min) return usageError(spec, min === 1 ? `no ${name} given` : `give at least ${min} ${name}s`);
  if (count > max) {
    return usageError(
      spec,
      max === 0 ? `unexpected argument '${parsed.positionals[0]}'` : `give at most ${max} ${name}${max === 1 ? '' : 's'} (got ${count})`,
    );
  }
  const values = parsed.values as Record<string, unknown>;
  const missing = (spec.required ?? []).filter((option) => values[option] === undefined);
  if (missing.length) return usageError(spec, `${missing.map((m) => `--${m}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} required`);
  return parsed;
}

/** Print `scribe COMMAND: problem` and the usage; the exit code of a usage error. */
export function usageError(spec: Pick<CommandSpec<ParseArgsOptionsConfig>, 'command' | 'usage'>, problem: string): number {
  console.error(`scribe ${spec.command}: ${problem}\n\n${spec.usage}`);
  return 2;
}

function plainWords(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /(--[\w-]+)/.exec(message ?? '')?.[1] ?? /'(-\w)/.exec(message ?? '')?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message ?? '') ? `${option} needs a value` : `${option} takes no value`;
  }
  return message ?? String(error);
}
