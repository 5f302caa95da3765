import type { SessionService } from '../session/index.ts';
import type { VisitService, SchedulePort } from '../encounter/index.ts';
import type { DictationService } from '../dictation/index.ts';
import type { QueueService } from '../queue/index.ts';
import type { MetricsService } from '../metrics/index.ts';
import type { CodingService } from '../coding/index.ts';
import type { RetentionService } from '../retention/index.ts';
import type { SessionLock } from '../security/index.ts';
import type { SettingsService } from '../settings/index.ts';
import type { StyleLearning, StyleService } from '../style/index.ts';

/** The services the handlers call, every one of them present (createCore builds them in dependency order). */
export interface CoreServices {
  session: SessionService;
  schedule: SchedulePort;
  visits: VisitService;
  /** Note templates the drafter can fill. */
  templates: () => { templates: { name: string; title: string; description: string }[]; problems: { file: string; error: string }[] };
  /** Dictation into the note (app/dictation: createDictationService). */
  dictation: DictationService;
  /** The scribe's queue (app/queue: createQueueService). */
  queue: QueueService;
  /** Practice metrics (app/metrics: createMetricsService). */
  metrics: MetricsService;
  /** Coding hints (app/coding: createCodingService). */
  coding: CodingService;
  /** Retention and "delete this visit" (app/retention: createRetention). */
  retention: RetentionService;
  /** Idle lock and re-authentication (app/security: createSessionLock). */
  lock: SessionLock;
  /** Workstation settings: engine/model, EHR connection (app/settings: openSettings). */
  settings: SettingsService;
  /** Each clinician's note style (app/style: createStyleService, createStyleLearning). */
  style: { service: StyleService; learning: StyleLearning };
}
