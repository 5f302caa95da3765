import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft, Transcript } from '../contract/index.ts';
import { openAuditLog } from '../audit/index.ts';
import { createDrafter, parseTranscriptText, REPO_ROOT } from '../draft/index.ts';
import { readAciBench, sharedDir } from '../draft/training-data.ts';
import { createMemorySecretStore } from '../secrets/index.ts';
import { openVault, type Vault } from '../vault/index.ts';
import { draftRetention } from '../metrics/index.ts';
import {
  createStyleService,
  factChange,
  isApplied,
  restoreRemovedSection,
  STYLE_NAMESPACE,
  withClinicianStyle,
  type NoteSection,
  type StyleService,
} from './index.ts';

/**
 * Learning and applying each kind of rule on real notes: ACI-Bench train visits drafted by the built-in
 * drafter, signed by a simulated clinician who always makes the same edits.
 */

const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });
const check = (d: Draft, t: Transcript) => drafter.check(d, t);
interface Visit {
  id: string;
  transcript: Transcript;
  draft: Draft;
}
let visits: Visit[] = [];
let withRos: Visit[] = [];
let dir: string;
let vault: Vault;

const sections = (d: Draft): NoteSection[] => d.sections.map(({ id, title, text }) => ({ id, title, text }));
const noteText = (s: NoteSection[]) =>
  s
    .filter((x) => x.text.trim())
    .map((x) => `${x.title}\n${x.text}`)
    .join('\n\n');
/** Words a clinician would still have to change (the bench's measure: word-level edit distance). */
const wordsToChange = (a: NoteSection[], b: NoteSection[]) => draftRetention(noteText(a), noteText(b)).editDistance;

/** Phrases the simulated clinician always deletes: the first one that recurs in the drafts is used. */
const REMOVABLE = ['I know that', 'which is good', 'as well', 'at this time', 'for right now', 'Here in the office'];
let removal = '';
const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The simulated clinician: leaves out Patient instructions, "Exam" heading, A&P first, "BP", no <removal>, "40mg". */
function sign(drafted: NoteSection[]): NoteSection[] {
  const remove = new RegExp(`\\b${escape(removal)}\\b,? ?`, 'g');
  const edited = drafted.map((s) => ({
    ...s,
    title: s.id === 'exam' ? 'Exam' : s.title,
    text:
      s.id === 'instructions'
        ? ''
        : s.text
            .replace(/\bblood pressure\b/g, 'BP')
            .replace(remove, '')
            .replace(/\b(\d+) mg\b/g, '$1mg'),
  }));
  return [...edited.filter((s) => s.id === 'assessment_plan'), ...edited.filter((s) => s.id !== 'assessment_plan')];
}

async function learn(
  style: StyleService,
  clinicianId: string,
  v: Visit,
  signed: NoteSection[],
  template = v.draft.template,
  visitType = 'office visit',
): Promise<void> {
  await style.learn(
    {
      visitId: v.id,
      clinicianId,
      visitType,
      signedAt: new Date(0).toISOString(),
      drafted: sections(v.draft),
      defaultTemplate: v.draft.template,
      template,
      signed,
      noteText: noteText(signed),
    },
    { id: clinicianId, role: 'clinician' },
  );
}

beforeAll(async () => {
  // Real visits, chosen by what their drafts say (so the test follows the drafter's wording as it improves):
  // drafts with Patient instructions, "blood pressure", a dose in mg and one recurring removable phrase.
  const pool: Visit[] = [];
  for (const e of readAciBench(sharedDir(REPO_ROOT), 'train').slice(0, 30)) {
    const transcript = parseTranscriptText(e.dialogue);
    pool.push({ id: `v-${e.id}`, transcript, draft: await drafter.draft({ transcript }) });
  }
  const fits = (v: Visit, phrase: string) => {
    const text = v.draft.sections
      .filter((s) => s.id !== 'instructions')
      .map((s) => s.text)
      .join('\n');
    return (
      !!v.draft.sections.find((s) => s.id === 'instructions')?.text.trim() &&
      /\bblood pressure\b/.test(text) &&
      /\b\d+ mg\b/.test(text) &&
      new RegExp(`\\b${escape(phrase)}\\b`).test(text)
    );
  };
  removal = REMOVABLE.find((p) => pool.filter((v) => fits(v, p)).length >= 4) ?? '';
  expect(removal, 'four drafts share "blood pressure", a dose in mg, Patient instructions and a removable phrase').not.toBe('');
  visits = pool.filter((v) => fits(v, removal)).slice(0, 4);
  withRos = pool.filter((v) => v.draft.sections.find((s) => s.id === 'ros')?.text.trim()).slice(0, 3);
  dir = await mkdtemp(path.join(tmpdir(), 'scribe-style-'));
  vault = await openVault({ dir: path.join(dir, 'vault'), secrets: createMemorySecretStore() });
}, 180_000);

