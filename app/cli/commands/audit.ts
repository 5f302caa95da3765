import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scribeDataDir } from '../../assets/index.ts';
import { AUDIT_FILE, auditAction, defaultAuditDir, fhirAuditPoster, keychainAuditSealing, openAuditLog } from '../../audit/index.ts';
import { openKeychain } from '../../secrets/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';

export const summary = "Check the audit log's hash chain, or export it as NDJSON / FHIR AuditEvents";

const HELP = `Usage:
  scribe audit verify [--dir DIR]
      Checks every record's hash, the chain and the sequence. Exit 0 when intact, 1 when any record was
      altered, removed, reordered or cut off (each is named).
  scribe audit export [--dir DIR] [--out FILE] [--fhir BASE_URL] [--token TOKEN] [--after SEQ]
      --out FILE   write the log as NDJSON (verbatim records, hash chain included)
      --fhir URL   POST each record as a FHIR R4 AuditEvent to URL/AuditEvent (token: --token or SCRIBE_FHIR_TOKEN)
      --after SEQ  only records after SEQ (for FHIR export)
  DIR defaults to <data>/audit, <data> being SCRIBE_DATA_DIR, else the first of Scribe's data folder, the
  desktop app's folder (~/.config/Scribe) and the browser mode's (~/.local/share/scribe-web) that holds a log.`;

/**
 * Where this workstation's audit log is when --dir is not given: Scribe's data folder (SCRIBE_DATA_DIR or
 * the OS convention), else the desktop app's (Electron userData) or the browser mode's default folder.
 */
function findAuditDir(): string {
  const home = os.homedir();
  const config = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
  const data = process.env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const candidates = [
    defaultAuditDir(scribeDataDir()),
    ...(process.env.SCRIBE_DATA_DIR
      ? []
      : [
          defaultAuditDir(path.join(config, 'Scribe')),
          defaultAuditDir(path.join(home, 'Library', 'Application Support', 'Scribe')),
          defaultAuditDir(path.join(data, 'scribe-web')),
        ]),
  ];
  return candidates.find((dir) => existsSync(path.join(dir, AUDIT_FILE))) ?? candidates[0]!;
}

/** The person running the CLI, as an audit actor (an OS login, never a patient). */
function cliActor(): { id: string; role: 'admin' } {
  const name = os.userInfo().username.replace(/[^A-Za-z0-9\-._]/g, '_') || 'unknown';
  return { id: `os-user:${name}`, role: 'admin' };
}

export default async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h') {
    console.log(HELP);
    return sub ? 0 : 2;
  }
  const spec = {
    command: `audit ${sub}`,
    usage: HELP,
    argv: rest,
    options: {
      dir: { type: 'string' },
      out: { type: 'string' },
      fhir: { type: 'string' },
      token: { type: 'string' },
      after: { type: 'string' },
    },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values } = args;
  const dir = values.dir ? path.resolve(values.dir) : findAuditDir();
  // The chain's HMAC key and head checkpoint are in the OS keychain (docs/decisions/0120): without it the
  // log can be read but not shown untouched, nor appended to.
  let secrets;
  try {
    secrets = await openKeychain(process.env.SCRIBE_KEYCHAIN_SERVICE || undefined);
  } catch (error) {
    console.error(
      `scribe audit: ${error instanceof Error ? error.message : String(error)}\nThe audit chain is keyed by a secret in the OS keychain: run this as the workstation's user, in their desktop session.`,
    );
    return 2;
  }
  const sealing = await keychainAuditSealing(secrets, dir, false);
  if (!sealing && sub === 'verify' && existsSync(path.join(dir, AUDIT_FILE))) {
    console.error(
      `Note: the keychain holds no audit key for ${dir}; only the plain hash chain is checked (a log written by Scribe always has a key).`,
    );
  }
  const log = openAuditLog({ dir, ...(sealing ? { sealing } : {}) });

  if (sub === 'verify') {
    if (!existsSync(log.file)) {
      console.log(
        `No audit log at ${log.file}. A workstation where Scribe was used always has one: if it was there before, it was removed. Give --dir if it lives elsewhere.`,
      );
      return 1;
    }
    const result = await log.verify();
    if (result.ok) {
      console.log(`Audit log ${log.file}: ${result.records} records, chain intact.`);
      return 0;
    }
    console.log(`Audit log ${log.file}: ${result.records} records, ${result.problems.length} problem(s):`);
    for (const p of result.problems) console.log(`  ${p.seq === null ? `line ${p.line}` : `record ${p.seq}`}: ${p.kind} - ${p.message}`);
    return 1;
  }

  if (sub === 'export') {
    if (!values.out && !values.fhir) return usageError(spec, 'give --out FILE and/or --fhir BASE_URL');
    const after = values.after === undefined ? 0 : Number(values.after);
    if (!Number.isInteger(after) || after < 0) return usageError(spec, '--after takes a record number');
    const check = await log.verify();
    if (!check.ok)
      console.error(`Warning: the audit log has ${check.problems.length} problem(s); run \`scribe audit verify\`. Exporting it as it is.`);
    if (values.out) {
      const count = await log.exportNdjson(values.out);
      await auditAction(log, cliActor(), 'record.exported', {
        details: { part: 'audit', format: 'ndjson', records: count, destination: 'file' },
      });
      console.log(`Wrote ${count} audit records to ${path.resolve(values.out)}`);
    }
    if (values.fhir) {
      const post = fhirAuditPoster(values.fhir, { token: values.token ?? process.env.SCRIBE_FHIR_TOKEN });
      const ids = await log.postFhir(post, { afterSeq: after, observer: `Scribe on ${os.hostname()}` });
      await auditAction(log, cliActor(), 'record.exported', {
        details: { part: 'audit', format: 'fhir-auditevent', records: ids.length, destination: 'ehr' },
      });
      console.log(`Posted ${ids.length} AuditEvents to ${values.fhir}`);
    }
    return 0;
  }

  return usageError({ command: 'audit', usage: HELP }, `unknown subcommand '${sub}'`);
}
