import { ScribeError } from '../contract/index.ts';
import type { Draft, StyleProfileView, Transcript } from '../contract/index.ts';
import { auditAction, type AuditLog } from '../audit/index.ts';
import type { RecordStore } from '../vault/index.ts';
import { applyStyle, styledTemplate, type StyleChange } from './apply.ts';
import { learnFromSignedNote, type SignedExample } from './learn.ts';
import { factChange } from './phrases.ts';
import {
  agreement,
  describeRule,
  emptyProfile,
  isApplied,
  medianOf,
  MIN_SEEN,
  ruleState,
  showSlots,
  type StyleProfile,
  type StyleRule,
} from './rules.ts';

/**
 * The style service: one encrypted profile per clinician in the vault (namespace "style"), learned from
 * each note they sign, applied to their next drafts, shown and changed only by them, audited on every
 * change (codes and counts only), never sent anywhere.
 */

export const STYLE_NAMESPACE = 'style';
/** Signed notes kept (encrypted) as examples for a language-model engine. */
export const EXAMPLE_NOTES = 5;

const profileKey = (clinicianId: string) => `profile.${clinicianId}`;
const examplesKey = (clinicianId: string) => `examples.${clinicianId}`;

interface StoredExample {
  visitId: string;
  visitType: string;
  signedAt: string;
  text: string;
}

export interface StyleActor {
  id: string;
  role: 'clinician' | 'scribe' | 'manager';
}

export interface StyleServiceDeps {
  store: RecordStore;
  audit?: AuditLog;
  now?: () => Date;
  /** Titles of section ids (from the note templates), for the page. */
  sectionTitle?: (sectionId: string) => string | undefined;
}

export interface LearnInput extends SignedExample {
  visitId: string;
  clinicianId: string;
  signedAt: string;
  /** The signed note as sent (kept as one of the few examples for language-model engines). */
  noteText: string;
}

/** What a language-model engine gets: instructions in plain words and a few of the clinician's own signed notes. */
export interface StyleForLanguageModel {
  instructions: string;
  examples: Array<{ visitType: string; signedAt: string; text: string }>;
  /** The applied rules the instructions were written from. */
  rules: StyleRule[];
}

/** Checks a styled draft against its transcript (the drafter's evidence guard); empty = fine. */
export type EvidenceCheck = (draft: Draft, transcript: Transcript) => Promise<Array<{ sectionId: string }>>;

