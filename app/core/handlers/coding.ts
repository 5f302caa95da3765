import { ScribeError } from '../../contract/index.ts';
import type { PartialHandlers } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

type CodingCalls = 'coding.suggest' | 'coding.search' | 'coding.decide';

/** Coding hints (app/coding): the core builds `services.coding` with createCodingService. */
export function codingHandlers(s: CoreServices): PartialHandlers<CodingCalls> {
  const coding = () => {
    if (!s.coding) throw new ScribeError('unavailable', 'Coding hints are not available in this build of Scribe');
    return s.coding;
  };
  return {
    'coding.suggest': ({ visitId }) => coding().suggest(visitId),
    'coding.search': ({ query, limit }) => coding().search(query, limit ?? 20),
    'coding.decide': ({ visitId, hintId, action, code }, ctx) => coding().decide(ctx.user!, { visitId, hintId, action, ...(code ? { code } : {}) }),
  };
}
