import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ScribeError } from '../contract/index.ts';
import type { RecordStore } from '../vault/index.ts';
import { aggregateDayFigures, matchesFilter, type MetricsAggregate, type MetricsFilter } from './aggregate.ts';
import { dayFiguresOf, type DayFigures } from './day-figures.ts';
import { MAX_ACTIVITY_MS_PER_REPORT, VisitLifecycleEventSchema, type VisitLifecycleEvent } from './events.ts';
import { MetricsSettings, defaultMetricsSettings } from './settings.ts';
import { applyEvent, emptyRecord, visitMetricsOf, type VisitMetrics, type VisitMetricsRecord } from './visit-record.ts';

/**
 * The part of the vault's RecordStore metrics use: the app passes `vault.namespace('metrics')`.
 * Metrics records hold no PHI, but they live in the vault with everything else the workstation keeps.
 */
export type MetricsStore = Pick<RecordStore, 'readJson' | 'writeJson' | 'list' | 'delete'>;

/** One record per clinic day holds that day's visits: few, small vault records (one data key a day). */
const DAYS = 'day/';
const IDENTITY = 'identity';
const SETTINGS = 'settings';
const UNPUBLISHED = 'unpublished';

interface Identity {
  workstationId: string;
  salt: string;
}
interface DayRecord {
  v: 1;
  day: string;
  visits: VisitMetricsRecord[];
}

export interface MetricsRecorderOptions {
  store: MetricsStore;
  /** Settings used until the practice saves its own (metrics.settings.set). */
  settings?: Partial<MetricsSettings>;
  /** Fixes this workstation's id (tests simulate several); otherwise a random id kept in the store. */
  workstationId?: string;
  now?: () => Date;
  /** Called after each event is stored (e.g. to post the changed day to the EHR soon). */
  onRecorded?: (type: VisitLifecycleEvent['type']) => void;
}

/** A clinician's day whose figures changed and must be (re)posted as a MeasureReport. */
export interface ClinicianDay {
  clinicianId: string;
  day: string;
  change: number;
}

/**
 * Records visit lifecycle events and answers with per-visit figures and aggregates. One queue serialises
 * every change so concurrent events never lose an update. Texts on visit.signed are reduced to word counts
 * at once and never stored.
 */
