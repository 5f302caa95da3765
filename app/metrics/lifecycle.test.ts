import { describe, expect, it } from 'vitest';
import type { VisitLifecycleEvent } from './events.ts';
import { metricsLifecycleListener } from './lifecycle.ts';

describe('metricsLifecycleListener', () => {
  it('records the events metrics measure, adds the dictated words at signing, ignores the rest and never throws', async () => {
    const recorded: VisitLifecycleEvent[] = [];
    const errors: string[] = [];
    const listener = metricsLifecycleListener(
      {
        record: async (e) => {
          if (e.visitId === 'bad') throw new Error('refused');
          recorded.push(e);
          return {} as never;
        },
      },
      {
        onError: (_e, type) => errors.push(type),
        dictatedText: async (id) => `dictated for ${id}`,
        codingDecisions: async () => [{ action: 'accept' }, { action: 'accept' }, { action: 'replace' }],
      },
    );
    const base = { visitId: 'v-1', clinicianId: 'dr', visitType: 'follow-up', at: '2026-11-25T10:00:00Z' };
    listener({ ...base, type: 'visit.started' });
    listener({ ...base, type: 'draft.edited', sectionId: 'plan' });
    listener({ ...base, type: 'visit.signed', draftText: 'a', signedText: 'a b' });
    listener({ ...base, visitId: 'bad', type: 'visit.started' });
    await new Promise((r) => setTimeout(r, 20));
    expect(recorded.map((e) => e.type)).toEqual(['visit.started', 'visit.signed']);
    expect(recorded[1]).toMatchObject({ dictatedText: 'dictated for v-1', coding: { accepted: 2, rejected: 0, replaced: 1 } });
    expect(errors).toEqual(['visit.started']);
  });
});
