import { createHash } from 'node:crypto';
import type { DiffPart } from '../contract/index.ts';
import { diffWords } from '../queue/index.ts';
import { factChange, findMatches, itemOf, onlyFunctionWords, toSlots, wordsOf } from './phrases.ts';
import { FORGET_AFTER_NOTES, MAX_RULES, RECENT_OUTCOMES, type RuleKind, type StyleProfile, type StyleRule } from './rules.ts';

/**
 * Learning: one signed note at a time, compare the drafter's own output (before any style was applied)
 * with what the clinician signed. Every rule the profile knows is checked against the note (agreed, went
 * against, or the note says nothing about it), and the note's edits propose new candidate rules.
 */

export interface NoteSection {
  id: string;
  title: string;
  text: string;
}

export interface SignedExample {
  visitType: string;
  /** The drafter's output, before style. */
  drafted: NoteSection[];
  /** The template the drafter would have used by itself, and the one of the signed note. */
  defaultTemplate: string;
  template: string;
  signed: NoteSection[];
}

const MAX_PHRASE_WORDS = 12;
/** Two edits separated by at most this many words (and no sentence end) are also learned as one form. */
const JOIN_GAP_WORDS = 2;

export function ruleId(kind: RuleKind, key: string): string {
  return `r-${createHash('sha256').update(`${kind}\u0000${key}`).digest('hex').slice(0, 10)}`;
}

const hasWords = (text: string) => wordsOf(text).length > 0;
const countWords = (text: string) => wordsOf(text).length;

interface Hunk {
  /** Offsets of the deleted text in the drafted section. */
  start: number;
  end: number;
  del: string;
  ins: string;
}

/** Offsets of each part in the drafted text; inserts sit at a point. */
function located(parts: DiffPart[]): Array<DiffPart & { at: number }> {
  let at = 0;
  return parts.map((p) => {
    const here = { ...p, at };
    if (p.op !== 'insert') at += p.text.length;
    return here;
  });
}

/** The edits of one section, trimmed to words, plus adjacent edits joined across a short unchanged gap. */
function hunksOf(parts: DiffPart[]): Hunk[] {
  const loc = located(parts);
  const raw: Hunk[] = [];
  let cur: Hunk | null = null;
  for (const p of loc) {
    if (p.op === 'equal') {
      if (cur) raw.push(cur);
      cur = null;
      continue;
    }
    cur ??= { start: p.at, end: p.at, del: '', ins: '' };
    if (p.op === 'delete') {
      cur.del += p.text;
      cur.end = p.at + p.text.length;
    } else cur.ins += p.text;
  }
  if (cur) raw.push(cur);
  const trimmed = raw.map(trimHunk).filter((h): h is Hunk => h !== null);
  const joined: Hunk[] = [];
  const consumed = new Set<Hunk>();
  for (let i = 0; i + 1 < trimmed.length; i++) {
    const a = trimmed[i]!;
    const b = trimmed[i + 1]!;
    const gap = equalTextBetween(loc, a.end, b.start);
    if (gap === null || /[.!?;\n]/.test(gap.replace(/\d\.\d/g, '')) || countWords(gap) > JOIN_GAP_WORDS) continue;
    joined.push({ start: a.start, end: b.end, del: a.del + gap + b.del, ins: a.ins + gap + b.ins });
    // Two edits around a number are one sentence form ("follow up in 3 months" → "RTC 3 mo"), not two habits.
    if (/^\s*\d+(?:\.\d+)?\s*$/.test(gap)) {
      consumed.add(a);
      consumed.add(b);
    }
  }
  return [...trimmed.filter((h) => !consumed.has(h)), ...joined];
}

function equalTextBetween(loc: Array<DiffPart & { at: number }>, from: number, to: number): string | null {
  if (to < from) return null;
  let text = '';
  for (const p of loc) {
    if (p.op !== 'equal') continue;
    const s = Math.max(p.at, from);
    const e = Math.min(p.at + p.text.length, to);
    if (e > s) text += p.text.slice(s - p.at, e - p.at);
  }
  return text.length === to - from ? text : null;
}

