import type { SessionService } from '../session/index.ts';
import type { VisitService, SchedulePort } from '../encounter/index.ts';
import type { Handlers } from './dispatch.ts';
import { sessionHandlers } from './handlers/session.ts';
import { visitHandlers } from './handlers/visit.ts';

/** The services the handlers call. app/core builds them; tests may build them with real parts too. */
export interface CoreServices {
  session: SessionService;
  schedule: SchedulePort;
  visits: VisitService;
}

/**
 * Every call of the contract, implemented by plain functions over the core's services.
 * Each capability keeps its block in app/api/handlers/<capability>.ts; register it here.
 */
export function createHandlers(services: CoreServices): Handlers {
  return {
    ...sessionHandlers(services),
    ...visitHandlers(services),
  };
}
