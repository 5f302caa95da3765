// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Draft, Visit } from '../../../app/contract/index.ts';
import { EvidenceBar } from './evidence-bar.tsx';
import { evidenceSegments, evidenceSpan, sentencesWithEvidence } from './evidence.ts';

const segments = [
  { id: 's1', start: 0, end: 4, speaker: 'clinician' as const, text: 'any chest pain? <script>alert(1)</script>' },
  { id: 's2', start: 4, end: 5.5, speaker: 'patient' as const, text: 'no <img src=x onerror=alert(2)>' },
  { id: 's3', start: 700, end: 1500, text: 'a very long unlabelled turn' },
];
const draft: Draft = {
  template: 'general-visit',
  engine: 'builtin',
  engineVersion: 't',
  generatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  sections: [
    {
      id: 'ros',
      title: 'Review of systems',
      text: '- Cardiovascular: She denies chest pain.',
      sentences: [{ text: 'Cardiovascular: She denies chest pain.', evidence: ['s1', 's2'] }],
      edited: false,
    },
    { id: 'hpi', title: 'History', text: 'Edited.', sentences: [{ text: 'x', evidence: ['s3'] }], edited: true },
  ],
};
const visit = { id: 'v-1', transcript: { engine: 't', segments }, draft } as unknown as Visit;

describe('evidence of a draft sentence', () => {
  it('finds the cited turns in transcript order and the audio span that covers them', () => {
    const turns = evidenceSegments(segments, new Set(['s2', 's1', 'nope']));
    expect(turns.map((t) => t.id)).toEqual(['s1', 's2']);
    expect(evidenceSpan(turns)).toEqual({ start: 0, end: 5.5 });
    expect(evidenceSpan([])).toBeNull();
    expect(evidenceSpan([segments[2]!])).toEqual({ start: 700, end: 1300 });
  });

  it('finds the selected sentence by its evidence, never in an edited section', () => {
    expect(sentencesWithEvidence(draft, new Set(['s1', 's2'])).map((x) => x.sentence.text)).toEqual([
      'Cardiovascular: She denies chest pain.',
    ]);
    expect(sentencesWithEvidence(draft, new Set(['s3']))).toEqual([]);
    expect(sentencesWithEvidence(draft, new Set())).toEqual([]);
  });

  it('renders the evidence with markup shown as text, never as elements', () => {
    const html = renderToStaticMarkup(createElement(EvidenceBar, { visit, evidence: new Set(['s1', 's2']) }));
    expect(html).toContain('data-evidence-count="2"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain('Play evidence (0:00–0:05)');
    expect(renderToStaticMarkup(createElement(EvidenceBar, { visit, evidence: new Set<string>() }))).toContain('data-evidence-count="0"');
  });
});
