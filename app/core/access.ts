import {
  ScribeError,
  contract,
  events,
  type AccessRule,
  type CallName,
  type CallSpec,
  type EventName,
  type User,
} from '../contract/index.ts';

/**
 * The one access policy (docs/decisions/0093-one-access-policy.md). The contract says, for every call
 * and every event, which roles may make or receive it and under which rule; this file is the only
 * place that applies those rules. Handlers and services never decide who may see a visit.
 *
 * - `none`: the role is enough.
 * - `ownVisit`: the visit named by the input (its `visitId`, or the visit a running dictation writes
 *   into) belongs to this clinician.
 * - `assignedVisit`: the visit is assigned to this scribe in the queue.
 * - `ownMetrics`: a clinician's own figures only (a filter naming someone else is refused; no filter
 *   is narrowed to them).
 * List calls (`list` in the contract) answer only the items the same rule allows.
 */
export interface AccessFacts {
  /** The clinician a visit belongs to; throws not_found when there is no such visit. */
  clinicianOf(visitId: string): Promise<string>;
  /** The scribe the visit is assigned to, or null. */
  scribeOf(visitId: string): Promise<string | null>;
  /** The visit a running dictation writes into, or null when no such dictation runs. */
  visitOfDictation(dictationId: string): string | null;
}

export type AccessPolicy = ReturnType<typeof createAccessPolicy>;

type Input = Record<string, unknown>;

export function createAccessPolicy(facts: AccessFacts) {
  async function visitAllowed(user: User, rule: AccessRule, visitId: string): Promise<boolean> {
    switch (rule) {
      case 'none':
      case 'ownMetrics':
        return true;
      case 'ownVisit':
        return (await facts.clinicianOf(visitId)) === user.id;
      case 'assignedVisit':
        return (await facts.scribeOf(visitId)) === user.id;
    }
  }

  function refusal(rule: AccessRule): ScribeError {
    return new ScribeError(
      'forbidden',
      rule === 'ownVisit'
        ? 'This visit belongs to another clinician'
        : rule === 'assignedVisit'
          ? 'This visit is not assigned to you'
          : "A clinician sees only their own figures; the practice manager sees everyone's",
    );
  }

  function visitIdOf(input: Input): string | null {
    if (typeof input['visitId'] === 'string') return input['visitId'];
    if (typeof input['dictationId'] === 'string') {
      const visitId = facts.visitOfDictation(input['dictationId']);
      if (!visitId) throw new ScribeError('not_found', `No dictation ${input['dictationId']} is running`);
      return visitId;
    }
    return null;
  }

  return {
    /**
     * After the role gate and the input schema: the call's rule for this person's role. Returns the
     * input to hand to the handler (`ownMetrics` narrows a filter to the clinician's own figures).
     */
    async checkCall<K extends CallName>(name: K, user: User, input: Input): Promise<Input> {
      const rule: AccessRule = contract[name].access[user.role] ?? 'none';
      if (rule === 'none') return input;
      if (rule === 'ownMetrics') {
        if (input['clinicianId'] !== undefined && input['clinicianId'] !== user.id) throw refusal(rule);
        return { ...input, clinicianId: user.id };
      }
      if ((contract[name] as CallSpec).list) return input; // a list answers only what the rule allows (filterAnswer)
      const visitId = visitIdOf(input);
      if (visitId === null) throw new ScribeError('internal', `${name} declares the ${rule} rule but names no visit`);
      if (!(await visitAllowed(user, rule, visitId))) throw refusal(rule);
      return input;
    },

    /** List calls: keep the items whose visit the person's rule allows. */
    async filterAnswer<K extends CallName>(name: K, user: User, answer: unknown): Promise<unknown> {
      const spec: CallSpec = contract[name];
      const key = spec.list;
      if (!key || !Array.isArray(answer)) return answer;
      const rule: AccessRule = spec.access[user.role] ?? 'none';
      if (rule === 'none') return answer;
      const kept: unknown[] = [];
      for (const item of answer as Record<string, unknown>[]) {
        const visitId = item[key];
        if (typeof visitId === 'string' && (await visitAllowed(user, rule, visitId).catch(() => false))) kept.push(item);
      }
      return kept;
    },

    /** Events: may this person's window receive this one? Nobody signed in receives only what everyone may. */
    async mayReceive<E extends EventName>(event: E, user: User | null, payload: unknown): Promise<boolean> {
      const spec = events[event];
      if (!user) return Object.keys(spec.receivers).length === 3 && Object.values(spec.receivers).every((r) => r === 'none');
      const rule = spec.receivers[user.role];
      if (rule === undefined) return false;
      if (rule === 'none') return true;
      const visitId = (spec.visitIdOf as ((p: unknown) => string) | undefined)?.(payload);
      if (!visitId) return false;
      return visitAllowed(user, rule, visitId).catch(() => false);
    },
  };
}
