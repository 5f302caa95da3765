import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommandArgs } from './args.ts';

const spec = {
  command: 'demo',
  usage: 'Usage: scribe demo FILE [--top N] [--json] --site NAME',
  options: { top: { type: 'string', default: '15' }, json: { type: 'boolean' }, site: { type: 'string' } },
  positionals: { name: 'FILE', min: 1, max: 1 },
  required: ['site'],
} as const;

describe('parseCommandArgs', () => {
  const errors: string[] = [];
  const logs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    errors.length = 0;
    logs.length = 0;
  });
  const capture = () => {
    vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    vi.spyOn(console, 'log').mockImplementation((m: string) => void logs.push(m));
  };

  it('returns typed values and positionals, with defaults', () => {
    const args = parseCommandArgs({ ...spec, argv: ['note.txt', '--site', 'north', '--json'] });
    expect(args).toMatchObject({ values: { top: '15', json: true, site: 'north' }, positionals: ['note.txt'] });
  });

  it('prints the usage for --help and -h and stops with 0', () => {
    capture();
    expect(parseCommandArgs({ ...spec, argv: ['--help'] })).toBe(0);
    expect(parseCommandArgs({ ...spec, argv: ['-h'] })).toBe(0);
    expect(logs).toEqual([spec.usage, spec.usage]);
  });

  it('names an unknown option, a missing value, a stray value and a missing option in plain words, with the usage, exit 2', () => {
    capture();
    for (const [argv, problem] of [
      [['note.txt', '--site', 'x', '--tpo', '3'], 'unknown option --tpo'],
      [['note.txt', '--site', 'x', '--top'], '--top needs a value'],
      [['note.txt', '--site', 'x', '--json=yes'], '--json takes no value'],
      [['note.txt'], '--site is required'],
      [['--site', 'x'], 'no FILE given'],
      [['a.txt', 'b.txt', '--site', 'x'], 'give at most 1 FILE (got 2)'],
    ] as const) {
      errors.length = 0;
      expect(parseCommandArgs({ ...spec, argv: [...argv] }), argv.join(' ')).toBe(2);
      expect(errors).toEqual([`scribe demo: ${problem}\n\n${spec.usage}`]);
    }
  });

  it('refuses positionals a command takes none of', () => {
    capture();
    expect(parseCommandArgs({ command: 'web', usage: 'Usage: scribe web', argv: ['extra'], options: {} })).toBe(2);
    expect(errors[0]).toMatch(/^scribe web: unexpected argument 'extra'/);
  });
});
