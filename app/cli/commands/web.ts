import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../core/index.ts';
import { deadlinesFromJson } from '../../encounter/index.ts';
import { startWebBridge } from '../../web-bridge/index.ts';
import { parseCommandArgs, usageError } from '../args.ts';
import { ehrFromSettings, openSettings } from '../../settings/index.ts';
import { WRITE_MODES, type WriteMode } from '../../fhir/index.ts';

export const summary = 'Run Scribe in a browser: the core, the sandbox EHR and the loopback web bridge (development and tests)';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function defaultDataDir(): string {
  if (process.env['SCRIBE_DATA_DIR']) return process.env['SCRIBE_DATA_DIR'];
  const base = process.env['XDG_DATA_HOME'] ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'scribe-web');
}

const USAGE = `Usage: scribe web [--port N] [--data-dir DIR] [--ehr-port N] [--require-auth] [--write-mode full|direct|minimal] [--fhir-url URL --client-id ID] [--engine sphinx|sherpa|server] [--open]

Serves the renderer (built by \`npm run build:renderer\`) and the core's API on 127.0.0.1, with a token
in the printed address. Without --fhir-url it connects to the EHR saved in Settings, or starts the
embedded sandbox EHR (--write-mode: which EHR it plays, see scribe fhir-sandbox --help). Without --engine each visit uses the engine saved in Settings (default sphinx);
--engine server uses the transcription server saved in Settings.`;

export default async function run(argv: string[]): Promise<number> {
  const spec = {
    command: 'web',
    usage: USAGE,
    argv,
    options: {
      port: { type: 'string', default: '5183' },
      'data-dir': { type: 'string' },
      'ehr-port': { type: 'string', default: '0' },
      'require-auth': { type: 'boolean', default: false },
      'write-mode': { type: 'string', default: 'full' },
      'fhir-url': { type: 'string' },
      'client-id': { type: 'string', default: 'scribe-desktop' },
      engine: { type: 'string' },
      open: { type: 'boolean', default: false },
    },
  } as const;
  const args = parseCommandArgs(spec);
  if (typeof args === 'number') return args;
  const { values } = args;
  const staticDir = path.join(repoRoot, 'dist', 'renderer');
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    console.error('The renderer is not built: run `npm run build:renderer` first (npm run dev:web does both).');
    return 1;
  }
  if (values.engine !== undefined && values.engine !== 'sphinx' && values.engine !== 'sherpa' && values.engine !== 'server') {
    return usageError(spec, `unknown engine "${values.engine}": use sphinx, sherpa or server`);
  }
  const writeMode = values['write-mode'] as WriteMode;
  if (!WRITE_MODES.includes(writeMode)) {
    return usageError(spec, `unknown write mode "${values['write-mode']}": use ${WRITE_MODES.join(', ')}`);
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  // The EHR saved in Settings (app/settings) when none is given on the command line.
  const savedStore = openSettings({ dir: dataDir });
  if (savedStore.problem()) console.error(savedStore.problem());
  const saved = ehrFromSettings(savedStore.current());
  // Deadlines of the waits after Stop, if IT (or a test) sets them (decision 0185).
  const visitDeadlines = deadlinesFromJson(process.env['SCRIBE_VISIT_DEADLINES']);
  const core = await createCore({
    dataDir,
    visitDeadlines,
    ...(values.engine ? { engine: values.engine } : {}),
    ehr: values['fhir-url']
      ? { mode: 'fhir', baseUrl: values['fhir-url'], clientId: values['client-id'] }
      : saved.mode === 'fhir'
        ? saved
        : { mode: 'sandbox', port: Number(values['ehr-port']), requireAuth: values['require-auth'], writeMode },
  });
  const bridge = await startWebBridge({
    dispatch: core.dispatch,
    subscribe: (listener) => core.subscribe(listener),
    staticDir,
    port: Number(values.port),
  });
  console.log(`Scribe is running at ${bridge.url}`);
  console.log(`EHR (FHIR R4): ${core.fhirBaseUrl}`);
  console.log(
    `SCRIBE_READY ${JSON.stringify({ url: bridge.url, origin: bridge.origin, token: bridge.token, fhirBaseUrl: core.fhirBaseUrl })}`,
  );
  if (values.open) {
    for (const browser of ['xdg-open', 'chromium', 'open']) {
      try {
        spawn(browser, [bridge.url], { stdio: 'ignore', detached: true })
          .on('error', () => undefined)
          .unref();
        break;
      } catch {
        // try the next one
      }
    }
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Stop serving at once; give the core 10 s to finish what it was doing (drafts, the outbox, the audit).
  await bridge.close();
  const closed = await Promise.race([
    core.close().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref()),
  ]);
  if (!closed)
    console.error(
      'scribe web: the core did not finish closing within 10 s; stopping anyway (the outbox re-sends unfinished notes at the next start)',
    );
  return 0;
}
