/**
 * npm run bench:style — replays ACI-Bench `train` visits in order for simulated clinicians (draft, sign,
 * learn), and drafts the `valid` visits before learning and after 10, 20 and 40 signed notes.
 *
 * Two replays (issue 17):
 * - style alone: the signed note is the draft with the clinician's edits applied (content kept);
 *   prints words to change per note (word-level edit distance, draft → signed).
 * - real notes: the signed note is ACI-Bench's reference note (cut into the template's sections) with the
 *   clinician's edits applied; prints words to change, draft retention, unsupported-concept share and
 *   concept recall (bench/draft-metrics.ts).
 * The clinicians and their edits are documented in CLINICIANS below. Data is read from ../shared; nothing is
 * copied into the repository. Flags: --notes 40 (train notes replayed), --valid N (valid notes drafted).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDrafter, parseTranscriptText } from '../app/draft/index.ts';
import { readAciBench, sharedDir, type AciEncounter } from '../app/draft/training-data.ts';
import { draftRetention } from '../app/metrics/index.ts';
import { createStyleService, describeRule, isApplied, type NoteSection, type StyleService } from '../app/style/index.ts';
import type { Draft, Transcript } from '../app/contract/index.ts';
import type { RecordStore } from '../app/vault/index.ts';
import { ConceptMatcher } from './draft-metrics.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

type Edit = (sections: NoteSection[], rng: () => number) => NoteSection[];

const replaceText =
  (re: RegExp, to: string): Edit =>
  (sections) =>
    sections.map((s) => ({ ...s, text: s.text.replace(re, to) }));
const removeSection =
  (id: string): Edit =>
  (sections) =>
    sections.map((s) => (s.id === id ? { ...s, text: '' } : s));
const renameSection =
  (id: string, title: string): Edit =>
  (sections) =>
    sections.map((s) => (s.id === id ? { ...s, title } : s));
const sectionFirst =
  (id: string): Edit =>
  (sections) => [...sections.filter((s) => s.id === id), ...sections.filter((s) => s.id !== id)];

/** A clinician who edits without a pattern: three random word swaps and a random section dropped now and then. */
const randomEdits: Edit = (sections, rng) => {
  const out = sections.map((s) => ({ ...s }));
  const pool = ['noted', 'reported', 'seen', 'today', 'recently', 'also', 'mild', 'some', 'overall', 'again'];
  for (let k = 0; k < 3; k++) {
    const s = out[Math.floor(rng() * out.length)]!;
    const words = s.text.split(' ');
    if (words.length < 3) continue;
    const i = Math.floor(rng() * words.length);
    words[i] = pool[Math.floor(rng() * pool.length)]!;
    s.text = words.join(' ');
  }
  if (rng() < 0.3) out[Math.floor(rng() * out.length)]!.text = '';
  return out;
};

interface Clinician {
  name: string;
  style: string;
  edits: Edit[];
}

/** The simulated clinicians and what each one always changes. */
const CLINICIANS: Clinician[] = [
  {
    name: 'Dr A (abbreviates)',
    style: 'drops Patient instructions; BP, HR, SOB, PT for the words; "Denies" for "He/She denies"',
    edits: [
      removeSection('instructions'),
      replaceText(/\bblood pressure\b/g, 'BP'),
      replaceText(/\bheart rate\b/g, 'HR'),
      replaceText(/\bshortness of breath\b/g, 'SOB'),
      replaceText(/\bphysical therapy\b/g, 'PT'),
      replaceText(/\b(He|She) denies\b/g, 'Denies'),
    ],
  },
  {
    name: 'Dr B (APSO, short headings)',
    style: 'assessment and plan first; HPI / Exam / A&P headings; drops Review of systems; "Negative for" for "He/She denies"',
    edits: [
      removeSection('ros'),
      renameSection('hpi', 'HPI'),
      renameSection('exam', 'Exam'),
      renameSection('assessment_plan', 'A&P'),
      sectionFirst('assessment_plan'),
      replaceText(/\b(He|She) denies\b/g, 'Negative for'),
    ],
  },
  {
    name: 'Dr C (plain plan wording)',
    style:
      '"Will" for "I want to"/"I would like to"; "RTC N weeks/months" for follow-up; no "I know that"; Results → Data; drops Chief complaint',
    edits: [
      removeSection('chief_complaint'),
      renameSection('results', 'Data'),
      replaceText(/\bI (?:also )?(?:want|would like) to\b/g, 'Will'),
      replaceText(/\b(?:follow up|follow-up|come back|see (?:him|her|you) back) in (\w+) (weeks?|months?)\b/gi, 'RTC $1 $2'),
      replaceText(/\bI know that /g, ''),
    ],
  },
  { name: 'Dr R (random edits)', style: 'three random word swaps a note, a random section dropped in 30% of notes', edits: [randomEdits] },
];

