export { createVisitService, type VisitService } from './visits.ts';
export { CONSENT_STATEMENTS } from './signing.ts';
export type * from './ports.ts';
export { deadlinesFromJson, type VisitDeadlines } from './deadlines.ts';
