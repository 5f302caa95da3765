// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DraftSection } from '../../../app/contract/index.ts';

// The drafting preview in a real React tree fed by draft.section events (window.scribe as the preload
// exposes it): sections show as they arrive, read-only; another visit's sections never show; a new run
// (the complete draft arrived, or a redraft ended) drops them all.

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const emit = (event: string, payload: unknown) => act(() => listeners.get(event)?.forEach((l) => l(payload)));
(window as unknown as { scribe: unknown }).scribe = {
  on(event: string, listener: Listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  },
};
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const section = (id: string, text: string, flagged = false): DraftSection => ({
  id,
  title: id.toUpperCase(),
  text,
  edited: false,
  sentences: [{ text, evidence: ['s1'], ...(flagged ? { flags: [{ kind: 'number', value: '20' }] } : {}) }],
});

let root: Root;
let host: HTMLDivElement;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('drafting preview', () => {
  it('shows each finished section as it arrives, read-only, and drops them when the run changes', async () => {
    const { DraftingPreview, useStreamedSections } = await import('./drafting-preview.tsx');
    let stops = 0;
    function Screen({ run }: { run: string }) {
      const sections = useStreamedSections('v-1', run);
      return <DraftingPreview sections={sections} stopping={false} onStop={() => void stops++} />;
    }
    act(() => root.render(<Screen run="processing:0" />));
    expect(host.querySelector('[data-testid="drafting-badge"]')!.textContent).toContain('no section finished yet');

    emit('draft.section', { visitId: 'v-1', section: section('hpi', 'Headache for 3 days.') });
    emit('draft.section', { visitId: 'v-other', section: section('plan', 'Not this visit.') });
    const hpi = host.querySelector<HTMLTextAreaElement>('[data-testid="drafting-section-hpi"]')!;
    expect(hpi.value).toBe('Headache for 3 days.');
    expect(hpi.readOnly).toBe(true);
    expect(host.querySelector('[data-testid="drafting-section-plan"]')).toBeNull();
    expect(host.querySelector('[data-testid="drafting-badge"]')!.textContent).toContain('1 section so far');

    // A section sent again (a redraft of it) replaces the first, in place; a flagged one says Sign will ask.
    emit('draft.section', { visitId: 'v-1', section: section('plan', 'Start 20 mg.', true) });
    emit('draft.section', { visitId: 'v-1', section: section('hpi', 'Headache for three days.') });
    expect([...host.querySelectorAll('textarea')].map((t) => t.value)).toEqual(['Headache for three days.', 'Start 20 mg.']);
    expect(host.querySelector('[data-testid="drafting-flags-plan"]')!.textContent).toMatch(/keep or remove it before signing/);

    act(() => host.querySelector<HTMLButtonElement>('[data-testid="stop-drafting"]')!.click());
    expect(stops).toBe(1);

    // The whole draft arrived: nothing streamed is shown any more.
    act(() => root.render(<Screen run="draft:1" />));
    expect(host.querySelectorAll('textarea')).toHaveLength(0);
  });

  it('offers no Stop to someone who may not stop it', async () => {
    const { DraftingPreview } = await import('./drafting-preview.tsx');
    act(() => root.render(<DraftingPreview sections={[section('hpi', 'x')]} stopping={false} />));
    expect(host.querySelector('[data-testid="stop-drafting"]')).toBeNull();
  });
});