function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function memoryStore(): RecordStore {
  const m = new Map<string, string>();
  return {
    write: async (k, d) => void m.set(k, typeof d === 'string' ? d : Buffer.from(d).toString('utf8')),
    read: async (k) => (m.has(k) ? Buffer.from(m.get(k)!) : null),
    readJson: async <T>(k: string) => (m.has(k) ? (JSON.parse(m.get(k)!) as T) : null),
    writeJson: async (k, v) => void m.set(k, JSON.stringify(v)),
    delete: async (k) => void m.delete(k),
    list: async () => [...m.keys()],
  };
}

const sectionsOf = (d: Draft): NoteSection[] => d.sections.map(({ id, title, text }) => ({ id, title, text }));
const noteText = (sections: NoteSection[]) =>
  sections
    .filter((s) => s.text.trim())
    .map((s) => `${s.title}\n${s.text.trim()}`)
    .join('\n\n');

const HEADINGS: Array<[RegExp, string]> = [
  [/^CHIEF COMPLAINT$/, 'chief_complaint'],
  [
    /^(HISTORY OF PRESENT ILLNESS|HPI|HISTORY|SOCIAL HISTORY|MEDICAL HISTORY|PAST HISTORY|PAST MEDICAL HISTORY|FAMILY HISTORY|MEDICATIONS|CURRENT MEDICATIONS|ALLERGIES|SURGICAL HISTORY|PAST SURGICAL HISTORY|BIRTH HISTORY)$/,
    'hpi',
  ],
  [/^REVIEW OF SYSTEMS$/, 'ros'],
  [/^(PHYSICAL EXAM|PHYSICAL EXAMINATION|EXAM|VITALS|VITALS REVIEWED|VITAL SIGNS|MSK)$/, 'exam'],
  [/^(RESULTS|IMAGING|LABS)$/, 'results'],
  [/^(ASSESSMENT AND PLAN|ASSESSMENT|PLAN|IMPRESSION|PROCEDURE)$/, 'assessment_plan'],
  [/^(INSTRUCTIONS|PATIENT INSTRUCTIONS)$/, 'instructions'],
];

/** The reference note cut at its headings into the draft's sections (same ids and titles). */
function referenceSections(note: string, layout: NoteSection[]): NoteSection[] {
  const text = new Map<string, string[]>();
  let current = 'hpi';
  for (const line of note.split('\n')) {
    const id = HEADINGS.find(([re]) => re.test(line.trim().replace(/:$/, '')))?.[1];
    if (id) current = id;
    else if (line.trim()) text.set(current, [...(text.get(current) ?? []), line.trim()]);
  }
  return layout.map((s) => ({ id: s.id, title: s.title, text: (text.get(s.id) ?? []).join('\n') }));
}

interface Visit {
  e: AciEncounter;
  transcript: Transcript;
  raw: Draft;
}

interface Figures {
  wordsToChange: number;
  retention: number;
  unsupported: number;
  /** Unsupported concepts per note (a share can rise when supported text is left out; the count cannot lie that way). */
  unsupportedCount: number;
  recall: number;
  rules: number;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  const trainNotes = flag('notes', 40);
  const validNotes = flag('valid', 20);
  const checkpoints = [0, 10, 20, 40].filter((n) => n <= trainNotes);
  const shared = sharedDir(REPO_ROOT);
  const drafter = createDrafter({ engine: 'builtin', now: () => new Date(0) });
  const concepts = ConceptMatcher.fromTerminology(
    join(shared, 'terminology'),
    readAciBench(shared, 'train').map((e) => e.note),
  );
  const t0 = performance.now();
  const draftAll = async (list: AciEncounter[]): Promise<Visit[]> => {
    const out: Visit[] = [];
    for (const e of list) {
      const transcript = parseTranscriptText(e.dialogue);
      out.push({ e, transcript, raw: await drafter.draft({ transcript }) });
    }
    return out;
  };
  // The drafter is deterministic: each visit is drafted once, the style applied to it per clinician.
  const train = await draftAll(readAciBench(shared, 'train').slice(0, trainNotes));
  const valid = await draftAll(readAciBench(shared, 'valid').slice(0, validNotes));
  process.stdout.write(
    `bench:style — ${train.length} train visits replayed, ${valid.length} valid visits drafted (drafting took ${((performance.now() - t0) / 1000).toFixed(1)} s)\n\n`,
  );
  const check = (d: Draft, t: Transcript) => drafter.check(d, t);

  const show = async (style: StyleService, id: string, v: Visit) =>
    (await style.styleDraft(id, v.raw, { transcript: v.transcript, check })).draft;

