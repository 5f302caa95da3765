import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE, auditAction, editSize, hashRecord, openAuditLog, sha256Hex, type AuditLog, type AuditRecord } from './index.ts';

const clinician = { id: 'prac-1', role: 'clinician' as const };
const scribe = { id: 'scribe-7', role: 'scribe' as const };

async function fillLog(log: AuditLog): Promise<void> {
  await auditAction(log, clinician, 'consent.recorded', { visitId: 'v-1', details: { decision: 'agreed' } });
  await auditAction(log, clinician, 'visit.started', {
    visitId: 'v-1',
    details: { encounterId: 'enc-9', consent: 'agreed', visitType: 'follow-up' },
  });
  await auditAction(log, clinician, 'visit.stopped', { visitId: 'v-1', details: { audioSeconds: 312.5 } });
  await auditAction(log, null, 'recognition.completed', {
    visitId: 'v-1',
    details: {
      engine: 'sphinx',
      model: 'en-us-ptm',
      inputSha256: sha256Hex('pcm'),
      outputSha256: sha256Hex('text'),
      audioSeconds: 312.5,
      segments: 40,
    },
  });
  await auditAction(log, null, 'draft.generated', { visitId: 'v-1', details: { engine: 'builtin', engineVersion: '1.0.0', sections: 5 } });
  await auditAction(log, scribe, 'draft.edited', {
    visitId: 'v-1',
    details: { sectionId: 'hpi', ...editSize('Cough for 3 days.', 'Cough for 5 days.') },
  });
  await auditAction(log, clinician, 'note.signed', { visitId: 'v-1', details: { sections: 5 } });
  await auditAction(log, null, 'note.posted', { visitId: 'v-1', details: { serverId: 'DocumentReference/123', attempts: 1 } });
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('audit log', () => {
  let dir: string;
  let log: AuditLog;
  let file: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-'));
    log = openAuditLog({ dir });
    file = path.join(dir, AUDIT_FILE);
    await fillLog(log);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('chains records and a clean log verifies', async () => {
    const records = await log.records();
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(records[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < records.length; i += 1) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    expect(records[5]).toMatchObject({ actor: scribe, action: 'draft.edited', details: { sectionId: 'hpi', charsChanged: 1 } });
    expect(records[3]!.actor).toEqual({ id: 'scribe', role: 'system' });
    expect(await log.verify()).toEqual({ ok: true, records: 8, problems: [] });
  });

  it('names an altered record', async () => {
    const text = lines(await readFile(file, 'utf8'));
    text[4] = text[4]!.replace('"sections":5', '"sections":6');
    await writeFile(file, `${text.join('\n')}\n`);
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ seq: 5, kind: 'altered' })]);
  });

  it('names an altered record even when the forger recomputed its hash', async () => {
    const text = lines(await readFile(file, 'utf8'));
    const record = JSON.parse(text[2]!) as AuditRecord;
    record.details = { audioSeconds: 10 };
    record.hash = hashRecord(record);
    text[2] = JSON.stringify(record);
    await writeFile(file, `${text.join('\n')}\n`);
    const result = await log.verify();
    expect(result.problems).toEqual([expect.objectContaining({ seq: 3, kind: 'altered' })]);
  });

  it('names a removed record, in the middle and at the end', async () => {
    const text = lines(await readFile(file, 'utf8'));
    await writeFile(file, `${text.filter((_, i) => i !== 3).join('\n')}\n`);
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ seq: 4, kind: 'removed' })]);
    await writeFile(file, `${text.slice(0, 6).join('\n')}\n`);
    expect((await log.verify()).problems).toEqual([
      expect.objectContaining({ seq: 7, kind: 'truncated' }),
      expect.objectContaining({ seq: 8, kind: 'truncated' }),
    ]);
  });

  it('names swapped records', async () => {
    const text = lines(await readFile(file, 'utf8'));
    [text[1], text[2]] = [text[2]!, text[1]!];
    await writeFile(file, `${text.join('\n')}\n`);
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.seq, p.kind])).toEqual([
      [2, 'reordered'],
      [3, 'reordered'],
    ]);
  });

  it('tampers of every single record are each found and named', async () => {
    const original = lines(await readFile(file, 'utf8'));
    for (let i = 0; i < original.length; i += 1) {
      const edited = [...original];
      edited[i] = edited[i]!.replace(/"at":"[^"]+"/, '"at":"2020-01-01T00:00:00.000Z"');
      await writeFile(file, `${edited.join('\n')}\n`);
      expect((await log.verify()).problems, `record ${i + 1}`).toEqual([expect.objectContaining({ seq: i + 1, kind: 'altered' })]);
    }
  });

  it('recovers from a torn last line and keeps the chain', async () => {
    await appendFile(file, '{"seq":9,"at":"2026-');
    expect((await log.verify()).problems).toEqual([expect.objectContaining({ kind: 'malformed', line: 9 })]);
    await auditAction(log, clinician, 'record.viewed', { visitId: 'v-1', details: { part: 'draft' } });
    expect(await log.verify()).toEqual({ ok: true, records: 9, problems: [] });
  });

  it('refuses details that could carry transcript text or names', async () => {
    await expect(
      log.append({
        actor: clinician,
        action: 'draft.edited',
        visitId: 'v-1',
        details: { sectionId: 'hpi', charsBefore: 1, charsAfter: 2, charsChanged: 1, text: 'Jane Roe has a cough' } as never,
      }),
    ).rejects.toThrow(/Unrecognized key/);
    await expect(
      auditAction(log, clinician, 'coding.accepted', { visitId: 'v-1', details: { system: 'icd10', code: 'Jane Roe' } }),
    ).rejects.toThrow(/code/);
    await expect(log.append({ actor: { id: 'Dr Jane Roe', role: 'clinician' }, action: 'session.unlocked', details: {} })).rejects.toThrow(
      /actor/,
    );
    expect((await log.records()).length).toBe(8);
  });

  it('serialises concurrent appends from two handles on the same log', async () => {
    const other = openAuditLog({ dir });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        auditAction(i % 2 ? log : other, clinician, 'record.viewed', { visitId: 'v-1', details: { part: 'visit' } }),
      ),
    );
    expect(await log.verify()).toEqual({ ok: true, records: 28, problems: [] });
  });

  it('exports verbatim NDJSON', async () => {
    const out = path.join(dir, 'export', 'audit.ndjson');
    expect(await log.exportNdjson(out)).toBe(8);
    expect(await readFile(out, 'utf8')).toBe(await readFile(file, 'utf8'));
  });

  it('maps records to FHIR AuditEvents', async () => {
    const events = await log.toFhirAuditEvents({ afterSeq: 6 });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      resourceType: 'AuditEvent',
      action: 'C',
      subtype: [{ code: 'note.signed' }],
      agent: [{ who: { identifier: { value: 'prac-1' } }, requestor: true }],
      entity: [{ what: { identifier: { value: '7' } } }, { what: { identifier: { value: 'v-1' } } }],
    });
  });
});
