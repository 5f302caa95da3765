import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Draft, type Transcript } from '../contract/index.ts';
import { createDrafter, listTemplates, parseTranscriptText, renderDraftMarkdown, renderDraftText } from './index.ts';
import { aciTrain } from '../../testing/draft/datasets.ts';
import { readsAsSpeech } from './rules/voice.ts';

const fixedClock = (): Date => new Date('2026-11-25T12:00:00.000Z');
const drafter = createDrafter({ engine: 'builtin', now: fixedClock });
const SECTION_TITLES = [
  'Chief complaint',
  'History of present illness',
  'Review of systems',
  'Physical examination',
  'Results',
  'Assessment and plan',
  'Patient instructions',
];

describe('builtin drafter on real visits', () => {
  it('writes the sections in note style with evidence, negatives, doses and units', async () => {
    const e = aciTrain().find((x) => x.id === 'D2N001')!;
    const transcript = parseTranscriptText(e.dialogue);
    const draft = Draft.parse(await drafter.draft({ transcript }));
    expect(draft.sections.map((s) => s.title)).toEqual(SECTION_TITLES);
    const text = renderDraftText(draft);
    expect(text).toMatch(/She denies .*chest pains?/i);
    expect(text).toMatch(/lisinopril (to )?40 mg/i);
    expect(text).toMatch(/^Current medications: Lisinopril\b/m);
    expect(text).toMatch(/Start lasix 20 mg a day\./);
    expect(text).not.toMatch(/Current medications:.*(Sodium|lasix)/i);
    // Outside the patient instructions nothing reads as speech: no I/we/you, fillers, wake phrases or questions.
    for (const section of draft.sections.filter((x) => x.id !== 'instructions'))
      for (const sentence of section.sentences) expect(readsAsSpeech(sentence.text), sentence.text).toBe(false);
    expect(text).not.toMatch(/\bi'm\b|\bi've\b/i);
    const ids = new Set(transcript.segments.map((s) => s.id));
    for (const s of draft.sections) for (const sentence of s.sentences) for (const id of sentence.evidence) expect(ids.has(id)).toBe(true);
    expect(draft.sections.find((s) => s.id === 'assessment_plan')!.sentences.length).toBeGreaterThan(2);
    expect(draft.sections.find((s) => s.id === 'instructions')!.text).toMatch(/\byou(r)?\b/i);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const transcript = parseTranscriptText(aciTrain()[3]!.dialogue);
    const a = JSON.stringify(await drafter.draft({ transcript }));
    const b = JSON.stringify(await createDrafter({ engine: 'builtin', now: fixedClock }).draft({ transcript }));
    expect(a).toBe(b);
  });
});

describe('builtin drafter on odd transcripts', () => {
  it('drafts an empty transcript as empty sections', async () => {
    const draft = await drafter.draft({ transcript: { engine: 'test', segments: [] } });
    expect(draft.sections).toHaveLength(7);
    for (const s of draft.sections) expect(s.sentences).toEqual([]);
  });

  it('drafts a one-line transcript and unlabelled speakers', async () => {
    const one = await drafter.draft({
      transcript: parseTranscriptText('[patient] i have had a cough for three days and my left ear hurts .'),
    });
    expect(renderDraftText(one)).toMatch(/cough for 3 days/);
    const unlabelled: Transcript = {
      engine: 'test',
      segments: [
        { id: 'u1', start: 0, end: 3, text: 'Any fever?' },
        { id: 'u2', start: 3, end: 4, text: 'No.' },
        { id: 'u3', start: 4, end: 9, text: 'I will start amoxicillin 500 mg three times a day for ten days.' },
      ],
    };
    const draft = await drafter.draft({ transcript: unlabelled });
    expect(draft.sections.flatMap((s) => s.sentences).length).toBeGreaterThan(0);
  });

  it('drafts a 3-hour transcript', async () => {
    const segments = aciTrain()
      .slice(0, 25)
      .flatMap((e, k) =>
        parseTranscriptText(e.dialogue).segments.map((s) => ({ ...s, id: `${k}-${s.id}`, start: k * 420 + s.start, end: k * 420 + s.end })),
      );
    expect(segments.length).toBeGreaterThan(1500);
    const draft = await drafter.draft({ transcript: { engine: 'test', segments } });
    const words = renderDraftText(draft).split(/\s+/).length;
    expect(words).toBeGreaterThan(1000);
  });

  it('survives hostile text: markup stays text, control characters go', async () => {
    const hostile = [
      '[doctor] <script>alert(1)</script> any chest pain ?',
      '[patient] no . <img src=x onerror=alert(2)> my **right** arm hurts \u0000\u0007\u202e for 2 days',
      `[doctor] ${'a'.repeat(20000)} .`,
      '[patient] ]]>{{constructor.constructor("x")()}} %s %n \\u0000',
      '[doctor] i will prescribe ibuprofen 400 mg every 6 hours [link](javascript:alert(3))',
    ].join('\n');
    const draft = await drafter.draft({ transcript: parseTranscriptText(hostile) });
    const json = JSON.stringify(draft);
    expect(json).not.toMatch(/[\u0000-\u0008\u202e]/);
    const md = renderDraftMarkdown(draft);
    expect(md).not.toMatch(/<script>|<img/);
    expect(md).toMatch(/&lt;script&gt;|&lt;img/i);
  });
});

