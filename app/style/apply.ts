import { ScribeError, type Draft, type DraftSection } from '../contract/index.ts';
import { findMatches } from './phrases.ts';
import { describeRule, isApplied, type StyleProfile, type StyleRule } from './rules.ts';

/**
 * Applying a profile to a fresh draft: sections left out, renamed and reordered, words replaced or
 * removed — each change recorded on the draft ("from your style", with the rule), sentences keep their
 * evidence, and sections a person already edited are never touched.
 */

export type StyleChange = NonNullable<Draft['style']>['applied'][number];

function priority(a: StyleRule, b: StyleRule): number {
  return (b.from?.length ?? 0) - (a.from?.length ?? 0) || b.seen - a.seen || a.id.localeCompare(b.id);
}

/** Rewrites one piece of text with the phrase rules: all matches found on the original, longest rules first, no overlaps. */
export function rewrite(
  text: string,
  rules: readonly StyleRule[],
): { text: string; changes: Array<{ rule: StyleRule; before: string; after: string }> } {
  const picked: Array<{ start: number; end: number; output: string; before: string; rule: StyleRule }> = [];
  for (const rule of rules) {
    const to = rule.kind === 'phrase.remove' ? '' : (rule.to ?? '');
    for (const m of findMatches(text, rule.from ?? '', to)) {
      if (picked.some((p) => m.start < p.end && p.start < m.end)) continue;
      picked.push({ start: m.start, end: m.end, output: m.output, before: m.text, rule });
    }
  }
  if (picked.length === 0) return { text, changes: [] };
  picked.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const p of picked) {
    out += text.slice(at, p.start) + p.output;
    at = p.end;
  }
  out += text.slice(at);
  // A removal leaves no double spaces, no space before punctuation, no empty list line.
  out = out
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([.,;:!?])/g, '$1')
    .replace(/^(\s*-\s*)[.,;:]?\s*$/gm, '')
    .replace(/^(\s*-\s*)?[,;:]\s*/gm, '$1')
    .replace(/([.!?]\s+)[,;:]\s*/g, '$1')
    .replace(/\n{2,}/g, '\n')
    .replace(/^[ \t]+|[ \t]+$/gm, '')
    .trim();
  return { text: out, changes: picked.map((p) => ({ rule: p.rule, before: p.before, after: p.output })) };
}

function styleSection(section: DraftSection, rules: readonly StyleRule[]): { section: DraftSection; changes: StyleChange[] } {
  if (section.edited || rules.length === 0) return { section, changes: [] };
  const changes: StyleChange[] = [];
  const note = (c: { rule: StyleRule; before: string; after: string }) =>
    changes.push({
      ruleId: c.rule.id,
      kind: c.rule.kind,
      sectionId: section.id,
      description: describeRule(c.rule),
      before: c.before,
      after: c.after,
    });
  if (section.sentences.length === 0) {
    const r = rewrite(section.text, rules);
    r.changes.forEach(note);
    return { section: { ...section, text: r.text }, changes };
  }
  // Sentence by sentence (each keeps its evidence), then the same sentences replaced in the section's text.
  let text = section.text;
  let from = 0;
  const sentences: DraftSection['sentences'] = [];
  for (const sentence of section.sentences) {
    const r = rewrite(sentence.text, rules);
    r.changes.forEach(note);
    const at = text.indexOf(sentence.text, from);
    if (at >= 0) {
      text = text.slice(0, at) + r.text + text.slice(at + sentence.text.length);
      from = at + r.text.length;
    }
    if (r.text.trim()) sentences.push({ ...sentence, text: r.text });
  }
  text = text
    .replace(/^\s*-\s*$/gm, '')
    .replace(/\n{2,}/g, '\n')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  return { section: { ...section, text, sentences }, changes };
}

export interface StyledDraft {
  draft: Draft;
  changes: StyleChange[];
}

