export { createVisitService, type VisitService } from './visits.ts';
export { CONSENT_STATEMENTS } from './signing.ts';
export type * from './ports.ts';
export { DeadlinePassed, deadlinesFromJson, inWords, spokenDuration, within, type VisitDeadlines } from './deadlines.ts';
