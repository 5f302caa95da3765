export { createVisitService, CONSENT_STATEMENTS, VISIT_RECORD, type VisitService, type VisitServiceDeps } from './visits.ts';
export type * from './ports.ts';
