import { isAfterHours, localTime } from './clinic-hours.ts';
import type { VisitLifecycleEvent } from './events.ts';
import { draftRetention } from './retention.ts';
import type { MetricsSettings } from './settings.ts';

/**
 * What metrics keep about one visit, on this workstation only. No patient id, name or note text:
 * the visit is known by a salted hash of its id; instants stay local (they never leave in reports).
 */
export interface VisitMetricsRecord {
  v: 1;
  /** Salted hash of the visit id. */
  key: string;
  clinicianId: string;
  visitType: string;
  /** The visit's day (YYYY-MM-DD) in the clinic's time zone: the day it started. */
  day: string;
  startedAt?: string;
  stoppedAt?: string;
  draftReadyAt?: string;
  signedAt?: string;
  postedAt?: string;
  audioSeconds?: number;
  activeEditMs: number;
  afterHoursEditMs: number;
  /** Counts from the first signing: the texts themselves were discarded. */
  retention?: { draftWords: number; keptWords: number; editDistance: number };
  coding: { accepted: number; rejected: number; replaced: number };
  amendments: number;
}

/** The figures of one visit as reported (durations, no instants). */
export interface VisitMetrics {
  key: string;
  clinicianId: string;
  visitType: string;
  day: string;
  status: 'recording' | 'processing' | 'draft' | 'signed';
  visitSeconds: number | null;
  audioSeconds: number | null;
  stopToDraftSeconds: number | null;
  stopToSignSeconds: number | null;
  activeEditSeconds: number;
  afterHoursEditSeconds: number;
  /** 0..1, null when there was no AI draft text. */
  draftRetention: number | null;
  draftWords: number | null;
  editDistanceWords: number | null;
  codingAccepted: number;
  codingRejected: number;
  codingReplaced: number;
  amendments: number;
}

export function emptyRecord(key: string, event: VisitLifecycleEvent, settings: MetricsSettings): VisitMetricsRecord {
  return {
    v: 1,
    key,
    clinicianId: event.clinicianId,
    visitType: event.visitType,
    day: localTime(event.at, settings.clinicHours.timeZone).day,
    activeEditMs: 0,
    afterHoursEditMs: 0,
    coding: { accepted: 0, rejected: 0, replaced: 0 },
    amendments: 0,
  };
}

const earlier = (a: string | undefined, b: string): string => (a && Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * Fold one event into a visit's record. Retries and out-of-order arrival are tolerated: instants keep the
 * first occurrence, retention is taken at the first signing (later re-signings after amendments count as
 * amendments, not as a new draft).
 */
export function applyEvent(record: VisitMetricsRecord, event: VisitLifecycleEvent, settings: MetricsSettings): VisitMetricsRecord {
  const r: VisitMetricsRecord = { ...record, coding: { ...record.coding } };
  switch (event.type) {
    case 'visit.started':
      r.startedAt = earlier(r.startedAt, event.at);
      r.day = localTime(r.startedAt, settings.clinicHours.timeZone).day;
      r.clinicianId = event.clinicianId;
      r.visitType = event.visitType;
      break;
    case 'visit.stopped':
      r.stoppedAt = earlier(r.stoppedAt, event.at);
      r.audioSeconds = event.audioSeconds;
      break;
    case 'draft.ready':
      r.draftReadyAt = earlier(r.draftReadyAt, event.at);
      break;
    case 'editor.activity': {
      const ms = Math.round(event.activeMs);
      r.activeEditMs += ms;
      if (event.afterHours ?? isAfterHours(event.at, settings.clinicHours)) r.afterHoursEditMs += ms;
      break;
    }
    case 'visit.signed':
      if (!r.signedAt) {
        const { draftWords, keptWords, editDistance } = draftRetention(event.draftText, event.signedText, event.dictatedText);
        r.retention = { draftWords, keptWords, editDistance };
        if (event.coding) r.coding = { ...event.coding };
      }
      r.signedAt = earlier(r.signedAt, event.at);
      break;
    case 'note.posted':
      r.postedAt = earlier(r.postedAt, event.at);
      break;
    case 'coding.decision':
      r.coding[event.decision] += 1;
      break;
    case 'note.amended':
      r.amendments += 1;
      break;
  }
  return r;
}

/** Seconds from one instant to a later one; null when either is missing or they are out of order. */
export const secondsBetween = (from: string | undefined, to: string | undefined): number | null => {
  if (!from || !to) return null;
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return s >= 0 ? s : null;
};

export function visitMetricsOf(r: VisitMetricsRecord): VisitMetrics {
  const status: VisitMetrics['status'] = r.signedAt ? 'signed' : r.draftReadyAt ? 'draft' : r.stoppedAt ? 'processing' : 'recording';
  return {
    key: r.key,
    clinicianId: r.clinicianId,
    visitType: r.visitType,
    day: r.day,
    status,
    visitSeconds: secondsBetween(r.startedAt, r.stoppedAt),
    audioSeconds: r.audioSeconds ?? null,
    stopToDraftSeconds: secondsBetween(r.stoppedAt, r.draftReadyAt),
    stopToSignSeconds: secondsBetween(r.stoppedAt, r.signedAt),
    activeEditSeconds: r.activeEditMs / 1000,
    afterHoursEditSeconds: r.afterHoursEditMs / 1000,
    draftRetention: r.retention && r.retention.draftWords > 0 ? r.retention.keptWords / r.retention.draftWords : null,
    draftWords: r.retention ? r.retention.draftWords : null,
    editDistanceWords: r.retention ? r.retention.editDistance : null,
    codingAccepted: r.coding.accepted,
    codingRejected: r.coding.rejected,
    codingReplaced: r.coding.replaced,
    amendments: r.amendments,
  };
}
