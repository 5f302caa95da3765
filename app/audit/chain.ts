import { createHash, createHmac } from 'node:crypto';
import type { AuditActor, AuditAction } from './events.ts';

/** One line of the audit log. `hash` = sha256 of the canonical JSON of every other field. */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: AuditActor;
  action: AuditAction;
  visitId?: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * A record's hash: HMAC-SHA256 under the log's key (kept in the OS keychain) when it has one, so nobody
 * without the key can write a record that verifies; plain sha256 for a log opened without a key (tests).
 */
export function hashRecord(record: Omit<AuditRecord, 'hash'> & { hash?: string }, key?: Uint8Array): string {
  const { hash: _ignored, ...body } = record;
  return (key ? createHmac('sha256', key) : createHash('sha256')).update(canonicalJson(body)).digest('hex');
}

export type AuditProblemKind = 'altered' | 'removed' | 'reordered' | 'duplicated' | 'malformed' | 'truncated';

export interface AuditProblem {
  /** The record concerned (for `malformed`, the line number is in `line`). */
  seq: number | null;
  kind: AuditProblemKind;
  line?: number;
  message: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

interface ParsedLine {
  line: number;
  record: AuditRecord;
}

function isRecord(value: unknown): value is AuditRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  return (
    Number.isInteger(r.seq) &&
    (r.seq as number) >= 1 &&
    typeof r.at === 'string' &&
    typeof r.action === 'string' &&
    typeof r.prevHash === 'string' &&
    typeof r.hash === 'string' &&
    !!r.actor &&
    typeof r.actor === 'object' &&
    !!r.details &&
    typeof r.details === 'object'
  );
}

export function parseLines(text: string): { parsed: ParsedLine[]; problems: AuditProblem[] } {
  const parsed: ParsedLine[] = [];
  const problems: AuditProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (!isRecord(value)) {
      problems.push({ seq: null, kind: 'malformed', line: index + 1, message: `line ${index + 1} is not an audit record` });
      return;
    }
    parsed.push({ line: index + 1, record: value });
  });
  return { parsed, problems };
}

/**
 * Checks a log: every record's own hash, its place in the sequence, the chain of prevHash links, and
 * the head (the last seq and hash, kept beside the log) so that records cut off the end are found too.
 */
export function verifyChain(text: string, head: AuditHead | null, key?: Uint8Array): { records: number; problems: AuditProblem[] } {
  const { parsed, problems } = parseLines(text);
  const altered = new Set<number>();
  const flag = (seq: number, kind: AuditProblemKind, message: string): void => {
    if (kind === 'altered') {
      if (altered.has(seq)) return;
      altered.add(seq);
    }
    problems.push({ seq, kind, message });
  };

  // 1. each record against its own hash
  for (const { record } of parsed) {
    if (hashRecord(record, key) !== record.hash)
      flag(
        record.seq,
        'altered',
        `record ${record.seq} does not match its ${key ? 'keyed hash (HMAC)' : 'hash'}: its content was changed or it was written without the log's key`,
      );
  }

  // 2. order and duplicates: the file must list seq 1, 2, 3... in order
  const seen = new Map<number, number>();
  for (const { record } of parsed) seen.set(record.seq, (seen.get(record.seq) ?? 0) + 1);
  for (const [seq, count] of seen) if (count > 1) flag(seq, 'duplicated', `record ${seq} appears ${count} times`);
  const unique = [...seen.keys()].sort((a, b) => a - b);
  // A record is out of order when its neighbour in the file breaks the ascending sequence.
  parsed.forEach(({ record, line }, position) => {
    const before = parsed[position - 1]?.record.seq;
    const after = parsed[position + 1]?.record.seq;
    if ((before !== undefined && before > record.seq) || (after !== undefined && after < record.seq)) {
      flag(record.seq, 'reordered', `record ${record.seq} is out of order (line ${line})`);
    }
  });

  // 3. gaps, and the end of the log against the head
  const last = unique.at(-1) ?? 0;
  let expected = 1;
  for (const seq of unique) {
    for (let missing = expected; missing < seq; missing += 1) flag(missing, 'removed', `record ${missing} is missing`);
    expected = seq + 1;
  }
  if (head && head.seq > last) {
    for (let missing = last + 1; missing <= head.seq; missing += 1)
      flag(missing, 'truncated', `record ${missing} was cut off the end of the log`);
  }

  // 4. the chain: record n+1 must point at record n's hash
  const bySeq = new Map(parsed.map(({ record }) => [record.seq, record] as const));
  for (const seq of unique) {
    const record = bySeq.get(seq)!;
    const previous = bySeq.get(seq - 1);
    if (seq === 1 && record.prevHash !== GENESIS_HASH) flag(1, 'altered', 'record 1 does not start the chain');
    if (previous && record.prevHash !== previous.hash && !altered.has(seq)) {
      flag(seq - 1, 'altered', `record ${seq - 1} was rewritten: record ${seq} vouches for a different version of it`);
    }
  }
  if (head) {
    const atHead = bySeq.get(head.seq);
    if (atHead && atHead.hash !== head.hash) flag(head.seq, 'altered', `record ${head.seq} differs from the one the log head recorded`);
  }
  problems.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || (a.line ?? 0) - (b.line ?? 0));
  return { records: parsed.length, problems };
}
