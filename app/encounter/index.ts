export { createVisitService, type VisitService, type VisitServiceDeps } from './visits.ts';
export { CONSENT_STATEMENTS } from './signing.ts';
export { VISIT_RECORD, noteIdOf, visitIdOfNote } from './desk.ts';
export type * from './ports.ts';
