/**
 * A clinician's note style: rules learned from the differences between the AI draft and the note the
 * clinician signed (docs/decisions/0140-style-rules-learned-from-signed-notes.md).
 * Everything here is plain data; the profile is stored encrypted in the vault (store.ts).
 */

export const RULE_KINDS = ['section.remove', 'section.rename', 'section.order', 'phrase.remove', 'phrase.replace', 'template'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** What a recurring wording is about (for the page and for language-model instructions). */
export type RuleItem = 'follow-up' | 'medication' | 'vitals' | 'negation' | 'wording' | 'section' | 'template';

export interface StyleRule {
  /** Stable id derived from the rule's content ("r-" + 10 hex). */
  id: string;
  kind: RuleKind;
  item: RuleItem;
  /** Section rules: the section; phrase rules: the section it was learned in (applies in every section). */
  sectionId?: string;
  /** phrase.*: the words as drafted, numbers as {1}, {2}…; section.rename: the drafted title. */
  from?: string;
  /** phrase.replace: the clinician's words (same slots); section.rename: their title. */
  to?: string;
  /** section.order: the clinician's order of section ids. */
  order?: string[];
  /** template: the visit type and the template the clinician picks for it. */
  visitType?: string;
  template?: string;
  /** Signed notes that agreed with the rule, and that went against it. */
  seen: number;
  against: number;
  /** The latest outcomes, newest last (true = the signed note agreed). */
  recent: boolean[];
  /** Count of signed notes learned when the rule was last seen either way. */
  lastNote: number;
  /** The clinician switched it off (never applied while false). */
  enabled: boolean;
  /** The clinician changed its wording on the "My note style" page. */
  edited: boolean;
}

export interface StyleProfile {
  version: 1;
  clinicianId: string;
  /** Signed notes learned from. */
  notes: number;
  rules: StyleRule[];
  /** Words of the latest signed notes and of their drafts (last 20 each). */
  length: { signed: number[]; drafted: number[] };
  /** Visits already learned from (latest 500), so a note is never counted twice. */
  learnedVisits: string[];
  updatedAt: string | null;
}

/** Evidence a rule needs before it is applied. */
export const MIN_SEEN = 3;
/** Outcomes remembered per rule, and the share of them that must agree for the rule to stay applied. */
export const RECENT_OUTCOMES = 8;
export const MIN_RECENT_AGREEMENT = 0.75;
/** Candidates never confirmed are forgotten after this many notes without a sighting. */
export const FORGET_AFTER_NOTES = 30;
export const MAX_RULES = 400;

export function emptyProfile(clinicianId: string): StyleProfile {
  return { version: 1, clinicianId, notes: 0, rules: [], length: { signed: [], drafted: [] }, learnedVisits: [], updatedAt: null };
}

export type RuleState = 'applied' | 'learning' | 'fading' | 'off';

export function agreement(rule: StyleRule): number {
  if (rule.recent.length === 0) return 0;
  return rule.recent.filter(Boolean).length / rule.recent.length;
}

/** Applied once seen in MIN_SEEN signed notes while the recent ones agree; 'fading' when they stopped agreeing. */
export function ruleState(rule: StyleRule): RuleState {
  if (!rule.enabled) return 'off';
  if (rule.seen < MIN_SEEN) return 'learning';
  // The latest notes must agree, and over the rule's whole life it must have agreed at least twice as often as not.
  return agreement(rule) >= MIN_RECENT_AGREEMENT && rule.seen >= 2 * rule.against ? 'applied' : 'fading';
}

export function isApplied(rule: StyleRule): boolean {
  return ruleState(rule) === 'applied';
}

/** One line a clinician can read. */
export function describeRule(rule: StyleRule, titleOf: (sectionId: string) => string = (id) => id): string {
  switch (rule.kind) {
    case 'section.remove':
      return `Leave out the section "${titleOf(rule.sectionId ?? '')}"`;
    case 'section.rename':
      return `Call the section "${rule.from ?? ''}" "${rule.to ?? ''}"`;
    case 'section.order':
      return `Put the sections in this order: ${(rule.order ?? []).map(titleOf).join(', ')}`;
    case 'phrase.remove':
      return `Remove "${showSlots(rule.from ?? '')}"`;
    case 'phrase.replace':
      return `Write "${showSlots(rule.to ?? '')}" instead of "${showSlots(rule.from ?? '')}"`;
    case 'template':
      return `Use the template "${rule.template ?? ''}" for ${rule.visitType ?? ''} visits`;
  }
}

/** {1} reads as "N" on the page. */
export function showSlots(pattern: string): string {
  return pattern.replace(/\{\d+\}/g, 'N');
}

export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}
