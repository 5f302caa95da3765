import type { CoreServices } from './services.ts';
import type { Handlers } from './dispatch.ts';
import { assetsHandlers } from './handlers/assets.ts';
import { transcriptionHandlers } from './handlers/transcription.ts';
import { codingHandlers } from './handlers/coding.ts';
import { dictationHandlers } from './handlers/dictation.ts';
import { metricsHandlers } from './handlers/metrics.ts';
import { queueHandlers } from './handlers/queue.ts';
import { sessionHandlers } from './handlers/session.ts';
import { sessionLockHandlers } from './handlers/session-lock.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { styleHandlers } from './handlers/style.ts';
import { visitHandlers } from './handlers/visit.ts';

/**
 * Every call of the contract, implemented by plain functions over the core's services.
 * Each capability keeps its block in app/core/handlers/<capability>.ts; register it here.
 */
export function createHandlers(services: CoreServices): Handlers {
  return {
    ...sessionHandlers(services),
    ...sessionLockHandlers(services),
    ...visitHandlers(services),
    ...dictationHandlers(services),
    ...queueHandlers(services),
    ...metricsHandlers(services),
    ...codingHandlers(services),
    ...assetsHandlers(services),
    ...transcriptionHandlers(services),
    ...settingsHandlers(services),
    ...styleHandlers(services),
  };
}