afterAll(async () => {
  await vault.close();
  await rm(dir, { recursive: true, force: true });
  visits = [];
});

describe('a clinician style learned from signed notes', () => {
  let style: StyleService;
  beforeAll(async () => {
    style = createStyleService({ store: vault.namespace(STYLE_NAMESPACE), audit: openAuditLog({ dir: path.join(dir, 'audit') }) });
    for (const v of visits.slice(0, 2)) await learn(style, 'dr-a', v, sign(sections(v.draft)));
  });

  it('applies nothing after two notes: a rule waits for three', async () => {
    const styled = await style.styleDraft('dr-a', visits[3]!.draft, { transcript: visits[3]!.transcript, check });
    expect(styled.changes).toEqual([]);
    expect((await style.profile('dr-a')).rules.filter(isApplied)).toEqual([]);
  });

  it('after three notes, the fourth draft comes in the clinician style, each change marked with its rule', async () => {
    await learn(style, 'dr-a', visits[2]!, sign(sections(visits[2]!.draft)));
    const v = visits[3]!;
    const { draft, changes } = await style.styleDraft('dr-a', v.draft, { transcript: v.transcript, check });
    const kinds = new Set(changes.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['phrase.remove', 'phrase.replace', 'section.order', 'section.remove', 'section.rename']);
    // section left out, renamed, reordered
    expect(draft.sections.map((s) => s.id)).not.toContain('instructions');
    expect(draft.style?.removedSections.map((s) => s.id)).toEqual(['instructions']);
    expect(draft.sections[0]!.id).toBe('assessment_plan');
    expect(draft.sections.find((s) => s.id === 'exam')?.title).toBe('Exam');
    const text = draft.sections.map((s) => s.text).join('\n');
    // words replaced and removed; the number slot carries this visit's own numbers
    expect(text).not.toMatch(/\bblood pressure\b|\b\d+ mg\b/);
    expect(text).not.toMatch(new RegExp(`\\b${escape(removal)}\\b`));
    expect(text).toMatch(/\bBP\b/);
    const numbers = [
      ...sections(v.draft)
        .map((s) => s.text)
        .join('\n')
        .matchAll(/\b(\d+) mg\b/g),
    ].map((m) => m[1]);
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(text).toContain(`${n}mg`);
    // the result is what the clinician would have signed (not one word to change), and still passes the evidence guard
    expect(wordsToChange(sections(draft), sign(sections(v.draft)))).toBe(0);
    expect(await drafter.check(draft, v.transcript)).toEqual([]);
    const cited = draft.sections.flatMap((s) => s.sentences);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.every((s) => s.evidence.length > 0)).toBe(true);
    for (const c of changes) expect(c.description.length).toBeGreaterThan(5);
  });

  it('a section the style left out can be put back in one draft, with its evidence, at its drafted place', async () => {
    const { draft } = await style.styleDraft('dr-a', visits[3]!.draft, { transcript: visits[3]!.transcript, check });
    const back = restoreRemovedSection(draft, 'instructions');
    const original = visits[3]!.draft.sections.find((s) => s.id === 'instructions')!;
    expect(back.sections.at(-1)).toEqual({ ...original, edited: false });
    expect(back.style?.removedSections).toEqual([]);
    expect(back.version).toBe(draft.version + 1);
    expect(() => restoreRemovedSection(back, 'instructions')).toThrow(/did not leave out/);
  });

  it('learns the template a clinician picks per visit type and drafts with it', async () => {
    const t = createStyleService({ store: vault.namespace('style-template-test') });
    for (const v of visits.slice(0, 3)) await learn(t, 'dr-t', v, sections(v.draft), 'soap-follow-up', 'Follow-up');
    expect(await t.templateFor('dr-t', 'Follow-up')).toBe('soap-follow-up');
    expect(await t.templateFor('dr-t', 'New patient')).toBeNull();
    const styled = await withClinicianStyle(drafter, t, { check }).draft({
      transcript: visits[3]!.transcript,
      clinicianId: 'dr-t',
      visitType: 'Follow-up',
    });
    expect(styled.template).toBe('soap-follow-up');
    expect(styled.style?.defaultTemplate).toBe('general-visit');
  });

  it('a switched-off rule is not applied, and switching it on again restores it', async () => {
    const rule = (await style.profile('dr-a')).rules.find((r) => r.kind === 'section.remove' && r.sectionId === 'instructions')!;
    await style.setEnabled('dr-a', rule.id, false, { id: 'dr-a', role: 'clinician' });
    const off = await style.styleDraft('dr-a', visits[3]!.draft, { transcript: visits[3]!.transcript, check });
    expect(off.draft.sections.map((s) => s.id)).toContain('instructions');
    expect(off.changes.some((c) => c.ruleId === rule.id)).toBe(false);
    expect(off.changes.length).toBeGreaterThan(0);
    await style.setEnabled('dr-a', rule.id, true, { id: 'dr-a', role: 'clinician' });
    expect((await style.styleDraft('dr-a', visits[3]!.draft)).draft.sections.map((s) => s.id)).not.toContain('instructions');
  });

  it('an edited rule applies the clinician wording, and an edit that adds a fact is refused', async () => {
    const rule = (await style.profile('dr-a')).rules.find(
      (r) => r.kind === 'phrase.replace' && r.from === 'blood pressure' && isApplied(r),
    )!;
    await style.editRule('dr-a', rule.id, 'B/P', { id: 'dr-a', role: 'clinician' });
    const text = (await style.styleDraft('dr-a', visits[3]!.draft)).draft.sections.map((s) => s.text).join('\n');
    expect(text).toMatch(/\bB\/P\b/);
    await expect(style.editRule('dr-a', rule.id, 'blood pressure on lisinopril', { id: 'dr-a', role: 'clinician' })).rejects.toThrow(
      /never what it says/,
    );
    await expect(style.editRule('dr-a', rule.id, 'no BP', { id: 'dr-a', role: 'clinician' })).rejects.toThrow(/negation/);
    await style.editRule('dr-a', rule.id, 'BP', { id: 'dr-a', role: 'clinician' });
  });

  it('a rule stops when the clinician recent notes stop agreeing with it', async () => {
    const t = createStyleService({ store: vault.namespace('style-fading-test') });
    for (const v of withRos)
      await learn(
        t,
        'dr-f',
        v,
        sections(v.draft).map((s) => (s.id === 'ros' ? { ...s, text: '' } : s)),
      );
    const rule = () => t.profile('dr-f').then((p) => p.rules.find((r) => r.kind === 'section.remove' && r.sectionId === 'ros')!);
    expect(isApplied(await rule())).toBe(true);
    // The clinician keeps Review of systems from now on.
    for (const v of withRos) await learn(t, 'dr-f', { ...v, id: `${v.id}-again` }, sections(v.draft));
    expect(isApplied(await rule())).toBe(false);
    expect((await t.styleDraft('dr-f', withRos[0]!.draft)).draft.sections.map((s) => s.id)).toContain('ros');
  });

  it('a profile never crosses clinicians', async () => {
    const other = await style.styleDraft('dr-b', visits[3]!.draft, { transcript: visits[3]!.transcript, check });
    expect(other.changes).toEqual([]);
    expect((await style.view('dr-b')).rules).toEqual([]);
    expect((await style.forLanguageModel('dr-b')).examples).toEqual([]);
    expect((await style.forLanguageModel('dr-a')).examples).toHaveLength(3);
  });

  it('exposes instructions and recent signed notes for a language-model engine', async () => {
    const llm = await style.forLanguageModel('dr-a', { examples: 2 });
    expect(llm.instructions).toMatch(/Leave out the section "Patient instructions"|Leave out the section "instructions"/);
    expect(llm.instructions).toMatch(/Write "BP" instead of "blood pressure"/);
    expect(llm.instructions).toMatch(/never what is said|add no finding/);
    expect(llm.examples).toHaveLength(2);
    expect(llm.examples[1]!.text).not.toMatch(/blood pressure/);
  });

  it('the profile file is ciphertext on disk, and every change is audited without text', async () => {
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(path.join(d, e.name));
        else files.push(path.join(d, e.name));
      }
    };
    await walk(path.join(dir, 'vault'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = (await readFile(f)).toString('latin1');
      for (const plain of ['blood pressure', 'phrase.replace', removal, 'dr-a', 'Patient instructions']) expect(bytes).not.toContain(plain);
    }
    const records = await openAuditLog({ dir: path.join(dir, 'audit') }).records();
    const style = records.filter((r) => r.action === 'style.changed');
    expect(style.map((r) => (r.details as { change: string }).change)).toEqual(
      expect.arrayContaining(['learned', 'rule.off', 'rule.on', 'rule.edited']),
    );
    expect(JSON.stringify(style)).not.toMatch(/blood pressure|BP|mg/);
  });

  it('reset forgets everything: rules, counts and example notes', async () => {
    await style.reset('dr-a', { id: 'dr-a', role: 'clinician' });
    const p = await style.profile('dr-a');
    expect(p.rules).toEqual([]);
    expect(p.notes).toBe(0);
    expect((await style.forLanguageModel('dr-a')).examples).toEqual([]);
    expect((await style.styleDraft('dr-a', visits[3]!.draft)).changes).toEqual([]);
  });
});