/** Strip the whitespace both sides share at the ends, so a rule starts and ends on words. */
function trimHunk(h: Hunk): Hunk | null {
  let { del, ins, start, end } = h;
  const lead = /^\s*/.exec(del)![0].length;
  del = del.slice(lead);
  start += lead;
  const trail = /\s*$/.exec(del)![0].length;
  del = del.slice(0, del.length - trail);
  end -= trail;
  ins = ins.trim();
  // A possessive both sides keep is not part of the habit ("blood pressure's" → "BP's" is "blood pressure" → "BP").
  for (const tail of ["'s", '’s']) {
    if (del.endsWith(tail) && ins.endsWith(tail) && del.length > tail.length && ins.length > tail.length) {
      del = del.slice(0, -tail.length);
      ins = ins.slice(0, -tail.length);
      end -= tail.length;
    }
  }
  if (!hasWords(del)) return null;
  return { start, end, del, ins };
}

interface Candidate {
  kind: RuleKind;
  key: string;
  build: () => Omit<StyleRule, 'seen' | 'against' | 'recent' | 'lastNote' | 'enabled' | 'edited'>;
}

function isWholeSentence(text: string, start: number, end: number): boolean {
  const before = text.slice(0, start);
  const after = text.slice(end);
  return /(^|[.!?]\s+|\n\s*(-\s+)?|^-\s+)$/.test(before) && /^[.!?]?(\s|$)/.test(after) && /[.!?]$|^/.test(text.slice(start, end));
}

function phraseCandidates(sectionId: string, drafted: string, hunks: Hunk[]): Candidate[] {
  const out: Candidate[] = [];
  for (const h of hunks) {
    if (countWords(h.del) > MAX_PHRASE_WORDS || countWords(h.ins) > MAX_PHRASE_WORDS) continue;
    if (onlyFunctionWords(h.del) && onlyFunctionWords(h.ins)) continue;
    if (h.ins === '') {
      const whole = isWholeSentence(drafted, h.start, h.end);
      // One stray word dropped is an edit of that sentence, not a habit worth a rule.
      if (countWords(h.del) < 2 && !whole) continue;
      const from = h.del;
      if (factChange(from, '', { wholeSentence: whole })) continue;
      out.push({
        kind: 'phrase.remove',
        key: from,
        build: () => ({ id: ruleId('phrase.remove', from), kind: 'phrase.remove', item: itemOf(from, ''), sectionId, from }),
      });
    } else {
      if (!hasWords(h.ins)) continue;
      const { from, to } = toSlots(h.del, h.ins);
      if (from === to || factChange(from, to)) continue;
      const key = `${from}\u0000${to}`;
      out.push({
        kind: 'phrase.replace',
        key,
        build: () => ({ id: ruleId('phrase.replace', key), kind: 'phrase.replace', item: itemOf(from, to), sectionId, from, to }),
      });
    }
  }
  return out;
}

type Outcome = 'agree' | 'against' | 'none';

