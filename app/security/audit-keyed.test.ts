import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_FILE,
  AUDIT_HEAD_FILE,
  auditAction,
  hashRecord,
  keychainAuditSealing,
  openAuditLog,
  type AuditLog,
  type AuditRecord,
} from '../audit/index.ts';
import { openKeychain, type SecretStore } from '../secrets/index.ts';

// The audit chain against someone who can write the data folder but not read the OS keychain (#15):
// cutting the tail and rewriting the head file, rewriting records with fresh plain hashes, reordering.
// Each is found by `audit verify`, in the library and through the `scribe audit verify` command.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('a keyed audit chain with its head checkpointed in the keychain', () => {
  let dir: string;
  let service: string;
  let secrets: SecretStore;
  let log: AuditLog;

  const lines = async () => (await readFile(path.join(dir, AUDIT_FILE), 'utf8')).trimEnd().split('\n');
  const write = (records: string[]) => writeFile(path.join(dir, AUDIT_FILE), `${records.join('\n')}\n`);
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin', 'scribe.mjs'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, SCRIBE_KEYCHAIN_SERVICE: service },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );

  beforeAll(async () => {
    service = `org.scribe.test.audit-${randomBytes(4).toString('hex')}`;
    secrets = await openKeychain(service);
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-keyed-'));
    log = openAuditLog({ dir, sealing: (await keychainAuditSealing(secrets, dir))! });
    for (const part of ['visit', 'draft', 'transcript', 'audio', 'note'] as const) {
      await auditAction(log, { id: 'prac-1', role: 'clinician' }, 'record.viewed', { visitId: 'v-1', details: { part } });
    }
    expect(await log.verify()).toMatchObject({ ok: true, records: 5 });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  afterAll(async () => {
    for (const account of await secrets.list()) await secrets.delete(account);
  });

  it('records are HMACs under a key from the keychain, not plain hashes anyone can recompute', async () => {
    const [first] = (await lines()).map((l) => JSON.parse(l) as AuditRecord);
    expect(first!.hash).not.toBe(hashRecord(first!));
    expect((await secrets.list()).some((a) => a.startsWith('audit-hmac:'))).toBe(true);
    expect(JSON.parse((await secrets.get((await secrets.list()).find((a) => a.startsWith('audit-head:'))!))!)).toMatchObject({ seq: 5 });
  });

  it('truncation with a consistently rewritten head file is detected (the keychain checkpoint)', async () => {
    const kept = (await lines()).slice(0, 3);
    await write(kept);
    const last = JSON.parse(kept[2]!) as AuditRecord;
    await writeFile(path.join(dir, AUDIT_HEAD_FILE), JSON.stringify({ seq: last.seq, hash: last.hash }));
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.filter((p) => p.kind === 'truncated').map((p) => p.seq)).toEqual([4, 5]);
    const run = await cli(['audit', 'verify', '--dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/record 4: truncated/);
  });

  it('a rewritten record with the whole tail re-chained by plain sha256 is detected', async () => {
    const records = (await lines()).map((l) => JSON.parse(l) as AuditRecord);
    let prev = records[1]!.hash;
    const forged = records.map((r, i) => {
      if (i < 2) return r;
      const body = { ...r, ...(i === 2 ? { actor: { id: 'someone-else', role: 'clinician' as const } } : {}), prevHash: prev };
      const next = { ...body, hash: hashRecord(body) };
      prev = next.hash;
      return next;
    });
    await write(forged.map((r) => JSON.stringify(r)));
    await writeFile(path.join(dir, AUDIT_HEAD_FILE), JSON.stringify({ seq: 5, hash: prev }));
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.filter((p) => p.kind === 'altered').map((p) => p.seq)).toEqual(expect.arrayContaining([3, 4, 5]));
    expect((await cli(['audit', 'verify', '--dir', dir])).code).toBe(1);
  });

  it('reordered records are detected', async () => {
    const records = await lines();
    await write([records[0]!, records[2]!, records[1]!, records[3]!, records[4]!]);
    const result = await log.verify();
    expect(result.problems.some((p) => p.kind === 'reordered')).toBe(true);
    const run = await cli(['audit', 'verify', '--dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/reordered/);
  });

  it('an intact keyed log verifies through the CLI', async () => {
    const run = await cli(['audit', 'verify', '--dir', dir]);
    expect(run.stdout).toMatch(/5 records, chain intact/);
    expect(run.code).toBe(0);
  });
});
