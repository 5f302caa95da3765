import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { scribeDataDir } from '../../assets/index.ts';
import { auditAction, defaultAuditDir, fhirAuditPoster, openAuditLog } from '../../audit/index.ts';

export const summary = 'Check the audit log\'s hash chain, or export it as NDJSON / FHIR AuditEvents';

const HELP = `Usage:
  scribe audit verify [--dir DIR]
      Checks every record's hash, the chain and the sequence. Exit 0 when intact, 1 when any record was
      altered, removed, reordered or cut off (each is named).
  scribe audit export [--dir DIR] [--out FILE] [--fhir BASE_URL] [--token TOKEN] [--after SEQ]
      --out FILE   write the log as NDJSON (verbatim records, hash chain included)
      --fhir URL   POST each record as a FHIR R4 AuditEvent to URL/AuditEvent (token: --token or SCRIBE_FHIR_TOKEN)
      --after SEQ  only records after SEQ (for FHIR export)
  DIR defaults to the audit folder in Scribe's data folder (${path.join('<data>', 'audit')}; SCRIBE_DATA_DIR overrides <data>).`;

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
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: 'string' },
      out: { type: 'string' },
      fhir: { type: 'string' },
      token: { type: 'string' },
      after: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const dir = values.dir ? path.resolve(values.dir) : defaultAuditDir(scribeDataDir());
  const log = openAuditLog({ dir });

  if (sub === 'verify') {
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
    if (!values.out && !values.fhir) {
      console.error('scribe audit export: give --out FILE and/or --fhir BASE_URL');
      return 2;
    }
    const after = values.after === undefined ? 0 : Number(values.after);
    if (!Number.isInteger(after) || after < 0) {
      console.error('scribe audit export: --after takes a record number');
      return 2;
    }
    const check = await log.verify();
    if (!check.ok) console.error(`Warning: the audit log has ${check.problems.length} problem(s); run \`scribe audit verify\`. Exporting it as it is.`);
    if (values.out) {
      const count = await log.exportNdjson(values.out);
      await auditAction(log, cliActor(), 'record.exported', { details: { part: 'audit', format: 'ndjson', records: count, destination: 'file' } });
      console.log(`Wrote ${count} audit records to ${path.resolve(values.out)}`);
    }
    if (values.fhir) {
      const post = fhirAuditPoster(values.fhir, { token: values.token ?? process.env.SCRIBE_FHIR_TOKEN });
      const ids = await log.postFhir(post, { afterSeq: after, observer: `Scribe on ${os.hostname()}` });
      await auditAction(log, cliActor(), 'record.exported', { details: { part: 'audit', format: 'fhir-auditevent', records: ids.length, destination: 'ehr' } });
      console.log(`Posted ${ids.length} AuditEvents to ${values.fhir}`);
    }
    return 0;
  }

  console.error(`scribe audit: unknown subcommand '${sub}'\n\n${HELP}`);
  return 2;
}
