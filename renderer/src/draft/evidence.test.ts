// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Draft, Visit } from '../../../app/contract/index.ts';
import { EvidenceBar } from './evidence-bar.tsx';
import { chartFactLines, evidenceSegments, evidenceSpan, sentenceAt, sentencesWithEvidence, sentenceUnder } from './evidence.ts';

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

  it('shows the chart facts a sentence took, in words, with chart text shown as text (decision 0204)', () => {
    const chart = [
      { source: 'Patient/p-1#birthDate', value: '1967-03-02', asOf: '2026-02-10' },
      { source: 'Patient/p-1#gender', value: 'female' },
      { source: 'Condition/c2#code', value: 'Essential hypertension' },
      { source: 'Patient/p-1#name', value: '<b>Maria</b> Lopez' },
    ];
    expect(chartFactLines(chart)).toEqual([
      'Patient, born 1967-03-02, sex female, named <b>Maria</b> Lopez',
      'Problem list: Essential hypertension',
    ]);
    const html = renderToStaticMarkup(createElement(EvidenceBar, { visit, evidence: new Set(['s1']), chart }));
    expect(html).toContain('From the chart:');
    expect(html).toContain('Patient, born 1967-03-02, sex female, named &lt;b&gt;Maria&lt;/b&gt; Lopez');
    expect(html).not.toContain('<b>');
    // A sentence that cites only the chart still shows where it came from (no turns, no audio to play).
    const only = renderToStaticMarkup(createElement(EvidenceBar, { visit, evidence: new Set<string>(), chart: chart.slice(0, 1) }));
    expect(only).toContain('Patient, born 1967-03-02');
    expect(only).not.toContain('Play evidence');
    // The cursor finds the sentence, its turns and its chart facts.
    const section = {
      id: 'hpi',
      title: 'History',
      text: 'Maria Lopez is a 58-year-old female. She feels well.',
      sentences: [
        { text: 'Maria Lopez is a 58-year-old female.', evidence: [], chart },
        { text: 'She feels well.', evidence: ['s2'] },
      ],
      edited: false,
    };
    expect(sentenceUnder(section, 3)?.chart).toEqual(chart);
    expect(sentenceAt(section, 40)).toEqual(['s2']);
    expect(sentenceUnder(section, 40)?.chart).toBeUndefined();
    // The selection is the sentence's turns and chart facts: a chart-only sentence is found, and a sentence citing the
    // same turns without the chart is not listed with it.
    const withChart = { ...draft, sections: [...draft.sections, section] };
    expect(sentencesWithEvidence(withChart, new Set(), chart).map((x) => x.sentence.text)).toEqual([
      'Maria Lopez is a 58-year-old female.',
    ]);
    expect(sentencesWithEvidence(withChart, new Set(['s2'])).map((x) => x.sentence.text)).toEqual(['She feels well.']);
  });
});