export function createStyleService(deps: StyleServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const chains = new Map<string, Promise<unknown>>();
  const titleOf = (id: string) => deps.sectionTitle?.(id) ?? id;

  /** One change at a time per clinician. */
  function serial<T>(clinicianId: string, work: () => Promise<T>): Promise<T> {
    const prev = chains.get(clinicianId) ?? Promise.resolve();
    const next = prev.then(work, work);
    chains.set(
      clinicianId,
      next.catch(() => undefined),
    );
    return next;
  }

  async function load(clinicianId: string): Promise<StyleProfile> {
    const stored = await deps.store.readJson<StyleProfile>(profileKey(clinicianId));
    if (!stored || stored.clinicianId !== clinicianId) return emptyProfile(clinicianId);
    return stored;
  }

  async function store(
    profile: StyleProfile,
    actor: StyleActor | null,
    change: 'learned' | 'rule.off' | 'rule.on' | 'rule.edited' | 'reset',
    ruleId?: string,
  ): Promise<void> {
    await deps.store.writeJson(profileKey(profile.clinicianId), profile);
    if (deps.audit) {
      await auditAction(deps.audit, actor, 'style.changed', {
        details: { change, ...(ruleId ? { ruleId } : {}), rules: profile.rules.filter(isApplied).length },
      });
    }
  }

  function view(profile: StyleProfile): StyleProfileView {
    return {
      clinicianId: profile.clinicianId,
      notes: profile.notes,
      minSeen: MIN_SEEN,
      rules: profile.rules
        // Single sightings are noise until seen again; everything the clinician touched stays listed.
        .filter((r) => r.seen >= 2 || r.edited || !r.enabled)
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          item: r.item,
          description: describeRule(r, titleOf),
          ...(r.sectionId ? { sectionId: r.sectionId } : {}),
          ...(r.from !== undefined ? { from: r.from } : {}),
          ...(r.to !== undefined ? { to: r.to } : {}),
          seen: r.seen,
          against: r.against,
          recentAgreement: agreement(r),
          state: ruleState(r),
          enabled: r.enabled,
          edited: r.edited,
          editable: r.kind === 'phrase.replace' || r.kind === 'section.rename',
        }))
        .sort((a, b) => order(a.state) - order(b.state) || b.seen - a.seen),
      length: { signedWords: medianOf(profile.length.signed), draftedWords: medianOf(profile.length.drafted) },
      updatedAt: profile.updatedAt,
    };
  }

  function changeRule(
    clinicianId: string,
    ruleId: string,
    actor: StyleActor,
    change: (rule: StyleRule) => 'rule.off' | 'rule.on' | 'rule.edited',
  ): Promise<StyleProfileView> {
    return serial(clinicianId, async () => {
      const profile = await load(clinicianId);
      const rule = profile.rules.find((r) => r.id === ruleId);
      if (!rule) throw new ScribeError('not_found', `Your note style has no rule ${ruleId} (it may have been reset)`);
      const kind = change(rule);
      profile.updatedAt = now().toISOString();
      await store(profile, actor, kind, ruleId);
      return view(profile);
    });
  }

  return {
    /** The clinician's profile as stored (decrypted in memory). */
    profile: (clinicianId: string) => load(clinicianId),

    /** The "My note style" page. */
    view: async (clinicianId: string) => view(await load(clinicianId)),

    /** Learn from one signed note and keep it (encrypted) as a recent example. */
    learn(input: LearnInput, actor: StyleActor | null): Promise<StyleProfile> {
      return serial(input.clinicianId, async () => {
        const before = await load(input.clinicianId);
        if ((before.learnedVisits ?? []).includes(input.visitId)) return before;
        const next = learnFromSignedNote(before, input, now().toISOString());
        next.learnedVisits = [...(before.learnedVisits ?? []), input.visitId].slice(-500);
        await store(next, actor, 'learned');
        const examples = ((await deps.store.readJson<StoredExample[]>(examplesKey(input.clinicianId))) ?? []).filter(
          (e) => e.visitId !== input.visitId,
        );
        examples.push({ visitId: input.visitId, visitType: input.visitType, signedAt: input.signedAt, text: input.noteText });
        await deps.store.writeJson(examplesKey(input.clinicianId), examples.slice(-EXAMPLE_NOTES));
        return next;
      });
    },

    setEnabled: (clinicianId: string, ruleId: string, enabled: boolean, actor: StyleActor) =>
      changeRule(clinicianId, ruleId, actor, (rule) => {
        rule.enabled = enabled;
        return enabled ? 'rule.on' : 'rule.off';
      }),

    /** The clinician rewrites a rule's wording: the same fact guard as learning applies. */
    editRule: (clinicianId: string, ruleId: string, to: string, actor: StyleActor) =>
      changeRule(clinicianId, ruleId, actor, (rule) => {
        const text = to.replace(/\s+/g, ' ').trim();
        if (rule.kind === 'section.rename') {
          if (!text) throw new ScribeError('bad_request', 'A section needs a title');
        } else if (rule.kind === 'phrase.replace') {
          const slotted = text.replace(/\bN\b/g, () => '{1}');
          const why = factChange(rule.from ?? '', slotted);
          if (why)
            throw new ScribeError('bad_request', `That wording ${why}: a style may change how the note says things, never what it says`);
          rule.to = slotted;
          rule.edited = true;
          return 'rule.edited';
        } else {
          throw new ScribeError(
            'bad_request',
            `A rule that ${describeRule(rule).toLowerCase()} has no wording to edit; switch it off instead`,
          );
        }
        rule.to = text;
        rule.edited = true;
        return 'rule.edited';
      }),

    /** Forget everything learned, and the example notes. */
    reset(clinicianId: string, actor: StyleActor): Promise<StyleProfileView> {
      return serial(clinicianId, async () => {
        const fresh = { ...emptyProfile(clinicianId), updatedAt: now().toISOString() };
        await deps.store.delete(examplesKey(clinicianId)).catch(() => undefined);
        await deps.store.delete(profileKey(clinicianId)).catch(() => undefined);
        await store(fresh, actor, 'reset');
        return view(fresh);
      });
    },

    /** A visit was deleted from the workstation: its note is no longer kept as an example. */
    async forgetVisit(visitId: string): Promise<void> {
      for (const key of await deps.store.list()) {
        if (!key.startsWith('examples.')) continue;
        const clinicianId = key.slice('examples.'.length);
        await serial(clinicianId, async () => {
          const examples = (await deps.store.readJson<StoredExample[]>(key)) ?? [];
          if (examples.some((e) => e.visitId === visitId))
            await deps.store.writeJson(
              key,
              examples.filter((e) => e.visitId !== visitId),
            );
        });
      }
    },

    /**
     * For language-model engines (branch llm): the profile as instructions plus the clinician's latest
     * signed notes, decrypted only in memory. Never written anywhere, never sent off the workstation.
     */
    async forLanguageModel(clinicianId: string, options: { examples?: number } = {}): Promise<StyleForLanguageModel> {
      const profile = await load(clinicianId);
      const rules = profile.rules.filter(isApplied);
      const stored = (await deps.store.readJson<StoredExample[]>(examplesKey(clinicianId))) ?? [];
      const examples = stored.slice(-(options.examples ?? 3)).map(({ visitType, signedAt, text }) => ({ visitType, signedAt, text }));
      return { instructions: instructionsOf(profile, rules, titleOf), examples, rules };
    },

    /**
     * Applies the clinician's style to a fresh draft. The result is checked by the drafter's evidence guard:
     * a section whose styled text fails it goes back to the drafted text, so a learned change can never
     * bring in a fact the transcript lacks.
     */
    async styleDraft(
      clinicianId: string,
      draft: Draft,
      options: { transcript?: Transcript; check?: EvidenceCheck; defaultTemplate?: string } = {},
    ): Promise<{ draft: Draft; changes: StyleChange[] }> {
      const profile = await load(clinicianId);
      const drafted = draft.style?.drafted ?? draft.sections.map(({ id, title, text }) => ({ id, title, text }));
      const base: Draft = {
        ...draft,
        style: {
          drafted,
          ...((options.defaultTemplate ?? draft.style?.defaultTemplate)
            ? { defaultTemplate: options.defaultTemplate ?? draft.style?.defaultTemplate }
            : {}),
          applied: [],
          removedSections: [],
        },
      };
      let styled = applyStyle(base, profile);
      if (options.check && options.transcript && styled.changes.length) {
        const defects = await options.check(styled.draft, options.transcript);
        if (defects.length) {
          const bad = new Set(defects.map((d) => d.sectionId));
          const keep = styled.draft.sections.map((s) => (bad.has(s.id) ? { ...s, ...restoreText(base, s.id) } : s));
          const changes = styled.changes.filter((c) => !bad.has(c.sectionId) || c.kind.startsWith('section.'));
          styled = { draft: { ...styled.draft, sections: keep, style: { ...styled.draft.style!, applied: changes } }, changes };
          if ((await options.check(styled.draft, options.transcript)).length) return { draft: base, changes: [] };
        }
      }
      return styled;
    },

    /** The template this clinician uses for a visit type, once learned. */
    async templateFor(clinicianId: string, visitType: string): Promise<string | null> {
      return styledTemplate(await load(clinicianId), visitType)?.template ?? null;
    },
  };
}

