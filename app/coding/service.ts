import { ScribeError } from '../contract/index.ts';
import type { CodingDecision, CodingHint, User, Visit } from '../contract/index.ts';
import { suggestWith } from './suggest.ts';
import type { CodeSearchResult, Terminology } from './terminology.ts';

/** What the coding service needs from the visits: read one, and store its coding decisions. */
export interface VisitsForCoding {
  get(visitId: string): Promise<Visit>;
  setCodingDecisions(visitId: string, decisions: CodingDecision[]): Promise<Visit>;
}

export interface CodingSuggestions {
  visitId: string;
  /** Draft version the hints were computed from (null: from the transcript alone). */
  draftVersion: number | null;
  hints: CodingHint[];
  decisions: CodingDecision[];
}

export interface DecideInput {
  visitId: string;
  /** The hint's id (`manual:CODE` for a diagnosis the clinician added). */
  hintId: string;
  action: 'accept' | 'reject' | 'replace' | 'add';
  /** For `replace` and `add`: the ICD-10-CM code chosen in the type-ahead. */
  code?: string;
}

/** ICD-10-CM codes the clinician accepted (or chose as replacements): what goes into the signed note. */
export function acceptedDiagnoses(decisions: CodingDecision[] | undefined): { code: string; display: string; system: string }[] {
  const out = new Map<string, { code: string; display: string; system: string }>();
  for (const d of decisions ?? []) {
    if (d.system === 'icd10cm' && d.action !== 'reject' && d.code)
      out.set(d.code, { code: d.code, display: d.display, system: 'http://hl7.org/fhir/sid/icd-10-cm' });
  }
  return [...out.values()];
}

/** The note section listing accepted diagnoses ("I10 Essential (primary) hypertension" per line), or null. */
export function diagnosisSectionText(decisions: CodingDecision[] | undefined): string | null {
  const dx = acceptedDiagnoses(decisions);
  return dx.length ? dx.map((d) => `${d.code} ${d.display}`).join('\n') : null;
}

/**
 * Coding hints for a visit, type-ahead search, and the clinician's decisions (stored on the visit,
 * so they travel with it to signing). Hints are computed from the visit's draft and transcript and
 * cached per draft version.
 */
export function createCodingService(deps: { visits: VisitsForCoding; terminology: () => Terminology; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const cache = new Map<string, { key: string; hints: CodingHint[] }>();

  function hintsFor(visit: Visit): CodingHint[] {
    const key = `${visit.draft?.version ?? 'none'}:${visit.draft?.generatedAt ?? ''}:${visit.transcript?.segments.length ?? 0}`;
    const hit = cache.get(visit.id);
    if (hit && hit.key === key) return hit.hints;
    const hints = suggestWith(deps.terminology(), { draft: visit.draft, transcript: visit.transcript }, { top: 20 });
    if (cache.size > 200) cache.clear();
    cache.set(visit.id, { key, hints });
    return hints;
  }

  /** The code a hint id names (`icd10cm:I10` → I10), for re-accepting a rejected hint no longer in the draft. */
  function hintCodeOf(hintId: string): string | null {
    const m = /^(?:icd10cm|loinc):([^:]+)|^rxnorm:(\d+)$/.exec(hintId);
    return m ? (m[1] ?? m[2])! : null;
  }

  /** A billable FY2027 ICD-10-CM code, or a clear refusal. */
  function billableCode(raw: string | undefined) {
    const wanted = (raw ?? '').trim().toUpperCase();
    const info = wanted ? deps.terminology().code(wanted) : null;
    if (!info || info.status === 'deleted')
      throw new ScribeError('bad_request', `${wanted || 'An empty code'} is not a valid ICD-10-CM code for FY2027`);
    if (!info.billable)
      throw new ScribeError(
        'bad_request',
        `${info.code} (${info.display}) is a category, not a billable code: choose a more specific code`,
      );
    return info;
  }

  async function save(visit: Visit, decision: CodingDecision): Promise<CodingDecision[]> {
    const decisions = [...(visit.codingDecisions ?? []).filter((d) => d.hintId !== decision.hintId), decision];
    const saved = await deps.visits.setCodingDecisions(visit.id, decisions);
    return saved.codingDecisions ?? decisions;
  }

  return {
    async suggest(visitId: string): Promise<CodingSuggestions> {
      const visit = await deps.visits.get(visitId);
      return {
        visitId,
        draftVersion: visit.draft?.version ?? null,
        hints: visit.draft || visit.transcript ? hintsFor(visit) : [],
        decisions: visit.codingDecisions ?? [],
      };
    },

    search(query: string, limit = 20): CodeSearchResult[] {
      return deps.terminology().searchCodes(query, { limit });
    },

    async decide(user: User, input: DecideInput): Promise<CodingDecision[]> {
      const visit = await deps.visits.get(input.visitId);
      if (visit.status !== 'draft') {
        throw new ScribeError('conflict', `Coding decisions can be changed only before signing (the visit is ${visit.status})`);
      }
      if (input.action === 'add') {
        const info = billableCode(input.code);
        return save(visit, {
          hintId: `manual:${info.code}`,
          action: 'add',
          system: 'icd10cm',
          code: info.code,
          display: info.display,
          decidedBy: user.id,
          decidedAt: now().toISOString(),
        });
      }
      // A hint of the current draft, or one decided earlier (the draft may have changed since).
      const hint = hintsFor(visit).find((h) => h.id === input.hintId) ?? visit.codingDecisions?.find((d) => d.hintId === input.hintId);
      if (!hint)
        throw new ScribeError('not_found', `No coding hint ${input.hintId} for this visit (the draft may have changed: reload the hints)`);
      if (input.hintId.startsWith('manual:') && input.action !== 'reject') {
        throw new ScribeError('bad_request', 'A diagnosis the clinician added can only be removed (reject) or added again');
      }
      const system = hint.system;
      let code: string | null;
      let display: string;
      if (input.action === 'replace') {
        if (system !== 'icd10cm') throw new ScribeError('bad_request', 'Only ICD-10-CM hints can be replaced with another code');
        const info = billableCode(input.code);
        code = info.code;
        display = info.display;
      } else {
        // Accepting the code of a hint (or of an earlier decision, when the hint left the draft).
        code =
          input.action === 'accept'
            ? 'confidence' in hint
              ? hint.code
              : hint.action === 'reject'
                ? hintCodeOf(input.hintId)
                : hint.code
            : null;
        display = hint.display;
      }
      return save(visit, {
        hintId: input.hintId,
        action: input.action,
        system,
        code,
        display,
        decidedBy: user.id,
        decidedAt: now().toISOString(),
      });
    },
  };
}

export type CodingService = ReturnType<typeof createCodingService>;