  for (const mode of ['style alone', 'real notes'] as const) {
    process.stdout.write(
      `== ${mode}: signed note = ${mode === 'style alone' ? 'the draft' : "ACI-Bench's reference note"} with the clinician's edits\n`,
    );
    process.stdout.write(
      mode === 'style alone'
        ? 'clinician                      notes  rules  words to change/note\n'
        : 'clinician                      notes  rules  words to change/note  draft retention  unsupported concepts      concept recall\n',
    );
    for (const [ci, c] of CLINICIANS.entries()) {
      const style = createStyleService({ store: memoryStore(), now: () => new Date(0) });
      const id = `clinician-${ci}`;
      const sign = (shown: NoteSection[], e: AciEncounter, rng: () => number): NoteSection[] => {
        const start = mode === 'style alone' ? shown : referenceSections(e.note, shown);
        return c.edits.reduce((s, edit) => edit(s, rng), start);
      };
      const evaluate = async (rngSeed: number): Promise<Figures> => {
        const rng = seeded(rngSeed);
        const f = { wordsToChange: 0, retention: 0, unsupported: 0, unsupportedCount: 0, recall: 0, rules: 0 };
        let withConcepts = 0;
        let withRef = 0;
        for (const v of valid) {
          const shown = await show(style, id, v);
          const shownSections = sectionsOf(shown);
          const signed = sign(shownSections, v.e, rng);
          const r = draftRetention(noteText(shownSections), noteText(signed));
          f.wordsToChange += r.editDistance;
          f.retention += r.share ?? 0;
          const text = noteText(shownSections);
          const drafted = concepts.concepts(text);
          const said = concepts.concepts(v.e.dialogue);
          // Recall of what the clinician signed (the reference note with their edits): a section they always delete is not a loss.
          const reference = concepts.concepts(mode === 'style alone' ? v.e.note : noteText(signed));
          if (drafted.size) {
            const unsupported = [...drafted].filter((x) => !said.has(x)).length;
            f.unsupported += unsupported / drafted.size;
            f.unsupportedCount += unsupported;
            withConcepts++;
          }
          if (reference.size) {
            f.recall += [...reference].filter((x) => drafted.has(x)).length / reference.size;
            withRef++;
          }
        }
        f.rules = (await style.profile(id)).rules.filter(isApplied).length;
        return {
          ...f,
          unsupportedCount: f.unsupportedCount / valid.length,
          wordsToChange: f.wordsToChange / valid.length,
          retention: f.retention / valid.length,
          unsupported: withConcepts ? f.unsupported / withConcepts : 0,
          recall: withRef ? f.recall / withRef : 0,
        };
      };
      const rows: Array<[number, Figures]> = [];
      const rng = seeded(17 + ci);
      for (let n = 0; n <= train.length; n++) {
        if (checkpoints.includes(n)) rows.push([n, await evaluate(1000 + ci)]);
        if (n === train.length) break;
        const v = train[n]!;
        const shown = await show(style, id, v);
        const signed = sign(sectionsOf(shown), v.e, rng);
        await style.learn(
          {
            visitId: v.e.id,
            clinicianId: id,
            visitType: 'office visit',
            signedAt: new Date(0).toISOString(),
            drafted: sectionsOf(v.raw),
            defaultTemplate: v.raw.template,
            template: v.raw.template,
            signed,
            noteText: noteText(signed),
          },
          null,
        );
      }
      if (argv.includes('--rules')) {
        for (const r of (await style.profile(id)).rules.filter(isApplied))
          process.stdout.write(`    ${r.seen}/${r.against} ${describeRule(r)}\n`);
      }
      const before = rows[0]![1].wordsToChange;
      for (const [n, f] of rows) {
        const fewer = before > 0 ? ` (${(100 * (1 - f.wordsToChange / before)).toFixed(0)}% fewer)` : '';
        const head = `${(n === 0 ? c.name : '').padEnd(30)} ${String(n).padStart(5)}  ${String(f.rules).padStart(5)}  ${(f.wordsToChange.toFixed(1) + fewer).padEnd(20)}`;
        process.stdout.write(
          mode === 'style alone'
            ? `${head}\n`
            : `${head}  ${(100 * f.retention).toFixed(1).padStart(14)}%  ${(100 * f.unsupported).toFixed(1).padStart(12)}% (${f.unsupportedCount.toFixed(2)}/note)  ${(100 * f.recall).toFixed(1).padStart(13)}%\n`,
        );
      }
      if (mode === 'style alone' && ci < CLINICIANS.length) process.stdout.write(`${''.padEnd(30)} (${c.style})\n`);
    }
    process.stdout.write('\n');
  }
}

await main();