describe('the fact guard', () => {
  it('lets a change reword, abbreviate or carry a number over, never add a number, a side, a drug or flip a negation', () => {
    expect(factChange('blood pressure', 'BP')).toBeNull();
    expect(factChange('She denies', 'Negative for')).toBeNull();
    expect(factChange('follow up in {1} months', 'RTC {1} mo')).toBeNull();
    expect(factChange('follow up', 'follow up in 3 months')).toMatch(/number 3/);
    expect(factChange('knee pain', 'left knee pain')).toMatch(/side/);
    expect(factChange('She denies', 'She reports')).toMatch(/negation/);
    expect(factChange('pain', 'pain, start ibuprofen')).toMatch(/ibuprofen/);
    // short clinical words are words too; abbreviations must abbreviate the drafted words (or be how notes abbreviate)
    expect(factChange('here', 'pain')).toMatch(/pain/);
    expect(factChange('chest pain', 'MI')).toMatch(/MI/);
    expect(factChange('shortness of breath', 'SOB')).toBeNull();
    expect(factChange('follow up in {1} weeks', 'RTC {1} wks')).toBeNull();
  });

  it('never learns a clinician adding a side or a number, however often', async () => {
    const t = createStyleService({ store: vault.namespace('style-guard-test') });
    for (const v of visits.slice(0, 3)) {
      const signed = sections(v.draft).map((s) => ({
        ...s,
        text: s.text.replace(/\bknee\b/g, 'left knee').replace(/\bblood pressure\b/g, 'blood pressure, in 2 weeks,'),
      }));
      await learn(t, 'dr-g', v, signed);
    }
    const rules = (await t.profile('dr-g')).rules;
    expect(rules.some((r) => /left|2/.test(r.to ?? ''))).toBe(false);
  });
});

