import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../fhir/sandbox/server.ts';
import { AUDIT_FILE, auditAction, openAuditLog } from './index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function scribe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin', 'scribe.mjs'), ...args], { cwd: repoRoot }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('scribe audit (CLI)', () => {
  let dir: string;
  let sandbox: Sandbox;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scribe-audit-cli-'));
    const log = openAuditLog({ dir });
    for (const part of ['visit', 'draft', 'transcript'] as const) {
      await auditAction(log, { id: 'prac-1', role: 'clinician' }, 'record.viewed', { visitId: 'v-1', details: { part } });
    }
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('verify: exit 0 on a clean log, 1 naming an altered record', async () => {
    const clean = await scribe(['audit', 'verify', '--dir', dir]);
    expect(clean.stdout).toMatch(/3 records, chain intact/);
    expect(clean.code).toBe(0);

    const file = path.join(dir, AUDIT_FILE);
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('"part":"draft"', '"part":"audio"'));
    const broken = await scribe(['audit', 'verify', '--dir', dir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/record 2: altered/);
    await writeFile(file, original);
  });

  it('export: writes NDJSON and posts FHIR AuditEvents, and audits the export itself', async () => {
    const out = path.join(dir, 'out', 'audit-export.ndjson');
    const result = await scribe(['audit', 'export', '--dir', dir, '--out', out, '--fhir', sandbox.baseUrl]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Wrote 3 audit records/);
    expect(result.stdout).toMatch(/Posted 4 AuditEvents/);
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(3);
    const records = await openAuditLog({ dir }).records();
    expect(records.slice(3).map((r) => [r.action, r.details.destination])).toEqual([
      ['record.exported', 'file'],
      ['record.exported', 'ehr'],
    ]);
    expect((await scribe(['audit', 'verify', '--dir', dir])).code).toBe(0);
  });

  it('verify: a missing log is a failure, not an empty success', async () => {
    const result = await scribe(['audit', 'verify', '--dir', path.join(dir, 'nowhere')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/No audit log at/);
  });

  it('rejects unknown subcommands and options with usage', async () => {
    expect((await scribe(['audit', 'frobnicate'])).code).toBe(2);
    expect((await scribe(['audit', 'export', '--dir', dir])).code).toBe(2);
  });
});
