import { describe, expect, it } from 'vitest';
import { DeadlinePassed, deadlinesFromJson, spokenDuration, within } from './deadlines.ts';

describe('deadlines after Stop', () => {
  it('a wait past its deadline is given up in words, and the late work is told to stop first', async () => {
    let stopped = false;
    const never = new Promise<string>(() => undefined);
    await expect(within(never, 5, 'Recognition after Stop', () => (stopped = true))).rejects.toThrow(
      new DeadlinePassed('Recognition after Stop did not finish within 1 s'),
    );
    expect(stopped).toBe(true);
    await expect(within(Promise.resolve('done'), 60_000, 'Drafting')).resolves.toBe('done');
  });

  it('says waits the way a person does', () => {
    expect(spokenDuration(20_000)).toBe('20 s');
    expect(spokenDuration(120_000)).toBe('2 min');
    expect(spokenDuration(150_000)).toBe('2.5 min');
  });

  it('SCRIBE_VISIT_DEADLINES: milliseconds by name; anything else refused in words', () => {
    expect(deadlinesFromJson(undefined)).toEqual({});
    expect(deadlinesFromJson('{"draftMs": 60000, "chartMs": 0}')).toEqual({ draftMs: 60_000, chartMs: 0 });
    expect(() => deadlinesFromJson('{"draft": 1}')).toThrow(/no deadline "draft" \(known: afterStopMs, /);
    expect(() => deadlinesFromJson('{"draftMs": "soon"}')).toThrow(/draftMs must be a number of milliseconds/);
    expect(() => deadlinesFromJson('{"draftMs": -1}')).toThrow(/draftMs must be a number of milliseconds/);
    expect(() => deadlinesFromJson('[1]')).toThrow(/must be a JSON object/);
    expect(() => deadlinesFromJson('draftMs=5')).toThrow(/is not JSON/);
  });
});