/** The profile's applied rules on a draft (switched-off, still-learning and fading rules are not applied). */
export function applyStyle(draft: Draft, profile: StyleProfile): StyledDraft {
  const applied = profile.rules.filter(isApplied);
  const changes: StyleChange[] = [];
  const titleOf = (id: string) => draft.sections.find((s) => s.id === id)?.title ?? id;
  const record = (rule: StyleRule, sectionId: string, before: string, after: string) =>
    changes.push({ ruleId: rule.id, kind: rule.kind, sectionId, description: describeRule(rule, titleOf), before, after });

  const removed: NonNullable<Draft['style']>['removedSections'] = [];
  let sections: DraftSection[] = [];
  for (const s of draft.sections) {
    const rule = applied.find((r) => r.kind === 'section.remove' && r.sectionId === s.id);
    if (rule && !s.edited) {
      removed.push({ id: s.id, title: s.title, text: s.text, ruleId: rule.id, sentences: s.sentences });
      record(rule, s.id, s.title, '');
      continue;
    }
    sections.push(s);
  }

  const phraseRules = applied.filter((r) => r.kind === 'phrase.replace' || r.kind === 'phrase.remove').sort(priority);
  sections = sections.map((s) => {
    const r = styleSection(s, phraseRules);
    changes.push(...r.changes);
    return r.section;
  });

  sections = sections.map((s) => {
    const rule = applied.filter((r) => r.kind === 'section.rename' && r.sectionId === s.id && r.from === s.title).sort(priority)[0];
    if (!rule?.to) return s;
    record(rule, s.id, s.title, rule.to);
    return { ...s, title: rule.to };
  });

  const orderRule = applied.filter((r) => r.kind === 'section.order').sort((a, b) => b.seen - a.seen)[0];
  if (orderRule?.order) {
    const rank = new Map(orderRule.order.map((id, i) => [id, i]));
    const ordered = [...sections].sort((a, b) => (rank.get(a.id) ?? rank.size) - (rank.get(b.id) ?? rank.size));
    if (ordered.some((s, i) => s.id !== sections[i]!.id)) {
      record(orderRule, '*', sections.map((s) => s.id).join(','), ordered.map((s) => s.id).join(','));
      sections = ordered;
    }
  }

  return {
    draft: { ...draft, sections, style: { ...(draft.style ?? { drafted: [] }), applied: changes, removedSections: removed } },
    changes,
  };
}

/** The template the clinician uses for this visit type, if the profile has learned one. */
export function styledTemplate(profile: StyleProfile, visitType: string): StyleRule | null {
  return (
    profile.rules.filter((r) => r.kind === 'template' && r.visitType === visitType && isApplied(r)).sort((a, b) => b.seen - a.seen)[0] ??
    null
  );
}

/**
 * Puts back, in this one draft, a section the style left out (its drafted text and evidence, at its drafted
 * place). Signing the note with it then counts against the rule.
 */
export function restoreRemovedSection(draft: Draft, sectionId: string): Draft {
  const removed = draft.style?.removedSections.find((r) => r.id === sectionId);
  if (!draft.style || !removed) throw new ScribeError('not_found', `Your style did not leave out a section "${sectionId}" in this draft`);
  const order = draft.style.drafted.map((s) => s.id);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const at = draft.sections.findIndex((s) => rank(s.id) > rank(sectionId));
  const section: DraftSection = { id: removed.id, title: removed.title, text: removed.text, sentences: removed.sentences, edited: false };
  const sections = at < 0 ? [...draft.sections, section] : [...draft.sections.slice(0, at), section, ...draft.sections.slice(at)];
  return {
    ...draft,
    version: draft.version + 1,
    sections,
    style: {
      ...draft.style,
      removedSections: draft.style.removedSections.filter((r) => r.id !== sectionId),
      applied: draft.style.applied.filter((c) => !(c.kind === 'section.remove' && c.sectionId === sectionId)),
    },
  };
}
