import type { VisitSummary } from '../contract/index.ts';
import { createCaptureRoom } from './capture.ts';
import { createVisitDesk } from './desk.ts';
import { createDraftingRoom } from './drafting.ts';
import { DEFAULT_VISIT_DEADLINES, type VisitDeadlines } from './deadlines.ts';
import type { DrafterPort, EmitVisitEvent, LifecycleListener, OutboxPort, SchedulePort, TranscriberPort, VisitStorage } from './ports.ts';
import { createRetentionRoom } from './retention.ts';
import { createSigningRoom } from './signing.ts';

export interface VisitServiceDeps {
  storage: VisitStorage;
  transcriber: TranscriberPort;
  drafter: DrafterPort;
  schedule: SchedulePort;
  /** Keeps signed notes and alone knows where each stands (the visit shows its status, never copies it). */
  outbox: OutboxPort;
  emit: EmitVisitEvent;
  lifecycle: LifecycleListener;
  now?: () => Date;
  /** Deadlines of the waits after Stop (defaults: DEFAULT_VISIT_DEADLINES), read at each wait. */
  deadlines?: Partial<VisitDeadlines>;
}

/**
 * The visit's life: start (after consent) → audio chunks → stop → transcript → draft → edits → sign → outbox.
 * Every state change is persisted (through the vault) before it is announced. The rooms: capture.ts,
 * drafting.ts, signing.ts, retention.ts; desk.ts is what they share.
 */
export function createVisitService(deps: VisitServiceDeps) {
  const desk = createVisitDesk({
    storage: deps.storage,
    outbox: deps.outbox,
    emit: deps.emit,
    lifecycle: deps.lifecycle,
    now: deps.now ?? (() => new Date()),
    // Read at each wait, so a change applies to the next one (tests shorten them, then restore them).
    deadlines: () => ({ ...DEFAULT_VISIT_DEADLINES, ...deps.deadlines }),
  });

  async function list(): Promise<VisitSummary[]> {
    const all = [];
    for (const id of await deps.storage.listVisits()) {
      try {
        all.push(await desk.shown(await desk.load(id)));
      } catch {
        // an unreadable visit is reported by the vault's own checks, never silently dropped from disk
      }
    }
    return all
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .map(({ id, encounterId, patientName, visitType, visitTypeText, status, startedAt, post, consent }) => ({
        id,
        encounterId,
        patientName,
        visitType,
        ...(visitTypeText ? { visitTypeText } : {}),
        status,
        startedAt,
        post,
        consent,
      }));
  }

  const drafting = createDraftingRoom(desk, { drafter: deps.drafter, schedule: deps.schedule });
  const capture = createCaptureRoom(desk, drafting, { transcriber: deps.transcriber, schedule: deps.schedule, list });
  const signing = createSigningRoom(desk);
  const retention = createRetentionRoom(desk);

  return {
    ...capture,
    ...drafting,
    ...signing,
    ...retention,
    /** One visit as the window sees it (its note's post status read from the outbox). */
    get: async (visitId: string) => desk.shown(await desk.load(visitId)),
    list,
    /** Wait for background work (recognition, drafting) — for shutdown and tests. */
    idle: () => desk.idle(),
  };
}

export type VisitService = ReturnType<typeof createVisitService>;
