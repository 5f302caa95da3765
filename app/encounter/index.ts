export { createVisitService, CONSENT_STATEMENTS, type VisitService } from './visits.ts';
export type * from './ports.ts';