export function createMetricsRecorder(options: MetricsRecorderOptions) {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  let queue: Promise<unknown> = Promise.resolve();
  let identity: Identity | null = null;
  let settings: MetricsSettings | null = null;
  let records: Map<string, VisitMetricsRecord> | null = null;
  /** day → keys of the visits stored in that day's record. */
  const byDay = new Map<string, Set<string>>();
  /**
   * clinician|day pairs to (re)post. The set is persisted; the change counters live in memory only, so a
   * day changed again while it was being posted stays unpublished.
   */
  let unpublished: Map<string, number> | null = null;

  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  }

  async function loadIdentity(): Promise<Identity> {
    if (identity) return identity;
    const stored = await store.readJson<Identity>(IDENTITY);
    if (
      stored &&
      typeof stored.salt === 'string' &&
      typeof stored.workstationId === 'string' &&
      (!options.workstationId || stored.workstationId === options.workstationId)
    ) {
      identity = stored;
    } else {
      identity = {
        workstationId: options.workstationId ?? `ws-${randomUUID()}`,
        salt: stored?.salt ?? randomBytes(32).toString('base64'),
      };
      await store.writeJson(IDENTITY, identity);
    }
    return identity;
  }

  async function loadSettings(): Promise<MetricsSettings> {
    if (settings) return settings;
    const defaults = { ...defaultMetricsSettings(), ...options.settings };
    const stored = await store.readJson<unknown>(SETTINGS);
    const parsed = stored ? MetricsSettings.safeParse({ ...defaults, ...(stored as object) }) : null;
    settings = parsed?.success ? parsed.data : MetricsSettings.parse(defaults);
    return settings;
  }

  async function loadRecords(): Promise<Map<string, VisitMetricsRecord>> {
    if (records) return records;
    const keys = (await store.list()).filter((k) => k.startsWith(DAYS));
    const loaded = new Map<string, VisitMetricsRecord>();
    for (let i = 0; i < keys.length; i += 32) {
      const batch = await Promise.all(keys.slice(i, i + 32).map((k) => store.readJson<DayRecord>(k)));
      for (const bundle of batch) {
        if (!bundle || bundle.v !== 1 || !Array.isArray(bundle.visits)) continue;
        for (const r of bundle.visits) {
          if (!r || r.v !== 1 || typeof r.key !== 'string' || typeof r.day !== 'string') continue;
          loaded.set(r.key, r);
          keysOfDay(r.day).add(r.key);
        }
      }
    }
    records = loaded;
    return loaded;
  }

  function keysOfDay(day: string): Set<string> {
    let set = byDay.get(day);
    if (!set) byDay.set(day, (set = new Set()));
    return set;
  }

  async function writeDay(day: string): Promise<void> {
    const all = await loadRecords();
    const keys = byDay.get(day);
    if (!keys || keys.size === 0) {
      byDay.delete(day);
      await store.delete(`${DAYS}${day}`);
      return;
    }
    const bundle: DayRecord = { v: 1, day, visits: [...keys].map((k) => all.get(k)!).filter(Boolean) };
    await store.writeJson(`${DAYS}${day}`, bundle);
  }

  async function loadUnpublished(): Promise<Map<string, number>> {
    if (unpublished) return unpublished;
    const stored = await store.readJson<unknown>(UNPUBLISHED);
    unpublished = new Map((Array.isArray(stored) ? stored : []).filter((k): k is string => typeof k === 'string').map((k) => [k, 0]));
    return unpublished;
  }

  let changeCounter = 0;
  async function markChanged(days: string[]): Promise<void> {
    const dirty = await loadUnpublished();
    let added = false;
    for (const d of days) {
      added ||= !dirty.has(d);
      dirty.set(d, ++changeCounter);
    }
    if (added) await store.writeJson(UNPUBLISHED, [...dirty.keys()]);
  }

  async function keyOf(visitId: string): Promise<string> {
    const { salt } = await loadIdentity();
    return createHash('sha256').update(`${salt}\u0000${visitId}`).digest('hex').slice(0, 32);
  }

  async function save(record: VisitMetricsRecord, previous: VisitMetricsRecord | undefined): Promise<void> {
    (await loadRecords()).set(record.key, record);
    keysOfDay(record.day).add(record.key);
    await writeDay(record.day);
    if (previous && previous.day !== record.day) {
      byDay.get(previous.day)?.delete(record.key);
      await writeDay(previous.day);
    }
    const days = [`${record.clinicianId}|${record.day}`];
    if (previous && (previous.day !== record.day || previous.clinicianId !== record.clinicianId)) {
      days.push(`${previous.clinicianId}|${previous.day}`);
    }
    await markChanged(days);
  }

  async function apply(event: VisitLifecycleEvent): Promise<VisitMetrics> {
    const s = await loadSettings();
    const key = await keyOf(event.visitId);
    const all = await loadRecords();
    const previous = all.get(key);
    const next = applyEvent(previous ?? emptyRecord(key, event, s), event, s);
    await save(next, previous);
    try {
      options.onRecorded?.(event.type);
    } catch {
      // a listener's failure never undoes a stored event
    }
    return visitMetricsOf(next);
  }

  return {
    /** Record one lifecycle event (validated: a malformed event is refused with bad_request). */
    record(event: VisitLifecycleEvent): Promise<VisitMetrics> {
      const parsed = VisitLifecycleEventSchema.safeParse(event);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return Promise.reject(
          new ScribeError(
            'bad_request',
            `Invalid metrics event: ${issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'malformed'}`,
          ),
        );
      }
      return serial(() => apply(parsed.data as VisitLifecycleEvent));
    },

    /**
     * Active editing time reported by the editor (contract call metrics.editorActivity). The visit must
     * have been started on this workstation; its clinician and visit type come from the stored record.
     */
    recordEditorActivity(input: { visitId: string; activeMs: number; at?: string }): Promise<VisitMetrics> {
      if (!Number.isFinite(input.activeMs) || input.activeMs < 0 || input.activeMs > MAX_ACTIVITY_MS_PER_REPORT) {
        return Promise.reject(new ScribeError('bad_request', `activeMs must be between 0 and ${MAX_ACTIVITY_MS_PER_REPORT}`));
      }
      return serial(async () => {
        const existing = (await loadRecords()).get(await keyOf(input.visitId));
        if (!existing) throw new ScribeError('not_found', `No visit ${input.visitId} is known to metrics on this workstation`);
        return apply({
          type: 'editor.activity',
          visitId: input.visitId,
          clinicianId: existing.clinicianId,
          visitType: existing.visitType,
          at: input.at ?? now().toISOString(),
          activeMs: input.activeMs,
        });
      });
    },

    /** Per-visit figures (durations and counts; no instants, no texts), oldest day first. */
    async visitMetrics(filter: MetricsFilter = {}): Promise<VisitMetrics[]> {
      await queue;
      return [...(await loadRecords()).values()]
        .filter((r) => matchesFilter(r, filter))
        .sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key))
        .map(visitMetricsOf);
    },

    /** This workstation's figures per clinician, day and visit type (unfiltered unless asked). */
    async dayFigures(filter: MetricsFilter = {}): Promise<DayFigures[]> {
      await queue;
      const { workstationId } = await loadIdentity();
      return dayFiguresOf(
        [...(await loadRecords()).values()].filter((r) => matchesFilter(r, filter)),
        workstationId,
      );
    },

    /** This workstation's aggregate (the dashboard adds other workstations' MeasureReports on top). */
    async aggregate(filter: MetricsFilter = {}): Promise<MetricsAggregate> {
      const rows = await this.dayFigures();
      return aggregateDayFigures(rows, filter, await loadSettings());
    },

    settings: loadSettings,

    updateSettings(patch: Partial<MetricsSettings>): Promise<MetricsSettings> {
      return serial(async () => {
        const current = await loadSettings();
        const parsed = MetricsSettings.safeParse({ ...current, ...patch, clinicHours: { ...current.clinicHours, ...patch.clinicHours } });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ScribeError(
            'bad_request',
            `Invalid metrics settings: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'malformed'}`,
          );
        }
        await store.writeJson(SETTINGS, parsed.data);
        settings = parsed.data;
        return parsed.data;
      });
    },

    async workstationId(): Promise<string> {
      return (await loadIdentity()).workstationId;
    },

    /** Clinician-days changed since they were last posted. */
    async unpublishedDays(): Promise<ClinicianDay[]> {
      await queue;
      return [...(await loadUnpublished())].map(([s, change]) => {
        const i = s.lastIndexOf('|');
        return { clinicianId: s.slice(0, i), day: s.slice(i + 1), change };
      });
    },

    /** Mark clinician-days as posted; a day that changed again since `unpublishedDays` stays unpublished. */
    markPublished(days: readonly ClinicianDay[]): Promise<void> {
      return serial(async () => {
        const dirty = await loadUnpublished();
        let removed = false;
        for (const d of days) {
          const k = `${d.clinicianId}|${d.day}`;
          if (dirty.get(k) === d.change) removed = dirty.delete(k) || removed;
        }
        if (removed) await store.writeJson(UNPUBLISHED, [...dirty.keys()]);
      });
    },

    /** Mark every clinician-day of a period as needing a (re)post, e.g. after the clinic hours changed. */
    async republish(filter: MetricsFilter = {}): Promise<void> {
      await serial(async () => {
        const days = new Set(
          [...(await loadRecords()).values()].filter((r) => matchesFilter(r, filter)).map((r) => `${r.clinicianId}|${r.day}`),
        );
        await markChanged([...days]);
      });
    },

    /** Wait until every recorded event is stored. */
    async idle(): Promise<void> {
      await queue;
    },
  };
}

export type MetricsRecorder = ReturnType<typeof createMetricsRecorder>;