describe('a language-model engine behind the style layer', () => {
  it('is handed the clinician instructions and recent signed notes; the built-in drafter is not', async () => {
    const t = createStyleService({ store: vault.namespace('style-llm-test') });
    for (const v of visits.slice(0, 3)) await learn(t, 'dr-l', v, sign(sections(v.draft)));
    const seen: Array<unknown> = [];
    const llm = {
      engine: 'llm',
      draft: async (input: { clinicianStyle?: unknown }) => (seen.push(input.clinicianStyle), visits[3]!.draft),
    };
    const styled = await withClinicianStyle(llm, t).draft({ transcript: visits[3]!.transcript, clinicianId: 'dr-l' });
    const guide = seen[0] as { instructions: string; examples: Array<{ text: string }> };
    expect(guide.instructions).toMatch(/Write "BP" instead of "blood pressure"/);
    expect(guide.examples).toHaveLength(3);
    // Whatever the engine wrote, the learned rules still apply after it.
    expect(styled.sections.map((s) => s.id)).not.toContain('instructions');
    const builtinSeen: unknown[] = [];
    await withClinicianStyle(
      {
        engine: 'builtin',
        draft: async (input: { clinicianStyle?: unknown }) => (builtinSeen.push(input.clinicianStyle), visits[3]!.draft),
      },
      t,
    ).draft({ transcript: visits[3]!.transcript, clinicianId: 'dr-l' });
    expect(builtinSeen).toEqual([undefined]);
  });
});

describe('redrafting a draft a person edited', () => {
  it('keeps what the drafter first wrote for the edited sections, so learning compares the signed note with the AI text', async () => {
    const t = createStyleService({ store: vault.namespace('style-keep-test') });
    const styled = withClinicianStyle(drafter, t, { check });
    const v = visits[0]!;
    const first = await styled.draft({ transcript: v.transcript, clinicianId: 'dr-k' });
    const edited: Draft = {
      ...first,
      sections: first.sections.map((s) => (s.id === 'hpi' ? { ...s, text: 'Seen today for follow-up.', sentences: [], edited: true } : s)),
    };
    const again = await styled.draft({ transcript: v.transcript, clinicianId: 'dr-k', keep: edited, template: 'general-visit' });
    expect(again.sections.find((s) => s.id === 'hpi')?.text).toBe('Seen today for follow-up.');
    expect(again.style?.drafted.find((s) => s.id === 'hpi')?.text).toBe(first.style?.drafted.find((s) => s.id === 'hpi')?.text);
    expect(again.style?.drafted.find((s) => s.id === 'hpi')?.text).not.toBe('Seen today for follow-up.');
  });
});