describe('templates', () => {
  it('lists the built-in templates as data', () => {
    const { templates, problems } = listTemplates();
    expect(templates.map((t) => t.name)).toEqual(['general-visit', 'new-patient-hp', 'problem-focused', 'soap-follow-up']);
    expect(problems).toEqual([]);
  });

  it('fills the chosen template and keeps edited sections when regenerating with another one', async () => {
    const transcript = parseTranscriptText(aciTrain()[1]!.dialogue);
    const soap = await drafter.draft({ transcript, template: 'soap-follow-up' });
    expect(soap.sections.map((s) => s.title)).toEqual(['Subjective', 'Objective', 'Assessment and plan', 'Patient instructions']);
    expect(soap.sections[0]!.sentences.length).toBeGreaterThan(3);
    const edited = {
      ...soap,
      sections: soap.sections.map((s) =>
        s.id === 'subjective'
          ? { ...s, text: 'Clinician wrote this.', sentences: [], edited: true }
          : s.id === 'assessment_plan'
            ? { ...s, text: 'My own plan.', sentences: [], edited: true }
            : s,
      ),
    };
    const hp = await drafter.draft({ transcript, template: 'new-patient-hp', keep: edited });
    expect(hp.template).toBe('new-patient-hp');
    expect(hp.version).toBe(soap.version + 1);
    expect(hp.sections.find((s) => s.id === 'assessment_plan')).toMatchObject({ text: 'My own plan.', edited: true });
    // The H&P has no "subjective" section: the edit is kept at the end rather than lost.
    expect(hp.sections.at(-1)).toMatchObject({ id: 'subjective', text: 'Clinician wrote this.', edited: true });
    expect(hp.sections.find((s) => s.id === 'hpi')!.edited).toBe(false);
  });

  it("uses the clinic's own template files and reports broken ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'templates-'));
    try {
      writeFileSync(
        join(dir, 'urgent-care.json'),
        JSON.stringify({
          name: 'urgent-care',
          title: 'Urgent care',
          sections: [
            { id: 'story', title: 'Story', fill: ['chief_complaint', 'hpi'] },
            { id: 'plan', title: 'Plan', fill: ['assessment_plan'], style: 'list' },
          ],
        }),
      );
      writeFileSync(join(dir, 'broken.json'), '{ "name": "broken", ');
      const listing = listTemplates({ templatesDir: dir });
      expect(listing.templates.map((t) => t.name)).toContain('urgent-care');
      expect(listing.problems).toHaveLength(1);
      const d = createDrafter({ engine: 'builtin', templatesDir: dir, now: fixedClock });
      const draft = await d.draft({ transcript: parseTranscriptText(aciTrain()[2]!.dialogue), template: 'urgent-care' });
      expect(draft.sections.map((s) => s.title)).toEqual(['Story', 'Plan']);
      await expect(d.draft({ transcript: { engine: 't', segments: [] }, template: 'broken' })).rejects.toMatchObject({
        code: 'bad_request',
      });
      await expect(d.draft({ transcript: { engine: 't', segments: [] }, template: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('chief complaint, sides and chart context', () => {
  it('reads the reason for the visit from real openings', async () => {
    const { chiefComplaint } = await import('./builtin.ts');
    const { utterancesOf } = await import('./utterances.ts');
    const cc = (id: string): string | undefined =>
      chiefComplaint(utterancesOf(parseTranscriptText(aciTrain().find((e) => e.id === id)!.dialogue)))?.text;
    expect(cc('D2N001')).toBe('Annual exam.');
    expect(
      chiefComplaint(
        utterancesOf(parseTranscriptText("[doctor] hey how're you doing\n[patient] i'm doing alright aside from this left shoulder pain")),
      ),
    ).toMatchObject({ text: 'Left shoulder pain.', evidence: ['s2'] });
  });

  it('leaves out a side the rest of the visit contradicts', async () => {
    const { contradictsSides, sideMentions } = await import('./builtin.ts');
    const visit =
      "i understand you've come in with some right knee pain\nit's not the right knee it's the left knee\nokay the left knee\nthe left knee gives out";
    const counts = sideMentions(visit);
    expect(contradictsSides('Right knee pain.', counts)).toBe(true);
    expect(contradictsSides('Left knee pain.', counts)).toBe(false);
    const draft = await drafter.draft({
      transcript: parseTranscriptText(
        visit
          .split('\n')
          .map((l, i) => `[${i % 2 ? 'patient' : 'doctor'}] ${l}`)
          .join('\n'),
      ),
    });
    expect(renderDraftText(draft)).not.toMatch(/right knee/i);
  });

  it('never writes chart context that the visit did not mention', async () => {
    const transcript = parseTranscriptText(aciTrain()[4]!.dialogue);
    const withContext = await drafter.draft({
      transcript,
      context: { problems: ['Pheochromocytoma (disorder)'], medications: ['Zonisamide 100 MG Oral Capsule'] },
    });
    const text = renderDraftText(withContext);
    expect(text).not.toMatch(/pheochromocytoma|zonisamide/i);
    const { chartName } = await import('./builtin.ts');
    expect(chartName('Lisinopril 20 MG Oral Tablet')).toBe('lisinopril');
    expect(chartName('Essential hypertension (disorder)')).toBe('essential hypertension');
  });
});

describe('assessment and plan', () => {
  it('names each problem as a diagnosis followed by its own plan items, and the instructions differ from the plan', async () => {
    const transcript = parseTranscriptText(aciTrain().find((x) => x.id === 'D2N001')!.dialogue);
    const draft = await drafter.draft({ transcript });
    const plan = draft.sections.find((s) => s.id === 'assessment_plan')!;
    expect(plan.sentences.some((s) => /^Congestive heart failure\. .*Start lasix 20 mg a day\./.test(s.text))).toBe(true);
    expect(plan.sentences.some((s) => /^Hypertension\. Increase lisinopril to 40 mg a day\b/.test(s.text))).toBe(true);
    expect(plan.sentences.some((s) => /^Depression\. /.test(s.text))).toBe(true);
    const instructions = draft.sections.find((s) => s.id === 'instructions')!;
    expect(instructions.sentences.length).toBeGreaterThan(0);
    const planText = plan.sentences.map((s) => s.text.toLowerCase());
    for (const s of instructions.sentences) expect(planText.some((p) => p.includes(s.text.toLowerCase().replace(/\.$/, '')))).toBe(false);
  });
});

describe('history of present illness', () => {
  it('keeps what was said of the illness and leaves small talk in the transcript (train D2N001)', async () => {
    const e = aciTrain().find((x) => x.id === 'D2N001')!;
    const draft = await drafter.draft({ transcript: parseTranscriptText(e.dialogue) });
    const hpi = draft.sections.find((s) => s.id === 'hpi')!.sentences.map((s) => s.text);
    // Said to the patient, or about a hiking trip: not history.
    expect(hpi.join(' ')).not.toMatch(/Martha, it has been a year|hiking|Fall foliage/i);
    // What bears on her problems stays.
    expect(hpi).toContain('She enrolled into therapy.');
    expect(hpi).toContain('She is still forgetting to take her blood pressure medication.');
    // The clinician's dictated opening stays one sentence (cut, its tail read "Hypertension who presents ...").
    expect(hpi[0]).toBe(
      'Martha is a 50-year-old female with a past medical history significant for congestive heart failure, depression and hypertension who presents for her annual exam.',
    );
    expect(hpi.filter((t) => /who presents/.test(t))).toHaveLength(1);
  });
});
