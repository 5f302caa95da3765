import { SANDBOX_PRACTITIONER_NAME, SANDBOX_PRACTITIONER_REF, startSandbox, WRITE_MODES, type WriteMode } from '../../fhir/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';

export const summary = 'Run the sandbox EHR (FHIR R4 on 127.0.0.1, SMART sign-in) until stopped';

const USAGE = `Usage: scribe fhir-sandbox [--port N] [--seed] [--require-auth] [--token-seconds N] [--write-mode full|direct|minimal]

Starts the sandbox EHR: Medplum's FHIR R4 engine in memory on 127.0.0.1, at /fhir/R4, with SMART App
Launch endpoints (/.well-known/smart-configuration, /oauth/authorize, /oauth/token, /oauth/revoke).
  --port N           port to listen on (default 0: a free port)
  --seed             load the demo practice (${SANDBOX_PRACTITIONER_NAME}, 5 patients, today's encounters)
  --require-auth     reject FHIR requests without a valid SMART bearer token (401)
  --token-seconds N  access-token lifetime (default 3600)
  --write-mode M     which EHR to play: full (transactions, conditional create; default), direct (no
                     transactions or conditional create; one content entry, no authenticator; takes
                     DocumentReference, Condition, Device and Provenance creates) or minimal (takes
                     DocumentReference creates only)
Prints the FHIR base URL on the first line of output; runs until interrupted (Ctrl+C / SIGTERM).
Nothing is kept between runs: this is demo data, not a chart.`;

export default async function run(argv: string[]): Promise<number> {
  const spec = {
    command: 'fhir-sandbox',
    usage: USAGE,
    argv,
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'boolean', default: false },
      'require-auth': { type: 'boolean', default: false },
      'token-seconds': { type: 'string', default: '3600' },
      'write-mode': { type: 'string', default: 'full' },
    },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values } = args;
  const port = Number(values.port);
  const tokenSeconds = Number(values['token-seconds']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return usageError(spec, `--port must be a whole number from 0 to 65535 (got "${values.port}")`);
  }
  if (!Number.isInteger(tokenSeconds) || tokenSeconds < 1) {
    return usageError(spec, `--token-seconds must be a positive whole number (got "${values['token-seconds']}")`);
  }
  const writeMode = values['write-mode'] as WriteMode;
  if (!WRITE_MODES.includes(writeMode)) {
    return usageError(spec, `--write-mode must be one of ${WRITE_MODES.join(', ')} (got "${values['write-mode']}")`);
  }
  const sandbox = await startSandbox({
    port,
    seed: values.seed,
    requireAuth: values['require-auth'],
    accessTokenSeconds: tokenSeconds,
    writeMode,
  });
  console.log(sandbox.baseUrl);
  console.log(`Sandbox EHR (demo data, not a real chart) at ${sandbox.baseUrl}`);
  console.log(`SMART configuration: ${sandbox.baseUrl}/.well-known/smart-configuration`);
  if (values.seed) console.log(`Seeded: ${SANDBOX_PRACTITIONER_NAME} (${SANDBOX_PRACTITIONER_REF}) with today's encounters`);
  if (values['require-auth']) console.log('Requests need a SMART bearer token (--require-auth)');
  if (writeMode !== 'full') console.log(`Plays an EHR without transactions or conditional create (--write-mode ${writeMode})`);

  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      console.log(`Stopping the sandbox EHR (${signal})`);
      void sandbox.close().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