function restoreText(base: Draft, sectionId: string): { text: string; sentences: Draft['sections'][number]['sentences'] } {
  const s = base.sections.find((x) => x.id === sectionId)!;
  return { text: s.text, sentences: s.sentences };
}

const STATE_ORDER = { applied: 0, fading: 1, learning: 2, off: 3 } as const;
const order = (state: keyof typeof STATE_ORDER) => STATE_ORDER[state];

/** The applied rules in plain words, for a language model. */
export function instructionsOf(profile: StyleProfile, rules: readonly StyleRule[], titleOf: (id: string) => string = (id) => id): string {
  const lines: string[] = [];
  const q = (s: string | undefined) => `"${showSlots(s ?? '')}"`;
  for (const r of rules) {
    switch (r.kind) {
      case 'section.remove':
        lines.push(`Leave out the section ${q(titleOf(r.sectionId ?? ''))}.`);
        break;
      case 'section.rename':
        lines.push(`Title the section ${q(r.from)} as ${q(r.to)}.`);
        break;
      case 'section.order':
        lines.push(`Order the sections: ${(r.order ?? []).map(titleOf).join(', ')}.`);
        break;
      case 'phrase.remove':
        lines.push(`Do not write ${q(r.from)}.`);
        break;
      case 'phrase.replace':
        lines.push(`Write ${q(r.to)} instead of ${q(r.from)}${r.item !== 'wording' ? ` (${r.item})` : ''}.`);
        break;
      case 'template':
        lines.push(`For ${r.visitType} visits use the ${r.template} template.`);
        break;
    }
  }
  const words = medianOf(profile.length.signed);
  if (words) lines.push(`This clinician's signed notes are about ${words} words long.`);
  if (!lines.length) return '';
  return [
    "Write in this clinician's own note style, learned from the notes they signed. Style changes how things are said, never what is said: add no finding, number, drug, dose or side the transcript does not support.",
    ...lines.map((l) => `- ${l}`),
  ].join('\n');
}

export type StyleService = ReturnType<typeof createStyleService>;
