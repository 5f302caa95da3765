import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type CodingCalls = 'coding.suggest' | 'coding.search' | 'coding.decide';

/** Coding hints (app/coding): the core builds `services.coding` with createCodingService. */
export function codingHandlers(s: CoreServices): PartialHandlers<CodingCalls> {
  return {
    'coding.suggest': ({ visitId }) => s.coding.suggest(visitId),
    'coding.search': ({ query, limit }) => s.coding.search(query, limit ?? 20),
    'coding.decide': ({ visitId, hintId, action, code }, ctx) =>
      s.coding.decide(ctx.user!, { visitId, hintId, action, ...(code ? { code } : {}) }),
  };
}
