import { describe, expect, it } from 'vitest';
import { contract, callNames } from '../contract/index.ts';
import { ScribeError } from '../contract/index.ts';
import { createAccessPolicy } from './access.ts';
import { createDispatcher, type Handlers } from './dispatch.ts';
import type { User } from '../contract/index.ts';

const clinician: User = { id: 'dr-a', name: 'Dr A', role: 'clinician', fhirUser: 'Practitioner/dr-a' };
const manager: User = { id: 'm', name: 'M', role: 'manager' };

/** Every visit here is Dr A's and assigned to nobody (the access rules have their own tests: access.test.ts). */
const policy = createAccessPolicy({ clinicianOf: async () => 'dr-a', scribeOf: async () => null, visitOfDictation: () => null });

/** Handlers that record what reached them; each returns a value valid for its output schema where needed. */
function recordingHandlers(seen: unknown[]): Handlers {
  const handlers: Record<string, unknown> = {};
  for (const name of callNames) {
    handlers[name] = (input: unknown) => {
      seen.push([name, input]);
      if (name === 'visit.appendAudio') return { audioSeconds: 1.5 };
      if (name === 'visit.list' || name === 'schedule.today') return [];
      return { wrong: 'shape' };
    };
  }
  return handlers as Handlers;
}

async function rejection(p: Promise<unknown>): Promise<ScribeError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ScribeError);
    return error as ScribeError;
  }
  throw new Error('expected a rejection');
}

describe('the contract', () => {
  it('declares input, output and roles for every call', () => {
    for (const name of callNames) {
      const spec = contract[name];
      expect(spec.roles.length, name).toBeGreaterThan(0);
      expect(typeof spec.input.safeParse).toBe('function');
      expect(typeof spec.output.safeParse).toBe('function');
      expect(spec.summary.length, name).toBeGreaterThan(5);
    }
  });
});

describe('createDispatcher', () => {
  it('passes a valid call through and returns the validated answer', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatcher(recordingHandlers(seen), () => clinician, policy);
    const pcm16 = Buffer.alloc(3200).toString('base64');
    await expect(dispatch('visit.appendAudio', { visitId: 'v-1', seq: 0, pcm16 })).resolves.toEqual({ audioSeconds: 1.5 });
    expect(seen).toEqual([['visit.appendAudio', { visitId: 'v-1', seq: 0, pcm16 }]]);
  });

  it.each([
    ['a missing field', 'visit.stop', {}, /visitId/],
    ['a wrong type', 'visit.appendAudio', { visitId: 'v-1', seq: 'zero', pcm16: '' }, /seq/],
    ['a negative sequence number', 'visit.appendAudio', { visitId: 'v-1', seq: -1, pcm16: '' }, /seq/],
    ['an extra field', 'visit.stop', { visitId: 'v-1', admin: true }, /admin|Unrecognized/i],
    ['an id with path characters', 'visit.get', { visitId: '../../etc/passwd' }, /visitId/],
    ['audio that is not base64', 'visit.appendAudio', { visitId: 'v-1', seq: 0, pcm16: '<script>' }, /pcm16/],
    ['an oversized audio chunk', 'visit.appendAudio', { visitId: 'v-1', seq: 0, pcm16: 'A'.repeat(600_000) }, /pcm16/],
    ['an unknown consent value', 'visit.start', { encounterId: 'e1', consent: 'maybe' }, /consent/],
    ['a null payload for a call that needs one', 'visit.get', null, /visitId/],
  ])('rejects %s with bad_request and names the field', async (_what, name, input, field) => {
    const seen: unknown[] = [];
    const dispatch = createDispatcher(recordingHandlers(seen), () => clinician, policy);
    const error = await rejection(dispatch(name, input));
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(field);
    expect(seen).toEqual([]);
  });

  it('rejects unknown and non-string call names with not_found', async () => {
    const dispatch = createDispatcher(recordingHandlers([]), () => clinician, policy);
    expect((await rejection(dispatch('visit.delete_everything', {}))).code).toBe('not_found');
    expect((await rejection(dispatch({ toString: () => 'visit.get' }, {}))).code).toBe('not_found');
    expect((await rejection(dispatch('__proto__', {}))).code).toBe('not_found');
    expect((await rejection(dispatch('constructor', {}))).code).toBe('not_found');
  });

  it('enforces roles in the core: a practice manager cannot read a visit or sign', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatcher(recordingHandlers(seen), () => manager, policy);
    expect((await rejection(dispatch('visit.get', { visitId: 'v-1' }))).code).toBe('forbidden');
    expect((await rejection(dispatch('visit.sign', { visitId: 'v-1' }))).code).toBe('forbidden');
    expect(seen).toEqual([]);
  });

  it('refuses calls when nobody is signed in, except reading the session', async () => {
    const dispatch = createDispatcher(recordingHandlers([]), () => null, policy);
    expect((await rejection(dispatch('visit.list', {}))).code).toBe('forbidden');
  });

  it('never sends a handler answer that breaks the output schema', async () => {
    const dispatch = createDispatcher(recordingHandlers([]), () => clinician, policy);
    const error = await rejection(dispatch('visit.get', { visitId: 'v-1' }));
    expect(error.code).toBe('internal');
    expect(error.message).toMatch(/invalid answer/);
  });
});

describe("a language model's streamed sections and its Stop", () => {
  // Dr A's visit, assigned to scribe Sam.
  const assigned = createAccessPolicy({ clinicianOf: async () => 'dr-a', scribeOf: async () => 'sam', visitOfDictation: () => null });
  const section = { visitId: 'v-1', section: { id: 'hpi', title: 'HPI', text: 'Headache.', edited: false, sentences: [] } };
  const sam: User = { id: 'sam', name: 'Sam', role: 'scribe' };
  const kim: User = { id: 'kim', name: 'Kim', role: 'scribe' };
  const drB: User = { id: 'dr-b', name: 'Dr B', role: 'clinician', fhirUser: 'Practitioner/dr-b' };

  it('reach only those who may read the visit', async () => {
    expect(await assigned.mayReceive('draft.section', clinician, section)).toBe(true);
    expect(await assigned.mayReceive('draft.section', sam, section)).toBe(true);
    for (const user of [drB, kim, manager, null]) expect(await assigned.mayReceive('draft.section', user, section)).toBe(false);
  });

  it('may be stopped by those who may redraft the visit, and nobody else', async () => {
    await expect(assigned.checkCall('draft.stop', clinician, { visitId: 'v-1' })).resolves.toEqual({ visitId: 'v-1' });
    await expect(assigned.checkCall('draft.stop', sam, { visitId: 'v-1' })).resolves.toEqual({ visitId: 'v-1' });
    expect((await rejection(assigned.checkCall('draft.stop', drB, { visitId: 'v-1' }))).code).toBe('forbidden');
    expect((await rejection(assigned.checkCall('draft.stop', kim, { visitId: 'v-1' }))).code).toBe('forbidden');
    expect(contract['draft.stop'].access).toEqual(contract['draft.regenerate'].access);
  });
});