/** What the signed note did where the rule's words stood in the draft. */
function phraseOutcome(rule: StyleRule, drafted: string, parts: DiffPart[]): { agree: number; against: number } {
  const loc = located(parts);
  let agree = 0;
  let against = 0;
  for (const m of findMatches(drafted, rule.from ?? '', rule.to ?? '')) {
    let kept = '';
    let replacement = '';
    // A deleted token may run past the rule's words ("pressure's"); its replacement sits at the token's end.
    let from = m.start;
    let to = m.end;
    for (const p of loc) {
      if (p.op === 'delete' && p.at < m.end && p.at + p.text.length > m.start) {
        from = Math.min(from, p.at);
        to = Math.max(to, p.at + p.text.length);
      }
    }
    for (const p of loc) {
      if (p.op === 'equal' || p.op === 'delete') {
        const s = Math.max(p.at, m.start);
        const e = Math.min(p.at + p.text.length, m.end);
        if (e <= s) continue;
        if (p.op === 'equal') {
          kept += p.text.slice(s - p.at, e - p.at);
          replacement += p.text.slice(s - p.at, e - p.at);
        }
      } else if (p.at >= from && p.at <= to) replacement += p.text;
    }
    const keptWords = countWords(kept);
    if (keptWords === countWords(m.text)) against++;
    else if (rule.kind === 'phrase.remove' ? keptWords === 0 : norm(replacement).includes(norm(m.output))) agree++;
  }
  return { agree, against };
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

function record(rule: StyleRule, outcome: Outcome, note: number): void {
  if (outcome === 'none') return;
  if (outcome === 'agree') rule.seen++;
  else rule.against++;
  rule.recent = [...rule.recent, outcome === 'agree'].slice(-RECENT_OUTCOMES);
  rule.lastNote = note;
}

const nonEmpty = (s: NoteSection | undefined): s is NoteSection => !!s && s.text.trim().length > 0;

/** Learns one signed note into the profile (returns a new profile; the input is not changed). */
export function learnFromSignedNote(profile: StyleProfile, example: SignedExample, now: string): StyleProfile {
  const next: StyleProfile = structuredClone(profile);
  const note = next.notes + 1;
  const outcomes = new Map<string, { agree: number; against: number }>();
  const tally = (id: string, agree: number, against: number) => {
    const o = outcomes.get(id) ?? { agree: 0, against: 0 };
    o.agree += agree;
    o.against += against;
    outcomes.set(id, o);
  };
  const candidates: Candidate[] = [];
  const drafted = new Map(example.drafted.map((s) => [s.id, s]));
  const signed = new Map(example.signed.map((s) => [s.id, s]));

  // Sections left out, renamed, reordered.
  for (const d of example.drafted) {
    if (!nonEmpty(d)) continue;
    const s = signed.get(d.id);
    const key = d.id;
    const id = ruleId('section.remove', key);
    if (nonEmpty(s)) tally(id, 0, 1);
    else {
      tally(id, 1, 0);
      candidates.push({ kind: 'section.remove', key, build: () => ({ id, kind: 'section.remove', item: 'section', sectionId: d.id }) });
    }
  }
  for (const d of example.drafted) {
    const s = signed.get(d.id);
    if (!s || !nonEmpty(s)) continue;
    for (const r of next.rules)
      if (r.kind === 'section.rename' && r.sectionId === d.id && r.from === d.title)
        tally(r.id, s.title === r.to ? 1 : 0, s.title === d.title ? 1 : 0);
    if (s.title.trim() && s.title !== d.title) {
      const key = `${d.id}\u0000${d.title}\u0000${s.title}`;
      const id = ruleId('section.rename', key);
      if (!outcomes.has(id)) tally(id, 1, 0);
      candidates.push({
        kind: 'section.rename',
        key,
        build: () => ({ id, kind: 'section.rename', item: 'section', sectionId: d.id, from: d.title, to: s.title }),
      });
    }
  }
  const draftedOrder = example.drafted.filter((d) => nonEmpty(signed.get(d.id))).map((d) => d.id);
  const signedOrder = example.signed.filter((s) => nonEmpty(s) && drafted.has(s.id)).map((s) => s.id);
  if (signedOrder.length >= 2) {
    for (const r of next.rules) {
      if (r.kind !== 'section.order') continue;
      const projected = (r.order ?? []).filter((id) => signedOrder.includes(id));
      if (projected.length < 2 || projected.join() === draftedOrder.filter((id) => projected.includes(id)).join()) continue;
      tally(
        r.id,
        projected.join() === signedOrder.filter((id) => projected.includes(id)).join() ? 1 : 0,
        projected.join() === signedOrder.filter((id) => projected.includes(id)).join() ? 0 : 1,
      );
    }
    if (signedOrder.join() !== draftedOrder.join()) {
      // A drafted section the signed note left empty says nothing about where the clinician wants it: it keeps
      // its drafted neighbour (placed right after the section drafted before it), not the end, so a later note
      // that has it is not counted against the rule.
      const order = [...signedOrder];
      const draftedIds = example.drafted.map((d) => d.id);
      draftedIds.forEach((id, i) => {
        if (order.includes(id)) return;
        const before = draftedIds
          .slice(0, i)
          .reverse()
          .find((p) => order.includes(p));
        order.splice(before === undefined ? 0 : order.indexOf(before) + 1, 0, id);
      });
      const key = signedOrder.join(',');
      const id = ruleId('section.order', key);
      if (!outcomes.has(id)) tally(id, 1, 0);
      candidates.push({ kind: 'section.order', key, build: () => ({ id, kind: 'section.order', item: 'section', order }) });
    }
  }

  // The template chosen for this visit type.
  for (const r of next.rules)
    if (r.kind === 'template' && r.visitType === example.visitType)
      tally(r.id, r.template === example.template ? 1 : 0, r.template === example.template ? 0 : 1);
  if (example.template !== example.defaultTemplate) {
    const key = `${example.visitType}\u0000${example.template}`;
    const id = ruleId('template', key);
    if (!outcomes.has(id)) tally(id, 1, 0);
    candidates.push({
      kind: 'template',
      key,
      build: () => ({ id, kind: 'template', item: 'template', visitType: example.visitType, template: example.template }),
    });
  }

  // Words and phrasings, section by section (sections kept in both).
  const phraseRules = next.rules.filter((r) => r.kind === 'phrase.remove' || r.kind === 'phrase.replace');
  const seenInNote = new Set<string>();
  for (const d of example.drafted) {
    const s = signed.get(d.id);
    if (!nonEmpty(d) || !nonEmpty(s)) continue;
    const parts = diffWords(d.text, s.text);
    for (const r of phraseRules) {
      const o = phraseOutcome(r, d.text, parts);
      if (o.agree || o.against) tally(r.id, o.agree, o.against);
    }
    for (const c of phraseCandidates(d.id, d.text, hunksOf(parts))) {
      const rule = c.build();
      if (seenInNote.has(rule.id)) continue;
      seenInNote.add(rule.id);
      candidates.push(c);
      if (!phraseRules.some((r) => r.id === rule.id)) {
        const fresh = { ...rule, seen: 0, against: 0, recent: [], lastNote: note, enabled: true, edited: false } as StyleRule;
        const o = phraseOutcome(fresh, d.text, parts);
        tally(rule.id, Math.max(1, o.agree), o.against);
      }
    }
  }

  // Record outcomes: known rules first, then new candidates.
  const byId = new Map(next.rules.map((r) => [r.id, r]));
  for (const c of candidates) {
    const built = c.build();
    if (!byId.has(built.id)) {
      const rule: StyleRule = { ...built, seen: 0, against: 0, recent: [], lastNote: note, enabled: true, edited: false };
      byId.set(rule.id, rule);
      next.rules.push(rule);
    }
  }
  for (const [id, o] of outcomes) {
    const rule = byId.get(id);
    if (!rule) continue;
    const outcome: Outcome = o.agree > 0 && o.agree >= o.against ? 'agree' : o.against > 0 ? 'against' : 'none';
    record(rule, outcome, note);
  }

  // Forget candidates that never came back; keep every rule the clinician touched or that was confirmed.
  next.rules = next.rules
    .filter((r) => r.edited || !r.enabled || r.seen >= 2 || note - r.lastNote < FORGET_AFTER_NOTES)
    .sort((a, b) => b.seen - a.seen)
    .slice(0, MAX_RULES);
  next.notes = note;
  next.length = {
    signed: [...next.length.signed, example.signed.reduce((n, s) => n + countWords(s.text), 0)].slice(-20),
    drafted: [...next.length.drafted, example.drafted.reduce((n, s) => n + countWords(s.text), 0)].slice(-20),
  };
  next.updatedAt = now;
  return next;
}
